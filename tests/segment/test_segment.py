"""Segment: one record per page of a dump, with its title and fields; one record for other documents."""

from __future__ import annotations

import json

import pytest

from conftest import RAW, ROOT, SEEDS, needs_seeds
from pipeline.extract import RawFile, extract_file
from pipeline.repair import run as repair
from pipeline.segment import Rules, is_date_line, is_title_like, rules_for, run as segment, structure

GOLDEN = ROOT / "tests" / "golden" / "segment"
TOWNS = ("Montbrison", "Tulle", "Guéret")


def pipeline_to_segment(path, config, name=None):
    record = extract_file(RawFile(name or path.name, path.read_bytes()), config)
    return segment(repair([record], config), config)


@pytest.fixture(scope="module")
def rules(config) -> Rules:
    return rules_for(config)


@pytest.fixture(scope="module")
def variants(config):
    expected = json.loads((GOLDEN / "variantes.json").read_text("utf-8"))
    return pipeline_to_segment(GOLDEN / "variantes.txt", config), expected


def test_one_record_per_page_with_title_and_fields(variants):
    records, expected = variants
    assert [r.title for r in records] == [e["title"] for e in expected["records"]]
    for record, want in zip(records, expected["records"]):
        for key in ("published", "updated"):
            assert getattr(record, key) == want.get(key), (record.title, key)
        for key, value in want["metadata"].items():
            assert record.metadata[key] == value, (record.title, key)
        for snippet in want.get("contains", []):
            assert snippet in record.text, (record.title, snippet)
        if "text" in want:
            assert record.text == want["text"]


def test_a_page_never_bleeds_into_its_neighbour(variants):
    records, expected = variants
    for record, want in zip(records, expected["records"]):
        others = [t for t in TOWNS if t != want["town"]]
        for town in others:
            assert town not in record.text and town not in (record.title or ""), (record.title, town)


def test_labels_values_dates_and_chrome_never_stay_in_text(variants):
    records, expected = variants
    for record in records:
        for word in expected["never_in_text"]:
            assert word not in record.text, (record.title, word)


def test_spans_point_back_to_the_page_in_the_extracted_text(variants, config):
    records, _ = variants
    extracted = extract_file(RawFile("v.txt", (GOLDEN / "variantes.txt").read_bytes()), config).text
    spans = [r.source.span for r in records]
    assert all(s is not None for s in spans)
    assert [s[0] for s in spans] == sorted(s[0] for s in spans)
    for record, (start, end) in zip(records, spans):
        assert extracted[start:end].lstrip().startswith(('"' + record.title[:20], record.title[:20]))
    assert len({r.id for r in records}) == len(records)


def test_title_only_pages_are_flagged(variants):
    records, _ = variants
    assert any("title but no text" in note for note in records[1].flags)
    assert not records[2].flags


def test_sample_dump(config):
    records = pipeline_to_segment(RAW / "sites" / "territoires-solidaires-ressources.txt", config)
    assert [r.title for r in records] == [
        "Guide « Commande publique et ESS » : acheter local et responsable",
        "Webinaire - Financer un tiers-lieu rural, quel rôle pour les communes ?",
        "Fiche Repérée pour vous n°14 : la Recyclerie du Val",
        "Rencontres nationales 2024 : inscriptions ouvertes",
    ]
    assert records[0].metadata["category"] == "Publications" and records[0].published == "2023-04-12"
    assert records[1].metadata["private"] is True
    assert records[2].metadata["category"] is None and records[2].metadata["zone"] == "Aveyron"
    assert records[3].updated == "2024-01-15"


@pytest.mark.parametrize("path, title", [
    ("pages/journee-tiers-lieux.html", "Journée régionale des tiers-lieux à Clermont-Ferrand"),
    ("fiches/fiche-action-mobilite.docx", "Fiche-action n°4 Garages solidaires et covoiturage de proximité"),
    ("rapports/rapport-activite-2023.pdf", "Rapport d'activité 2023"),
    ("archives/lettre-info-2019.txt", "Lettre d'information n°12 - décembre 2019"),
])
def test_other_documents_are_one_record_with_a_sensible_title(config, path, title):
    records = pipeline_to_segment(RAW / path, config, name=path)
    assert len(records) == 1 and records[0].title == title
    assert not records[0].text.startswith(title)


def test_structure_marks_headings_items_and_sentences(rules):
    text, blocks, sentences = structure(
        ["Objectifs :", "- Recenser les garages.\n- Publier un guide.", "Le réseau agit. Il publie un guide, cf. p. 3."],
        rules)
    kinds = [(b["kind"], text[b["start"]:b["end"]]) for b in blocks]
    assert kinds == [("heading", "Objectifs :"), ("list_item", "- Recenser les garages."),
                     ("list_item", "- Publier un guide."), ("paragraph", "Le réseau agit. Il publie un guide, cf. p. 3.")]
    said = [text[a:b] for a, b in sentences]
    assert "Le réseau agit." in said and "Il publie un guide, cf. p. 3." in said


@pytest.mark.parametrize("line, fields", [
    ("Publié le 24 mars 2022 - mis à jour le 29 mars 2022", {"published": "2022-03-24", "updated": "2022-03-29"}),
    ("Mis à jour le 29 septembre 2023", {"updated": "2023-09-29"}),
    ("Publié le 1er juin 2021", {"published": "2021-06-01"}),
    ("Le rapport a été publié le 3 mai 2021.", None),
    ("Publié le 12/01/2023", {"published": "2023-01-12"}),
    ("Date : 21/11/2018", {"published": "2018-11-21"}),
    ("Mis en ligne le 3 mai 2021", {"published": "2021-05-03"}),
    ("Date : à définir", None),
    ("Date limite de dépôt : 30 juin 2024", None),
    ("Publié le 31/02/2023", None),
])
def test_date_lines(rules, line, fields):
    assert is_date_line(line, rules) == fields


@pytest.mark.parametrize("line, expected", [
    ("Mode d'emploi ESS & ruralités - TRESSONS", True),
    ('"Tiers-Lieux et Collectivités - Comment faire ensemble ?"', True),
    ("Le RTES publie un guide sur la commande publique.", False),
    ("Type de ressource", False),
    ("Objectifs :", False),
    ("52160 VAILLANT", False),
    ("- un café associatif", False),
    ("Publié le 2 février 2024", False),
])
def test_title_like(rules, line, expected):
    assert is_title_like(line, rules) is expected


SEED_PAGES = {
    "000": ["kit de conviction et d'acceleration"],
    "001": ["Mode d'emploi ESS & ruralités - TRESSONS", "Pratiques informelles - Mise en débat par Résovilles",
            "Fiches techniques TRESSONS : 5 formes de coopération adaptées aux besoins des territoires ruraux",
            "Fiches techniques TRESSONS : 4 leviers d'actions pour renforcer l'ESS dans les territoires ruraux",
            "WEBINAIRE ESS & RURALITÉS - CONNAÎTRE L'ÉCOSYSTÈME D'ACCOMPAGNEMENT ET DE FINANCEMENT",
            "Pratiques de mobilisation des programmes de développement rural et des outils de contractualisation "
            "en faveur de l'ESS",
            "Fiche Déniché pour vous n°87 : Collectif GARE",
            "Panorama de projets d'ESS dans les territoires ruraux - TRESSONS",
            'RepèrESS "Développer l\'ESS dans les quartiers politique de la ville"'],
    "003": ["Face à un locataire ESS, une collectivité peut-elle faire une réduction sur le montant d'un loyer ?",
            'Voyage apprenant "Europe et ESS" à Bruxelles - 18 et 19 octobre 2023',
            "Webinaire - Evaluation de l'impact social/utilité sociale, quel rôle des collectivités ?",
            "Tiers-Lieux et Collectivités - Comment faire ensemble ?",
            'Découvrez "Le Petit guide du foncier nourricier" d\'Un Plus Bio',
            "Découvrez le catalogue des ressources Politique de la Ville & ESS du RTES",
            '"Le tourisme responsable : une opportunité pour valoriser les aménités naturelles des territoires" - ANCT',
            # the author's typographic apostrophes, kept
            "Coopérer entre collectivités et acteurs de l’ESS au service d’une transition systémique : "
            "la voie de la diplomatie territoriale ?"],
    "004": ["Fiche-action n°2 Territoires ruraux (projet TRESSONS)"],
}


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_PAGES))
def test_seed_pages_counted_by_reading_them(config, prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    records = pipeline_to_segment(path, config)
    assert [r.title for r in records] == SEED_PAGES[prefix]


@needs_seeds
def test_seed_fields(config):
    first = pipeline_to_segment(next(SEEDS.glob("000_*.txt")), config)[0]
    assert (first.published, first.updated) == ("2022-03-24", "2022-03-29")
    pages = {r.title: r for r in pipeline_to_segment(next(SEEDS.glob("003_*.txt")), config)}
    voyage = pages['Voyage apprenant "Europe et ESS" à Bruxelles - 18 et 19 octobre 2023']
    assert voyage.metadata["private"] is True and voyage.metadata["resource_type"] == "Ressources RTES"
    assert voyage.text.startswith("Dans le cadre de son chantier")
    catalogue = pages["Découvrez le catalogue des ressources Politique de la Ville & ESS du RTES"]
    assert catalogue.updated == "2023-09-29"
    gare = {r.title: r for r in pipeline_to_segment(next(SEEDS.glob("001_*.txt")), config)}[
        "Fiche Déniché pour vous n°87 : Collectif GARE"]
    assert gare.metadata["zone"] == "Haute-Marne" and "Mai 2020" in gare.metadata["keywords"]


@needs_seeds
def test_seed_labels_never_in_text(config):
    for path in SEEDS.glob("00[13]_*.txt"):
        for record in pipeline_to_segment(path, config):
            lines = record.text.split("\n")
            assert not {"Type de ressource", "Ressource privée", "Résumé", "Catégorie"} & set(lines), record.title


def test_a_record_far_longer_than_its_siblings_is_flagged(rules):
    from pipeline.record import Record, Source
    from pipeline.segment import flag

    def rec(i, text):
        return Record(f"r{i}", Source("d.txt", "0" * 64, "txt", "text"), text, title=f"T{i}")

    out = flag([rec(1, "court " * 20), rec(2, "court " * 22), rec(3, "long " * 400)], rules)
    assert [bool(r.flags) for r in out] == [False, False, True]
    assert "times the median length" in out[2].flags[0]


# --- ids from content; changes under their page; linear on long lines ---------------------------------

def test_a_page_keeps_its_id_when_its_dump_changes_elsewhere(config):
    text = (GOLDEN / "variantes.txt").read_text("utf-8")
    before = pipeline_to_segment_text(text, config)
    after = pipeline_to_segment_text(text + "\nUne ligne ajoutée tout à la fin, sans rapport.\n", config)
    assert len(before) == len(after) >= 3
    same = {r.id for r in before} & {r.id for r in after}
    assert len(same) >= len(before) - 1  # only the page that got the new line changes id


def test_identical_pages_of_one_file_get_distinct_ids(config):
    page = "Titre de la page\n\nUn paragraphe qui parle de coopération entre communes rurales.\n"
    record = extract_file(RawFile("double.txt", (page + "\f\n" + page).encode()), config)
    records = segment([record], config)
    assert len({r.id for r in records}) == len(records)


def pipeline_to_segment_text(text, config):
    record = extract_file(RawFile("sites/dump.txt", text.encode("utf-8")), config)
    return segment(repair([record], config), config)


def test_repair_changes_of_a_dump_are_filed_under_the_page_they_touched(variants):
    records, _ = variants
    assert len(records) >= 3
    first = min(r.source.span[0] for r in records)
    for record in records:
        for change in record.changes:
            if change.stage != "repair" or not change.before.strip():
                continue
            probe = change.before.split("\n")[0].strip()[:40]
            start, end = record.source.span
            extracted = record.extracted[0 if start == first else start:end]  # what precedes the first page is its
            norm = " ".join(extracted.replace("’", "'").split()).casefold()
            assert " ".join(probe.replace("’", "'").split()).casefold() in norm, (record.title, change)


def test_sentences_of_a_very_long_line_are_found_without_rescanning_it(rules, monkeypatch):
    """The abbreviation check looks at the few characters before each stop, not at the whole line."""
    from pipeline.segment import blocks as seg_structure

    seen: list[int] = []
    real = seg_structure._ABBREVIATIONS

    class Counting:
        def search(self, line, pos=0, endpos=None):
            seen.append((endpos if endpos is not None else len(line)) - pos)
            return real.search(line, pos, endpos if endpos is not None else len(line))

    monkeypatch.setattr(seg_structure, "_ABBREVIATIONS", Counting())
    line = " ".join(f"Phrase numéro {i} chez M. Dupont." for i in range(2000))
    _, _, sentences = structure([line], rules)
    assert len(sentences) >= 2000
    assert max(seen) <= 8


def test_flags_never_contradict_each_other(rules):
    """An empty record was flagged both "has a title but no text" and "has no title"."""
    from pipeline.record import Record, Source
    from pipeline.segment import flag

    source = Source("d.txt", "0" * 64, "txt", "text")
    empty, titled, untitled = flag([Record("r1", source, ""), Record("r2", source, " ", title="Titre"),
                                    Record("r3", source, "Du texte.")], rules)
    assert empty.flags == ("record r1 is empty",)
    assert titled.flags == ("record r2 has a title but no text",)
    assert untitled.flags[0] == "record r3 has no title"


def test_pages_without_a_block_of_their_own_are_not_swallowed(config):
    """A page with no metadata block after it used to join the page before, its title lost."""
    expected = json.loads((GOLDEN / "sans-bloc.json").read_text("utf-8"))["records"]
    records = pipeline_to_segment(GOLDEN / "sans-bloc.txt", config)
    assert [r.title for r in records] == [e["title"] for e in expected]
    towns = [e["town"] for e in expected]
    for record, want in zip(records, expected):
        assert record.published == want.get("published"), record.title
        assert want["town"] in record.text, record.title
        assert not any(t in record.text for t in towns if t != want["town"]), record.title


def _replays(records, path, config):
    """Each record's change log, replayed on the file's extracted text at its span, gives its text."""
    from pipeline.text.replay import replay

    extracted = extract_file(RawFile(path.name, path.read_bytes()), config).text
    for record in records:
        start, end = record.source.span
        assert replay(extracted[start:end], record.changes, check=True) == record.text, record.title


def test_a_dumps_site_header_names_the_site_instead_of_being_a_record(config):
    """A site name alone before a dump's first page became a record with a title and no text (a sixth of the
    records of the bench's generated corpus)."""
    expected = json.loads((GOLDEN / "entete.json").read_text("utf-8"))
    records = pipeline_to_segment(GOLDEN / "entete.txt", config)
    assert [r.title for r in records] == [e["title"] for e in expected["records"]]
    assert all(r.text.strip() and r.metadata["site"] == expected["site"] for r in records)
    for record, want in zip(records, expected["records"]):
        assert record.published == want["published"] and want["town"] in record.text
    header = [c for c in records[0].changes if c.before.strip() == expected["site"]]
    assert [(c.operation, c.after) for c in header] == [("move_to_field", "")]
    assert records[0].source.span[0] == 0 and not any(c.before.strip() == expected["site"] for c in records[1].changes)
    _replays(records, GOLDEN / "entete.txt", config)


@pytest.mark.parametrize("first", [
    "Une salle communale peut-elle être prêtée à une association ?",  # a question: a page's title
    "Bilan de la saison, des marchés et des ateliers",  # a comma: a sentence's title
    "Programme des rencontres régionales des épiceries solidaires du Massif central",  # longer than a name
])
def test_a_title_with_nothing_under_it_in_the_headers_place_stays_a_record(config, tmp_path, first):
    text = (GOLDEN / "entete.txt").read_text("utf-8").replace("Coopérative des Monts du Ségala", first)
    path = tmp_path / "dump.txt"
    path.write_text(text, "utf-8")
    records = pipeline_to_segment(path, config)
    assert [r.title for r in records] == [first, "Marché de producteurs à Naucelle", "Atelier de réparation à Baraqueville"]
    assert not records[0].text and "site" not in records[1].metadata


def test_a_site_name_before_one_document_is_left_to_the_title(config, tmp_path):
    """Only a dump's header: a name over a single document's text is that document's title, as before."""
    path = tmp_path / "one.txt"
    path.write_text("Coopérative des Monts du Ségala\n\nLa coopérative réunit quarante fermes du plateau.\n", "utf-8")
    records = pipeline_to_segment(path, config)
    assert [(r.title, r.text) for r in records] == [("Coopérative des Monts du Ségala",
                                                     "La coopérative réunit quarante fermes du plateau.")]
    assert "site" not in records[0].metadata


def test_the_site_header_can_be_turned_off(config, tmp_path):
    from pipeline.config import load
    from pipeline.segment import Segment
    from pipeline.stage import run_with

    off = tmp_path / "pipeline.toml"
    off.write_text((ROOT / "config" / "pipeline.toml").read_text("utf-8").replace("site_header_max_words = 8",
                                                                                    "site_header_max_words = 0"),
                   "utf-8")
    cfg = load(off)
    record = extract_file(RawFile("entete.txt", (GOLDEN / "entete.txt").read_bytes()), cfg)
    records = run_with(Segment(), repair([record], cfg), cfg)
    assert records[0].title == "Coopérative des Monts du Ségala" and not records[0].text


@pytest.mark.parametrize("written", ["CoopÃ©rative des Monts du SÃ©gala", "Coope\u0301rative des Monts du Se\u0301gala"])
def test_a_header_repair_changed_is_still_where_the_first_page_starts(config, tmp_path, written):
    """A header whose words repair mended (mojibake, decomposed accents) was not found in the extracted text:
    the first page started at its title, and the header's change went nowhere (a review)."""
    path = tmp_path / "dump.txt"
    path.write_text((GOLDEN / "entete.txt").read_text("utf-8").replace("Coopérative des Monts du Ségala", written),
                    "utf-8")
    records = pipeline_to_segment(path, config)
    assert records[0].source.span[0] == 0 and records[0].metadata["site"] == "Coopérative des Monts du Ségala"
    assert [c.operation for c in records[0].changes if c.stage == "segment"][0] == "move_to_field"
    _replays(records, path, config)
