"""The spaCy model: loaded once per process with the gazetteer's entity rulers, and fed texts of any length."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..text import compiled
from ..text.fold import fold_name
from .gazetteer import Gazetteer

_MODELS: dict[tuple[str, bool, int], Any] = {}


def load_model(name: str, rules: bool, gazetteer: Gazetteer | None) -> Any:
    """The spaCy pipeline, loaded once per process (per model, rules on or off, and gazetteer)."""
    key = (name, rules, id(gazetteer))
    if key not in _MODELS:
        _MODELS[key] = _build_model(name, rules, gazetteer)
    return _MODELS[key]


# spaCy's tokenizer looks for suffixes along a token over and over: quadratic on a run of thousands of
# characters without a space ("*****", "[[[[["), a minute for 60 KB.  No name is that long: such runs are
# read as blanks of the same length, so offsets stay those of the text.
_LONG_TOKEN = re.compile(r"\S{200,}")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def split_chunks(text: str, size: int) -> list[str]:
    """`text` in pieces of at most about `size` characters that join back to it exactly, cut at a paragraph
    break, else a line break, else a space: spaCy refuses texts past its `max_length` (error E088) and needs
    memory in proportion to the text, so a long report is read piece by piece."""
    chunks, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0) or size
        chunks.append(text[start:start + cut + (0 if cut == size else 1)])
        start += len(chunks[-1])
    chunks.append(text[start:])
    return chunks


def pipe(nlp: Any, texts: Iterable[str], batch_size: int, chunk_chars: int) -> Iterator[Any]:
    """`nlp.pipe` over texts of any length: long ones are read in chunks and joined back into one Doc
    whose text is the text given, offsets and entities included."""
    from spacy.tokens import Doc

    pieces: list[list[str]] = [split_chunks(_LONG_TOKEN.sub(_blank, t), chunk_chars) for t in texts]
    docs = iter(nlp.pipe((c for chunks in pieces for c in chunks), batch_size=batch_size))
    for chunks in pieces:
        parts = [next(docs) for _ in chunks]
        yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


# The tokenizer's expressions, as the model keeps them (its `tokenizer` file): the French one that says a word
# is whole (`token_match`) is 1.4 MB and costs seconds to compile in each process (text/compiled.py).
_TOKENIZER_PATTERNS = ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match")


def tokenizer_patterns(name: str) -> list[str]:
    """The regular expressions of the model's tokenizer, read from its files without importing spaCy's language
    (whose import compiles the largest of them); [] when the model is not an installed package or a folder."""
    import importlib.util

    import srsly

    folder = Path(name)
    if not folder.is_dir():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return []
        if spec is None or not spec.submodule_search_locations:
            return []
        folders = sorted(Path(next(iter(spec.submodule_search_locations))).glob(f"{name}-*"))
        folder = folders[-1] if folders else folder
    try:
        data = srsly.msgpack_loads((folder / "tokenizer").read_bytes())
    except (OSError, ValueError, TypeError):
        return []
    return [data[k] for k in _TOKENIZER_PATTERNS if isinstance(data, dict) and isinstance(data.get(k), str)]


def _build_model(name: str, rules: bool, gazetteer: Gazetteer | None) -> Any:
    place = compiled.folder()
    if place is not None:  # kept compiled (text/compiled.py): seeded before spaCy's French import compiles them
        compiled.seed(tokenizer_patterns(name), place)
    import spacy

    nlp = spacy.load(name, exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])
    if rules and gazetteer is not None:
        # Two rulers, one matcher each: names of several tokens matched on their lower case (spaCy's
        # PhraseMatcher on LOWER), then single tokens (a word, an acronym, "Île-de-France") as written (a
        # PhraseMatcher on ORTH, so "mes" is never "MES"), leaving the tokens a longer name took.  One ruler
        # would match the single tokens with token patterns, in spaCy's Matcher, which tries every pattern at
        # every token: about 13 % of the model's time.  The entities are the same: a longer match always won.
        # A ruler with no pattern is left out (spaCy warns at every text it reads).
        patterns = [_pattern(nlp, "ORG", spelling, gazetteer) for spelling, _ in gazetteer.org_names]
        patterns += [_pattern(nlp, "LOC", spelling, gazetteer) for spelling in gazetteer.place_names]
        for name, attr, overwrite, single in (("entity_ruler", "LOWER", True, False),
                                              ("entity_ruler_words", "ORTH", False, True)):
            chosen = [p for p, one in filter(None, patterns) if one == single]
            if chosen:
                ruler = nlp.add_pipe("entity_ruler", name=name, before="ner",
                                     config={"phrase_matcher_attr": attr, "overwrite_ents": overwrite})
                ruler.add_patterns(chosen)
    return nlp


def _pattern(nlp: Any, label: str, spelling: str, gazetteer: Gazetteer) -> tuple[dict[str, Any], bool] | None:
    """The ruler's pattern for a gazetteer name, and whether it is a single token; None for an ambiguous name."""
    if fold_name(spelling) in gazetteer.ambiguous:
        return None
    return {"label": label, "pattern": spelling}, len(nlp.make_doc(spelling)) == 1
