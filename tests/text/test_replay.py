"""The change log replays: pipeline/text/replay.py, alone and under the stages that use it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.record import Change, Edit, Record, Source
from pipeline.text.replay import anchors, diff, pieces, place, project, replay

DEFAULT = Edit("layout", "", "", reason="blanks")
WORDS = ["le", "réseau", "Lyon", "des", "collectivités", "I'objet", "•", "Accueil", "2023", "’", "«", "»",
         "\u00a0", "quelgues", "é", "a"]
SEPS = [" ", " ", "\n", "\n\n", "\n\n\n", "  "]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=40).map(
    lambda pairs: "".join(w + s for w, s in pairs))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def changes(edits: list[Edit]) -> list[Change]:
    return list(Change.stamp(edits, "repair", "a.txt"))


def test_a_dropped_line_is_placed_where_it_stood_with_its_reason():
    old = "Accueil\nUn texte.\nAccueil\nDeux."
    new = "Accueil\nUn texte.\nDeux."
    placed = place(old, new, [Edit("drop_chrome", "Accueil", "", reason="chrome")], DEFAULT)
    assert [(e.operation, e.before, e.span) for e in placed] == [("drop_chrome", "Accueil\n", (18, 26))]
    assert replay(old, changes(placed), check=True) == new


def test_an_edit_takes_its_own_words_when_they_cover_the_difference():
    placed = place("Il faut quelgues mois.", "Il faut quelques mois.",
                   [Edit("ocr_word", "quelgues", "quelques", reason="OCR")], DEFAULT)
    assert [(e.operation, e.before, e.after, e.span) for e in placed] == [("ocr_word", "quelgues", "quelques", (8, 16))]


def test_a_difference_no_edit_explains_takes_the_default():
    placed = place("Un.\n\n\n\nDeux.", "Un.\n\nDeux.", [], DEFAULT)
    assert [(e.operation, e.before, e.after) for e in placed] == [("layout", "\n\n", "")]


def test_the_copy_kept_is_not_the_one_struck():
    """Issue 27: a paragraph said twice loses its second copy; the page strikes that one, not the first."""
    old = "Corps du texte.\n\nAutre.\n\nCorps du texte."
    new = "Corps du texte.\n\nAutre."
    placed = place(old, new, [Edit("drop_repeated_paragraph", "Corps du texte.", "", at=25)], DEFAULT,
                   anchors(old, ["Corps du texte.", "Autre."], [0, 17]))
    assert [e.span for e in placed] == [(23, 40)]
    shown, at = pieces(old, changes(placed))
    assert [p["text"] for p in shown if p["kind"] == "del"] == ["\n\nCorps du texte."]
    assert shown[0] == {"text": "Corps du texte.\n\nAutre.", "kind": "same", "change": None}
    assert at == [[len(new), len(new)]]


def test_anchors_keep_a_page_body_apart_from_its_summary():
    """Without anchors a diff may align the body with the summary that repeats it, striking the body."""
    body = "Le réseau publie un guide pour les élus et les services achats des collectivités."
    old = f"Titre\n\n{body}\n\nType de ressource\nGuides\nRésumé\n\n{body}"
    new = f"{body}\n\n{body}"
    placed = place(old, new, [Edit("move_to_title", "Titre", "")], DEFAULT, anchors(old, [body, body]))
    assert placed[0].operation == "move_to_title" and placed[0].before == "Titre\n\n"
    assert {e.operation for e in placed[1:]} == {"layout"}
    assert "".join(e.before for e in placed[1:]).strip() == "Type de ressource\nGuides\nRésumé"
    assert replay(old, changes(placed), check=True) == new


def test_replay_refuses_a_change_that_does_not_stand_where_it_says():
    wrong = [Change("repair", "ocr_word", "xyz", "abc", "a.txt", span=[0, 3])]
    try:
        replay("Un texte.", wrong, check=True)
    except ValueError as exc:
        assert "ocr_word" in str(exc)
    else:
        raise AssertionError("a change that does not stand where it says was replayed")


def test_a_merged_copy_s_changes_are_not_replayed_on_the_record():
    mine = Change("repair", "ocr_word", "quelgues", "quelques", "a.txt", span=[0, 8])
    theirs = Change("repair", "ocr_word", "Un", "Une", "b.txt", span=[0, 2], of="r2")
    assert replay("quelgues mots", [mine, theirs]) == "quelques mots"


@SETTINGS
@given(texts, texts)
def test_any_two_texts_place_into_changes_that_replay(old, new):
    placed = place(old, new, [], DEFAULT)
    assert replay(old, changes(placed), check=True) == new
    assert all(e.before != e.after for e in placed)


@SETTINGS
@given(texts, st.data())
def test_edits_of_a_text_replay_whatever_the_edits_say(old, data):
    """Edits that name the wrong text, or none, or overlap, still place into changes that replay exactly."""
    new = data.draw(texts)
    said = [Edit("ocr_word", data.draw(st.sampled_from(WORDS)), data.draw(st.sampled_from(WORDS)))
            for _ in range(data.draw(st.integers(0, 4)))]
    placed = place(old, new, said, DEFAULT)
    assert replay(old, changes(placed), check=True) == new


@SETTINGS
@given(texts, texts, st.data())
def test_changes_carried_onto_slices_replay_to_the_same_whole(old, new, data):
    """Cut a text in three anywhere: the changes made to the whole, carried onto each slice (`project`),
    replay each slice to its part of the result, and the parts make the whole result."""
    whole = changes(place(old, new, [], DEFAULT))
    a = data.draw(st.integers(0, len(old)))
    b = data.draw(st.integers(a, len(old)))
    parts = [replay(old[lo:hi], project(whole, lo, hi, last=k == 2), check=True)
             for k, (lo, hi) in enumerate(((0, a), (a, b), (b, len(old))))]
    assert "".join(parts) == new


@SETTINGS
@given(texts, texts, texts)
def test_pieces_show_the_given_text_struck_and_the_clean_text_live(first, second, third):
    """Replayed pieces: what is live is the clean text; what is live or struck, less what was put in, is the
    text as given.  Several runs of changes (three steps) included."""
    log = changes(place(first, second, [], DEFAULT)) + changes(place(second, third, [], DEFAULT))
    shown, at = pieces(first, log)
    assert "".join(p["text"] for p in shown if p["kind"] in ("same", "ins")) == third
    assert "".join(p["text"] for p in shown if p["kind"] in ("same", "del")) == first
    assert all(a is None or 0 <= a[0] <= a[1] <= len(third) for a in at)


def test_pieces_of_a_record_with_no_changes_are_its_text():
    record = Record("r", Source("a.txt", "0" * 64, "txt", "text", span=[0, 5]), "Texte", extracted="Texte")
    assert pieces("Texte", record.changes)[0] == [{"text": "Texte", "kind": "same", "change": None}]


def test_a_step_that_changes_every_line_is_placed_line_by_line():
    """A step that changes every line of a long text is diffed line by line, then word by word, never as
    one block: each change keeps its own place (one giant hunk was what a whole-text diff gave)."""
    old = "\n".join(f"ligne {i} avec  deux blancs" for i in range(20_000))
    new = old.replace("  ", " ")
    placed = place(old, new, [], DEFAULT)
    assert len(placed) == 20_000
    assert all(not e.before.strip() and len(e.before) - len(e.after) == 1 for e in placed)  # one blank each
    assert replay(old, changes(placed), check=True) == new


def test_diff_of_equal_texts_is_empty():
    assert diff("même", "même") == []


def test_a_line_dropped_before_a_blank_line_is_one_change():
    assert diff("Accueil\n\nUn texte.", "\nUn texte.") == [(0, 8, 0, 0)]


def test_a_short_block_of_lines_shifted_by_one_is_compared_word_by_word():
    old = "Accueil\nLe réseau accompagne les projets.\nIl faut quelgues mois."
    new = "Le réseau accompagne les projets !\nIl faut quelques mois.\nContact"
    assert [(old[a:b], new[c:d]) for a, b, c, d in diff(old, new)] == [
        ("Accueil\n", ""), (".", " !"), ("quelgues", "quelques"), ("", "\nContact")]
