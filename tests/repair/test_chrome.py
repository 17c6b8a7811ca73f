"""Site chrome learned from a folder, and page furniture of paged documents."""

from pathlib import Path

from pipeline.repair.chrome import ChromePatterns, add_edges, chrome_lines, count_edges, drop_chrome, drop_page_furniture

ROOT = Path(__file__).resolve().parents[2]


def learn_chrome(texts_by_folder, edge, min_docs, min_share):
    """As the stage learns: each document's edge lines counted alone (the cached map step), then added up."""
    per_document = [count_edges({folder: [text]}, edge) for folder, texts in texts_by_folder.items() for text in texts]
    return chrome_lines(add_edges(per_document), min_docs, min_share)

HEADER = "Réseau Exemple des Territoires"


def test_line_at_the_top_of_most_documents_is_learned():
    texts = [f"{HEADER}\n\nTitre {i}\n\nCorps du texte numéro {i}." for i in range(4)]
    learned = learn_chrome({"site": texts}, edge=3, min_docs=3, min_share=0.5)
    assert HEADER.casefold() in learned
    assert not any(line.startswith("titre") for line in learned)


def test_two_documents_sharing_a_first_line_are_not_enough():
    texts = [f"{HEADER}\n\nA.", f"{HEADER}\n\nB.", "Autre\n\nC.", "Encore\n\nD."]
    assert learn_chrome({"site": texts}, edge=3, min_docs=3, min_share=0.5) == frozenset()


def test_lines_in_the_middle_are_never_learned():
    texts = [f"Début {i}\nA\nB\nC\nType de ressource\nX\nY\nZ\nFin {i}" for i in range(5)]
    assert "type de ressource" not in learn_chrome({"d": texts}, edge=3, min_docs=3, min_share=0.5)


def test_running_header_and_page_numbers_dropped():
    bodies = ["Le réseau a grandi.", "Trois chantiers ont commencé.", "La feuille de route est adoptée."]
    pages = [f"Rapport annuel 2023\n\n{body}\n\n{i}/3" for i, body in enumerate(bodies, start=1)]
    text, changes = drop_page_furniture("\n\f\n".join(pages), 0.5)
    assert "Rapport annuel" not in text and "/3" not in text
    assert all(body in text for body in bodies)
    assert {c.reason for c in changes} == {"running header or footer (repeats on the pages)", "page number"}


def test_a_single_page_keeps_everything():
    text = "Rapport annuel 2023\n\nTexte.\n\n1"
    assert drop_page_furniture(text, 0.5) == (text, [])


def test_a_line_alone_on_its_pages_is_not_furniture():
    text = "CIVAM\n\f\nCIVAM "
    assert drop_page_furniture(text, 0.5) == (text, [])


def test_a_breadcrumb_whose_last_item_changes_on_every_page_is_learned():
    """Issue 20: "Site › Ressources › Fiche 664" differs on every page by its last item; its trail does not."""
    texts = [f"Réseau Exemple — Ressources › Fiches › Fiche {i}\n\nTitre {i}\n\nCorps {i}." for i in range(4)]
    learned = learn_chrome({"site": texts}, edge=3, min_docs=3, min_share=0.5)
    text, changes = drop_chrome("Réseau Exemple — Ressources › Fiches › Fiche 999\n\nTitre\n\nCorps.",
                                ChromePatterns(frozenset(), ()), learned)
    assert "Fiche 999" not in text and "Corps." in text
    assert changes[0].reason == "repeats at the edge of many documents of this folder"


def test_titles_that_differ_by_a_number_are_not_learned():
    """Only a trail is compared without its numbers: newsletters titled "Lettre n°12", "Lettre n°13"… keep them."""
    texts = [f"Lettre d'information n°{i}\n\nCorps {i}." for i in range(5)]
    assert learn_chrome({"lettres": texts}, edge=3, min_docs=3, min_share=0.5) == frozenset()


def test_single_page_breadcrumbs_share_and_footer_lines_are_chrome():
    patterns = ChromePatterns.load(ROOT / "config" / "chrome.txt")
    for line in ("Accueil › Actualités › Appels à projets", "Vous êtes ici : Accueil > Agir > Économie sociale",
                 "Coopérative des Monts du Ségala — Accueil › Ressources › Fiche 12",
                 "Mairie de Naucelle | Accueil » Vie locale » Marchés", "Partager : Facebook Twitter LinkedIn", "Mentions légales | Plan du site | Contact",
                 "Menu Rechercher Se connecter"):
        assert patterns.matches(line), line


def test_sentences_with_chrome_words_stay():
    patterns = ChromePatterns.load(ROOT / "config" / "chrome.txt")
    for line in ("Contact : Sophie Martin, chargée de mission", "Accueil des publics le mardi matin",
                 "Menu du jour : soupe de saison", "Contact", "Le menu > la carte, disait-elle",
                 "La mairie – accueil du public le mardi", "Le guichet a fermé. Accueil > 12 h, disait l'affiche",
                 "Centre social — accueil / inscriptions du lundi au vendredi de 9 h à 12 h",
                 "Horaires - Accueil | du lundi au vendredi", "Le tiers-lieu – Accueil/café associatif ouvert le samedi",
                 "Trois publics - accueil > orientation > suivi, c'est notre méthode",
                 "Notre démarche – accueil › écoute, puis orientation",
                 "Partager ses outils avec Facebook ne suffit pas."):
        assert patterns.matches(line) is None, line
