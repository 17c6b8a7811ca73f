"""Repair's steps say where each edit's text stands (`Edit.at`), so that placing thousands of edits of the
same word costs no search; and the memo of one text's rounds (`Seen`) gives what a fresh step gives."""

from __future__ import annotations

from hypothesis import given

from pipeline.record import Change
from pipeline.repair import Seen, _blanks, _debris_and_words, repair_text
from pipeline.repair.layout import join_lines
from pipeline.repair.typography import fix_typography
from pipeline.text.replay import replay

from .test_properties import CTX, SETTINGS, texts  # the same texts of words, debris, OCR slips and blanks


@SETTINGS
@given(texts)
def test_each_word_edit_stands_where_it_says(text):
    _, edits = _debris_and_words(text, CTX)
    for edit in edits:
        assert edit.at is None or text[edit.at:edit.at + len(edit.before)] == edit.before, edit


def test_the_same_damaged_word_twice_in_a_line_has_two_places():
    text = "Le projet réunit quelgues communes et quelgues villes de la région."
    _, edits = _debris_and_words(text, CTX)
    assert [(e.before, e.at) for e in edits] == [("quelgues", 17), ("quelgues", 38)]


def test_a_joined_line_break_stands_where_it_says_or_nowhere():
    text = "Le réseau des\ncollectivités locales se réunit\nà Rennes.\nLe bureau des   \ncommunes"
    _, edits = join_lines(text, CTX.lexicon)
    assert [(e.before, e.at) for e in edits] == [("des\ncollectivités", 10), ("réunit\nà", 39),
                                                 ("des\ncommunes", None)]  # blanks before the break: not whole


@SETTINGS
@given(texts, texts)
def test_a_line_seen_in_another_text_gives_what_a_fresh_step_gives(first, second):
    seen = Seen()
    _debris_and_words(first, CTX, seen)
    seen.damage = 0  # the OCR damage counted is the text's own (a Seen is made per text)
    assert _debris_and_words(second, CTX, seen) == _debris_and_words(second, CTX)


def test_a_line_seen_at_a_sentence_start_is_not_taken_for_one_inside_a_sentence():
    seen = Seen()
    starts, _ = _debris_and_words("Fin.\nI'objet de la réunion est connu.", CTX, seen)
    seen.damage = 0
    inside, _ = _debris_and_words("Le texte dit\nI'objet de la réunion est connu.", CTX, seen)
    assert starts.endswith("L'objet de la réunion est connu.")
    assert inside.endswith("l'objet de la réunion est connu.")


def test_many_copies_of_a_line_are_each_changed_on_their_own():
    """Lines alike give a word diff nothing to anchor on: each line's change stays on its line (one change
    over dozens of lines, labelled by one of their edits, was what the whole block's diff gave)."""
    text = "\n".join("Il faut quelgues Aif,é#@@%’;)/ mois pour le projet." for _ in range(300))
    out, edits = repair_text(text, CTX)
    assert out.count("quelques") == 300 and "Aif" not in out
    assert len(edits) == 300 and all("\n" not in e.before and e.before.startswith("quelgues") for e in edits)
    assert replay(text, list(Change.stamp(edits, "repair", "a.txt")), check=True) == out


def test_a_word_on_a_line_whose_digits_were_put_back_keeps_its_own_label():
    _, edits = repair_text("Il faut quelgues mois 2O21.\nIl faut quelgues mois.", CTX)
    assert [(e.operation, e.span) for e in edits] == [("ocr_word", (8, 16)), ("ocr_digits", (22, 26)),
                                                      ("ocr_word", (36, 44))]


def test_lines_joined_around_their_breaks_are_changed_at_the_breaks():
    _, edits = repair_text("quelqu'un\r\nfiches\r\nquelqu'un ", CTX)
    assert [(e.operation, e.before, e.after) for e in edits if e.operation == "join_lines"] == [
        ("join_lines", "\r\n", " "), ("join_lines", "\r\n", " ")]


def test_a_word_french_knows_stays_as_written_where_no_ocr_damage_shows():
    page = "Les textes qui précèdent ont été écrits à côté de la mairie, et le coté nord aussi."
    assert repair_text(page, CTX)[0] == page  # an author's verb and spelling, on a page without OCR damage


def test_a_word_french_knows_is_mended_in_a_text_an_ocr_damaged():
    poster = "Il faut quelgues mois pour I'objet.\nLe projet est tres utile et son role est connu."
    out, _ = repair_text(poster, CTX)
    assert "très utile" in out and "rôle" in out and "quelques" in out


def test_a_word_split_off_a_cut_title_is_no_ocr_damage():
    """A title cut mid-word ("nationau", split into "nation au") shows no OCR: the known words of the text
    stay as written ("cote", "meme" on a page typed without accents)."""
    page = "Les trois chantiers nationau à Rennes.\n\nLe cote nord et le meme jour."
    assert repair_text(page, CTX)[0].endswith("Le cote nord et le meme jour.")


def test_a_run_of_blanks_is_changed_where_it_stands_not_its_whole_line():
    """A double space was logged as its whole line rewritten: the record page struck the line and wrote it
    again.  Each run inside a line is its own change; blanks at a line's ends are layout (trim_blanks)."""
    text = "Le chantier a conduit  une délégation\t à Vannes.  \n  Début\u00a0\u00a0en retrait."
    new, edits = _blanks(text, CTX.cfg)
    assert new == "Le chantier a conduit une délégation à Vannes.\nDébut\u00a0en retrait."
    assert [(e.before, e.after, e.at) for e in edits] == [("  ", " ", 21), ("\t ", " ", 37),
                                                          ("\u00a0\u00a0", "\u00a0", 58)]
    for edit in edits:
        assert text[edit.at:edit.at + len(edit.before)] == edit.before
    fixed, changes = repair_text(text, CTX)
    assert fixed == new
    assert [c.before for c in changes if c.operation == "collapse_spaces"] == ["  ", "\t ", "\u00a0\u00a0"]
    assert replay(text, Change.stamp(changes, "repair", "a.txt"), check=True) == fixed


def test_the_authors_no_break_and_thin_spaces_stay_what_they_were():
    """A run holding a narrow no-break space became a wide one; two thin spaces became a plain space; a run of
    no-break spaces at a line's start was logged as layout (a review)."""
    text = "Le mot \u202f; la suite\u2009\u2009: fin\n\u00a0\u00a0En retrait."
    new, edits = _blanks(text, CTX.cfg)
    assert new == "Le mot\u202f; la suite\u2009: fin\n\u00a0En retrait."
    assert [(e.before, e.after) for e in edits] == [(" \u202f", "\u202f"), ("\u2009\u2009", "\u2009"),
                                                    ("\u00a0\u00a0", "\u00a0")]
    fixed, changes = repair_text(text, CTX)
    assert replay(text, Change.stamp(changes, "repair", "a.txt"), check=True) == fixed
    assert not [c for c in changes if c.operation == "trim_blanks" and c.before.strip(" \t")]


def test_a_mended_apostrophe_is_changed_where_it_stands_not_its_whole_line():
    text = "Le projet vise l`insertion.\nIl permet I'’émergence et l´emploi."
    new, edits = fix_typography(text, "keep")
    assert new == "Le projet vise l’insertion.\nIl permet I’émergence et l’emploi."
    assert [(e.before, e.after, e.at) for e in edits] == [("`", "’", 16), ("'’", "’", 39), ("´", "’", 55)]
    fixed, changes = repair_text(text, CTX)
    assert replay(text, Change.stamp(changes, "repair", "a.txt"), check=True) == fixed
