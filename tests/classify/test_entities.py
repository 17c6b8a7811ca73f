"""Entities: canonical names, acronyms, postcodes, false hits, language, themes, annotate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT
from pipeline.classify import annotate, detect_language
from pipeline.classify.entities import acronym_definitions, person_name
from pipeline.text.fold import fold_name as fold
from pipeline.classify.themes import load as load_themes, themes_of


@pytest.fixture(scope="module")
def ann(config):
    return lambda text: annotate(text, config)


def names(result, label):
    return sorted({e["canonical"] for e in result["entities"] if e["label"] == label})


def test_one_organisation_whatever_its_spelling(ann):
    text = ("Le RTES et le Réseau des collectivités Territoriales pour une Économie Solidaire travaillent avec "
            "l'Avisé, puis avec l'AVISE et l'Avise.")
    assert names(ann(text), "ORG") == ["Avise", "Réseau des collectivités Territoriales pour une Économie Solidaire"]


def test_acronym_defined_in_the_text_is_linked(ann):
    text = ("Le projet est porté par la Fédération nationale des coopératives d'utilisation de matériel agricole "
            "(FNCUMA). La FNCUMA réunit les coopératives.")
    result = ann(text)
    fncuma = [e for e in result["entities"] if e["text"] == "FNCUMA"]
    assert len(fncuma) == 2
    assert {e["canonical"] for e in fncuma} == {"Fédération nationale des coopératives d'utilisation de matériel agricole"}


def test_acronym_definitions_both_ways():
    text = "le collectif GARE (Groupement des Acteurs Ruraux en Ecoactivité) et la Communauté de communes " \
           "Auberive Vingeanne Montsaugeonnais (CCAVM)"
    found = {(long, acro) for long, _, _, acro, _, _ in acronym_definitions(text)}
    assert ("Groupement des Acteurs Ruraux en Ecoactivité", "GARE") in found
    assert ("Communauté de communes Auberive Vingeanne Montsaugeonnais", "CCAVM") in found


def test_places_canonical_postcode_and_department(ann, config):
    from pipeline.classify import Context

    text = "Un séminaire en Ille et Vilaine, puis à Niort.\n\n52160 VAILLANT\n\nZone d'action : Haute-Marne"
    result = ann(text)
    assert names(result, "LOC") == ["Haute-Marne", "Ille-et-Vilaine", "Niort", "Vaillant"]
    from pipeline.classify import analyse

    ctx = Context(config)
    full = analyse(text, ctx.nlp(text), ctx)
    assert "Haute-Marne" in full["places"]  # the postcode's department


@pytest.mark.parametrize("heading", ["Contexte :", "Objectifs :", "Actions :", "Partenaires :", "Organiser une rencontre."])
def test_headings_are_not_entities(ann, heading):
    assert [e for e in ann(f"{heading}\n\nLe réseau agit.")["entities"] if e["label"] != "DATE"] == []


@pytest.mark.parametrize("raw, canonical", [
    ("Céline COUBARD", "Céline Coubard"), ("COUBARD Céline", "Céline Coubard"), ("Mme Jeanne Roux", "Jeanne Roux"),
    ("Louise de Rochechouart", "Louise de Rochechouart"), ("anne-laure federici", "Anne-Laure Federici"),
])
def test_person_names_first_last(raw, canonical):
    assert person_name(raw) == canonical


def test_offsets_point_into_the_text_as_given(ann):
    text = "Claude Sicart présente le projet à Marseille le 24 mars 2022 avec l'ANCT."
    result = ann(text)
    for entity in result["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
    assert {e["label"] for e in result["entities"]} == {"PER", "LOC", "DATE", "ORG"}


def test_fold_ignores_case_accents_articles_and_hyphens():
    assert fold("l'Avisé") == fold("AVISE") == "avise"
    assert fold("Ille et Vilaine") == fold("Ille-et-Vilaine")


def test_language_french_english_and_too_short():
    assert detect_language("Le réseau des collectivités accompagne les projets de l'économie sociale.", 0, 40) == "fr"
    assert detect_language("The network supports local authorities in building a social economy.", 0, 40) == "en"
    assert detect_language("Oui", 0, 40) is None


@pytest.mark.parametrize("text, expected", [
    ("Rencontre des tiers-lieux ruraux", "fr"),  # a heading: 29 letters, under langdetect's 40
    ("Open call for rural projects", "en"),
    ("Oui", None),  # too short to tell
])
def test_short_paragraphs_get_a_language_or_none(config, text, expected):
    from pipeline.classify import Context

    assert Context(config).language(text) == expected


def test_loading_the_detector_asks_it_past_the_cheap_test(config, monkeypatch):
    """The workers share lingua's models only if the main process reads them before they fork: its sample
    reaches lingua (the cheap test would settle a French sentence and read nothing), and it is short and
    plain ASCII, the text that makes lingua read every Latin-script language's models at once."""
    import pipeline.classify as classify

    asked = []
    monkeypatch.setattr(classify, "detect_with_lingua", lambda text, *rest: asked.append(text))
    classify.Context(config).load_detector()
    assert len(asked) == 1 and asked[0].isascii() and len(asked[0]) < 120


def test_a_regional_language_no_library_models_is_never_called_french(config):
    from pipeline.classify import Context

    assert Context(config).language("Lo país d'òc es bèl e la lenga occitana viu encara") != "fr"


def test_an_unknown_language_code_in_config_stops_with_one_line(tmp_path):
    from pipeline.config import ConfigError, load

    (tmp_path / "p.toml").write_text('[classify]\nlanguages = ["fr", "oc"]\n', "utf-8")
    with pytest.raises(ConfigError, match=r"\[classify\] languages: unknown ISO 639-1 code 'oc'"):
        load(tmp_path / "p.toml")


def test_an_english_passage_in_a_french_page_is_noticed(config):
    from pipeline.classify import run
    from pipeline.record import Record, Source
    from pipeline.segment import rules_for, structure

    paragraphs = ["Le réseau a organisé une rencontre européenne à Bruxelles avec les collectivités adhérentes.",
                  "The transition pathway for proximity and social economy was presented by the Commission staff.",
                  "Les participants ont ensuite visité une coopérative de quartier et un restaurant solidaire."]
    text, blocks, sentences = structure(paragraphs, rules_for(config))
    record = Record("r1", Source("a.txt", "0" * 64, "txt", "text"), text, blocks=blocks, sentences=sentences)
    [out] = run([record], config)
    assert out.language == "fr"
    assert [b.get("language") for b in out.blocks] == ["fr", "en", "fr"]


def test_themes_with_their_evidence(config):
    taxonomy = load_themes(config.data_file(config.section("classify")["themes_file"]))
    found = themes_of("Un tiers-lieu rural ouvre une épicerie solidaire et soutient les circuits courts en milieu "
                      "rural, dans un village.", taxonomy)
    assert set(found) == {"alimentation", "ruralité"}
    assert "circuits courts" in found["alimentation"] and "village" in found["ruralité"]
    assert themes_of("Le conseil municipal a voté le budget.", taxonomy) == {}
    # the words as the text writes them, accents kept (issue 21: "europeenne", "epiceries" were shown folded)
    found = themes_of("Deux épiceries et la cantine, avec l'ÉPICERIE du village et des circuits courts.", taxonomy)
    assert "épiceries" in found["alimentation"] and "europeenne" not in str(found)
    assert len([w for w in found["alimentation"] if w.casefold() == "épicerie"]) == 1  # two spellings, one word
    found = themes_of("Un tiers-lieu rural et deux autres tiers-lieux, un espace de coworking.", taxonomy)
    assert "tiers-lieu" in found["tiers-lieux"]  # the phrase with the text's own hyphen


def test_themes_skip_only_triggers_that_cannot_match(config):
    """themes_of searches a trigger only when its folded stem is in the folded text: the same themes and
    words as searching every trigger, on texts made of the triggers' own words, cut and joined at random."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipeline.text.fold import fold_name

    taxonomy = load_themes(config.data_file(config.section("classify")["themes_file"]))
    pieces = sorted({w for _, triggers in taxonomy.themes for trigger, _, _ in triggers
                     for w in re.split(r"(\W+)", trigger.rstrip("*")) if w} | {"s", "x", "-", "’", " ", "\n", "L'"})

    def every_trigger(text):
        folded = fold_name(text)
        found = {}
        for label, triggers in taxonomy.themes:
            hits = {m.group(0) for _, _, pattern in triggers for m in pattern.finditer(folded)}
            if len(hits) >= taxonomy.min_hits:
                found[label] = hits
        return found

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=25).map("".join))
    def check(text):
        found = themes_of(text, taxonomy)
        assert set(found) == set(every_trigger(text))
        assert all(len(words) >= taxonomy.min_hits for words in found.values())

    check()


def test_cli_annotate_prints_one_json_object():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "annotate", "-"], input="Réunion à Lyon le 5 mai 2023.",
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"language", "entities", "dates"}
    assert data["dates"][0]["start"] == "2023-05-05"


def test_a_text_past_spacys_max_length_is_read_in_chunks_with_the_same_offsets(config):
    """spaCy refuses a text past `nlp.max_length` (E088: a 1.1-million-character report ended the run).
    Long texts are read in chunks cut at paragraph breaks and joined back: same text, same offsets."""
    from pipeline.classify import Context
    from pipeline.classify.entities import entities, pipe, split_chunks

    ctx = Context(config)
    nlp = ctx.nlp
    paragraph = "Le RTES et la Région Bretagne ont réuni les communes à Rennes le 4 mars 2023."
    text = "\n\n".join(paragraph for _ in range(60))
    assert "".join(split_chunks(text, 500)) == text
    whole = next(pipe(nlp, [text], 4, 1_000_000))
    saved = nlp.max_length
    nlp.max_length = 1000  # stands for the million characters of the real limit
    try:
        chunked = next(pipe(nlp, [text], 4, 500))
    finally:
        nlp.max_length = saved
    assert chunked.text == text
    found = entities(chunked, ctx.gazetteer, True)
    assert [(e["start"], e["end"], e["label"]) for e in found] == \
        [(e["start"], e["end"], e["label"]) for e in entities(whole, ctx.gazetteer, True)]
    assert all(text[e["start"]:e["end"]] == e["text"] for e in found)
    assert sum(e["text"] == "Rennes" for e in found) == 60


def test_a_long_run_without_spaces_is_not_fed_to_the_tokenizer(config):
    """spaCy's suffix search is quadratic along one token: 60 KB of '*' took 77 s. Such runs are read as
    blanks of the same length; the entities after them keep their offsets."""
    text = "*" * 20000 + " Le RTES se réunit à Rennes."
    result = annotate(text, config)
    rennes = [e for e in result["entities"] if e["text"] == "Rennes"]
    assert rennes and text[rennes[0]["start"]:rennes[0]["end"]] == "Rennes"


def spans(result, label):
    return [e["text"] for e in result["entities"] if e["label"] == label]


def test_titles_belong_to_the_mention_not_to_the_name(ann):
    result = ann("Le cortège fourni par M. Hagenbeck a traversé la ville. Le général de Gaulle est arrivé.")
    assert "M. Hagenbeck" in spans(result, "PER") and "général de Gaulle" in spans(result, "PER")
    assert names(result, "PER") == ["Hagenbeck", "de Gaulle"]


def test_a_surname_alone_takes_the_full_name_given_in_the_text(config):
    from pipeline.api import annotate as api_annotate

    result = api_annotate("Jacques Chirac a parlé hier. Selon Chirac, la réforme attendra.", config)
    assert {e["canonical"] for e in result["entities"] if e["label"] == "PER"} == {"Jacques Chirac"}


def test_articles_taken_by_the_model_are_left_out_unless_part_of_the_name(ann):
    result = ann("Les exportations vers la France ont baissé. Il a rejoint le café associatif Le Comptoir des "
                 "Lilas, près du Havre.")
    assert "France" in spans(result, "LOC") and "la France" not in spans(result, "LOC")
    assert "Le Comptoir des Lilas" in spans(result, "ORG")


@pytest.mark.parametrize("text, organisation", [
    ("La commune travaille avec la Banque des Territoires depuis 2019.", "Banque des Territoires"),
    ("Le collectif La Brèche, installé à Roubaix, demande un rendez-vous.", "La Brèche"),
    ("Toulouse Métropole lance un appel à projets.", "Toulouse Métropole"),
    ("Le Conseil fédéral dans son message propose une loi.", "Conseil fédéral"),
    ("avec le soutien de l'Agence nationale de la cohésion des territoires.",
     "Agence nationale de la cohésion des territoires"),
    ("Étaient présents : Sophie Martin (Chambre régionale de l'économie sociale et solidaire des Hauts-de-France).",
     "Chambre régionale de l'économie sociale et solidaire des Hauts-de-France"),
    ("Porteur : Garage solidaire du Berry\nLieu : Vierzon", "Garage solidaire du Berry"),
    # issue 20: an organisation by its context, its kind, its authority over a place, its acronym and place
    ("Le jardin partagé, porté par Ricochet, ouvre en mai.", "Ricochet"),
    ("Elle travaille avec la coopérative Les Tisserands depuis deux ans.", "Les Tisserands"),
    ("Le projet a reçu le soutien de la Région Normandie et de l'État.", "Région Normandie"),
    ("Le Département de la Haute-Vienne finance le projet.", "Département de la Haute-Vienne"),
    ("La CRESS Occitanie organise une journée à Sète.", "CRESS Occitanie"),
    ("Les permanences de France Travail reprennent lundi.", "France Travail"),
    ("Lauréats :\n- Le Pré Commun (Gers) : maraîchage en insertion\n- Autre chose", "Le Pré Commun"),
    ("Le ramassage est confié à Val-Cher Communauté depuis janvier.", "Val-Cher Communauté"),
])
def test_organisations_no_gazetteer_lists(ann, text, organisation):
    assert organisation in spans(ann(text), "ORG")


def test_two_organisations_joined_by_et_stay_two(ann):
    found = spans(ann("Avec le soutien de la Fondation Terres Communes et du Réseau des épiceries solidaires de "
                      "l'Ouest, le projet avance."), "ORG")
    assert "Fondation Terres Communes" in found and not any(" et du " in f for f in found)


def test_acronym_after_an_elided_article_is_linked(ann):
    result = ann("Une étude menée avec l'Agence nationale de la cohésion des territoires (ANCT). Selon l'ANCT, "
                 "le nombre de tiers-lieux a doublé.")
    anct = [e for e in result["entities"] if e["text"] == "ANCT"]
    assert len(anct) == 2 and {e["canonical"] for e in anct} == {"Agence nationale de la cohésion des territoires"}


@pytest.mark.parametrize("text, not_a_name", [
    ("Les Suisses et les Autrichiens se sont rencontrés à Genève.", "Suisses"),
    ("Les Suisses et les Autrichiens se sont rencontrés à Genève.", "Autrichiens"),
    ("Dialoguer avec les habitants du quartier.", "Dialoguer"),
    ("Réunion du 14 février 2022 à la mairie de Crest.", "Réunion"),
    ("Mission locale\nAccueil des jeunes de 16 à 25 ans.", "Mission locale"),
    # issue 20: kinds alone, a title alone, a name run into the next line's first word
    ("Le PTCE a réuni ses membres.", "PTCE"),
    ("Lancement de l'AMI pour les tiers-lieux ruraux.", "AMI"),
    ("a déclaré Madame la Vice-Présidente Hélène VERDIER à la tribune.", "Madame la Vice-Présidente"),
    ("Ciné-débat sur les coopératives, Privas\nJeudi 4 novembre : marché, Aubenas", "Privas\nJeudi"),
    ("Le projet est en France Mardi prochain.", "France Mardi"),
])
def test_what_is_not_a_name(ann, text, not_a_name):
    assert not_a_name not in [e["text"] for e in ann(text)["entities"]]


def test_places_inside_a_sentence_are_kept(ann):
    found = spans(ann("Il est parti de Genève pour Londres, puis pour les Etats-Unis et l'Angleterre."), "LOC")
    assert {"Genève", "Londres", "Etats-Unis", "Angleterre"} <= set(found)


def test_a_name_wrapped_over_a_line_end_is_kept_a_heading_over_two_lines_is_not(ann):
    wrapped = ann("Enfin, avant de prendre ses vacances, le\nConseil national a décidé de créer un impôt.")
    assert "Conseil national" in spans(wrapped, "ORG")
    heading = ann("Toulouse\nReconnaissance des acquis de l'expérience\n\nLe dispositif commence en mai.")
    assert not any("\n" in e["text"] for e in heading["entities"])


def test_an_acronym_holding_a_word_in_capitals_is_defined():
    found = {(long, acro) for long, _, _, acro, _, _ in
             acronym_definitions("avec la Fédération nationale des CUMA (FNCUMA) et les CUMA du Gers")}
    assert found == {("Fédération nationale des CUMA", "FNCUMA")}


@pytest.mark.parametrize("text, organisation", [
    ("Organisée par la Chambre régionale de Bretagne le 14/11/23 à Saint-Brieuc, la journée a réuni les élus.",
     "Chambre régionale de Bretagne"),
    ("La Banque alimentaire de Loire-Atlantique fournit une partie des denrées.",
     "Banque alimentaire de Loire-Atlantique"),
])
def test_an_organisation_ends_before_a_date_and_runs_over_a_hyphen(ann, text, organisation):
    assert organisation in spans(ann(text), "ORG")


def test_a_breton_name_is_not_cut_at_its_apostrophe(ann):
    result = ann("« Kenavo », a conclu Maëlle Guivarc'h, présidente du réseau.")
    assert "Maëlle Guivarc'h" in spans(result, "PER")


def test_a_title_glued_to_a_name_leaves_the_person(ann):
    result = ann("« Bravo », a déclaré Madame la Vice-Présidente Hélène VERDIER lors de la remise des prix.")
    assert names(result, "PER") == ["Hélène Verdier"]


def test_a_context_word_before_a_person_leaves_the_person(ann):
    """"porté par" names an organisation, unless the model reads a person there."""
    result = ann("Le projet, porté par Marie-Hélène Durand, a été retenu par le jury.")
    assert "Marie-Hélène Durand" in names(result, "PER")
    assert not names(result, "ORG")


def test_a_place_inside_an_authority_is_not_a_place_mentioned(ann):
    """The nesting policy: "la Région Normandie" is an organisation; Normandie is a place only where the
    text also names it alone."""
    alone = ann("La Région Normandie soutient le projet.")
    assert names(alone, "ORG") == ["Région Normandie"] and not names(alone, "LOC")
    both = ann("La Région Normandie soutient les épiceries de Normandie.")
    assert names(both, "LOC") == ["Normandie"]


def test_an_acronym_alone_is_the_organisation_it_starts(ann):
    result = ann("La CRESS Occitanie ouvre un appel. Les dossiers sont à envoyer à la CRESS avant juin.")
    assert names(result, "ORG") == ["CRESS Occitanie"]


def test_a_list_of_people_with_their_town_stays_people(ann):
    result = ann("Intervenants :\n- Marie Dupont (Rennes) : présidente du réseau\n- Paul Martin (Brest) : élu")
    assert {"Marie Dupont", "Paul Martin"} <= set(names(result, "PER"))
    assert not ({"Marie Dupont", "Paul Martin"} & set(names(result, "ORG")))


def test_a_name_wrapped_over_a_line_stays_whole(ann):
    result = ann("Le rapport du Conseil\nfédéral a été publié hier à Berne.")
    assert "Conseil\nfédéral" in [e["text"] for e in result["entities"]]


@pytest.mark.parametrize("text, is_junk", [
    ('| ¢ N | xa"i;}&fii 3 e Co-construction', True), ("Q@ TouLOUSE Reconnaissance", True),
    ("Accueil › Ressources › Fiche", True), ("x7 k9 ## 4r", True),
    ("Vrac & Cie", False), ("LinkedIn", False), ("BlaBlaCar", False), ("A. Q.", False),
    ("Université Rennes 2", False), ("Saint-Jean-de-Luz", False), ("O'Neill", False), ("Dugué-Kerlenn", False),
    ("Comics des de le truc de de le puissance", True), ("Législatif syndicales de d j il base vous poils", True),
    ("Maison de la Culture de Le Havre", False), ("Office de tourisme de Les Sables-d'Olonne", False),
])
def test_the_quality_gate_stops_debris_and_lets_names_through(text, is_junk):
    from pipeline.classify.entities import junk

    assert junk(text) is is_junk


# --- people need evidence (issue 28) ------------------------------------------------------------------

import pytest  # noqa: E402


@pytest.mark.parametrize("text, name, person", [
    ("Sylvie MARCHAND-LEROUX, vice-présidente, a ouvert la séance.", "Sylvie MARCHAND-LEROUX", True),  # first name
    ("La séance a été ouverte par M. Hagenbeck devant le conseil.", "Hagenbeck", True),  # a title before it
    ("Elle a été présentée par Dardel, présidente du réseau.", "Dardel", True),  # a function after it
    ("Le rapport de F. Ody a été adopté.", "F. Ody", True),  # an initial
    ("MM. Marc Peter, Rochaix et Sigg ont voté.", "Rochaix", True),  # in a list after a person
    ("Une salle prêtée par Schulthess a accueilli la réunion.", "Schulthess", True),  # no French word: a surname
    ("Les bénévoles de La Remise trient les dons.", "La Remise", False),  # an article: a thing's name
    ("Les paniers de EpiSol partent le mardi.", "EpiSol", False),  # a capital inside
    ("Le magasin Solidaire a ouvert hier.", "Solidaire", False),  # a common word of French
    ("Le Moulin Fleuri accueille le public.", "Moulin Fleuri", False),
])
def test_a_person_needs_evidence(text, name, person):
    from pipeline.api import load_config
    from pipeline.classify.people import gate_people

    titles = _titles(load_config(None))
    start = text.index(name)
    found = [{"text": name, "label": "PER", "start": start, "end": start + len(name), "canonical": name}]
    if name == "Rochaix":
        first = text.index("Marc Peter")
        found.insert(0, {"text": "Marc Peter", "label": "PER", "start": first, "end": first + 10,
                         "canonical": "Marc Peter"})
    label = gate_people(found, text, titles)[-1]["label"]
    assert (label == "PER") is person, (name, label)


def _titles(config):
    from pipeline.config import data_lines
    from pipeline.text.fold import fold_name

    return frozenset(fold_name(x.strip()) for x in data_lines(config.data_file("gazetteer/titles.txt")))


# --- issue 28: rules of the language and the field, each with what it must leave alone -----------------------
# The cases are data: tests/golden/entities.toml (positive and negative expectations side by side).

ENTITY_CASES = tomllib.loads((ROOT / "tests" / "golden" / "entities.toml").read_text("utf-8"))["case"]


@pytest.mark.parametrize("case", ENTITY_CASES, ids=[c["why"][:60] for c in ENTITY_CASES])
def test_golden_entity_case(ann, case):
    result = ann(case["text"])
    for key, label in (("orgs", "ORG"), ("places", "LOC"), ("people", "PER"), ("misc", "MISC")):
        found = names(result, label)
        if case.get("exact") and key == "orgs":
            assert found == case["orgs"], (case["why"], found)
        missing = [n for n in case.get(key, []) if not any(n == f or key == "misc" and n in f for f in found)]
        assert not missing, (case["why"], label, missing, found)
        unwanted = [f for f in found for n in case.get(f"no_{key}", []) if n in f]
        assert not unwanted, (case["why"], label, unwanted)


def test_one_sense_per_text(ann):
    """What a strong context says of a name holds for its other mentions in the text."""
    text = ("Le chantier d’insertion La Fabrique a porté la boutique jusqu'en 2020. "
            "Depuis, Terrabul est autonome par rapport à La Fabrique.")
    fabrique = [e for e in ann(text)["entities"] if e["text"] == "La Fabrique"]
    assert len(fabrique) == 2 and {e["label"] for e in fabrique} == {"ORG"}


def test_the_gazetteer_rulers_match_single_words_as_written_and_longer_names_first(config):
    """Two rulers (names of several words case-folded, single words as written): the same entities as one
    ruler whose longest match wins."""
    from pipeline.classify import Context

    nlp = Context(config).nlp
    rulers = [name for name in nlp.pipe_names if name.startswith("entity_ruler")]
    with nlp.select_pipes(enable=rulers):
        ents = lambda text: [(e.text, e.label_) for e in nlp(text).ents]  # noqa: E731
        assert ents("Le MES réunit ses membres.") == [("MES", "ORG")]
        assert ents("Voici mes amis et les Mes de la semaine.") == []  # a word, not the acronym
        assert ents("Une rencontre du réseau civam en Bretagne.") == [("réseau civam", "ORG"), ("Bretagne", "LOC")]
        assert ents("Le Réseau CIVAM et le CIVAM du Gard.") == [("Réseau CIVAM", "ORG"), ("CIVAM", "ORG"),
                                                               ("Gard", "LOC")]


def test_the_two_rulers_find_what_one_ruler_found(config):
    """Against the one ruler they replaced (single tokens as token patterns in spaCy's Matcher): every
    gazetteer name as written, in lower case and in capitals, and names side by side, the same entities."""
    import random

    import spacy

    from pipeline.classify import Context

    nlp = Context(config).nlp
    rulers = [name for name in nlp.pipe_names if name.startswith("entity_ruler")]
    one = spacy.blank("fr").add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    patterns = [p for name in rulers for p in nlp.get_pipe(name).patterns]
    single = {p["pattern"] for p in nlp.get_pipe("entity_ruler_words").patterns}
    one.add_patterns([{**p, "pattern": [{"ORTH": p["pattern"]}]} if p["pattern"] in single else p for p in patterns])
    names = sorted({p["pattern"] for p in patterns})
    rng = random.Random(7)
    texts = [f"Avec {form} cette année." for n in names for form in (n, n.lower(), n.upper())]
    texts += [" ".join(rng.choice(names + ["le", "mes", "Mes", "et", "du", "réseau", "de"]) for _ in range(12))
              for _ in range(300)]
    with nlp.select_pipes(enable=rulers):
        for text in texts:
            assert [(e.start, e.end, e.label_) for e in nlp(text).ents] == \
                [(e.start, e.end, e.label_) for e in one(nlp.make_doc(text)).ents], text
