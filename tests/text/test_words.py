"""pipeline/text/words.py: the fast path of `zipf` says what wordfreq says."""

from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import zipf_frequency

from pipeline.text.words import zipf

LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëàâäùûüçôöîïœæÿÉÈÀÇŒ"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=LETTERS, min_size=1, max_size=12), st.sampled_from(["fr", "en"]))
def test_any_spelling_scores_as_wordfreq_says(word, lang):
    assert zipf(word, lang) == zipf_frequency(word, lang)


def test_words_and_non_words():
    for word in ("maison", "épicerie", "œuvre", "Œuvre", "ÉTÉ", "quelgues", "objet", "tiers-lieu"):
        expected = zipf_frequency(word, "fr") if word.isalpha() else 0.0
        assert zipf(word) == expected
    assert zipf("maison") > 4 and zipf("quelgues") == 0.0
    assert zipf("¢a") == 0.0  # not letters only: wordfreq would score "a"
