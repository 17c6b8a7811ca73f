"""Named entities: spaCy's French model, corrected and completed by rules and data.

Every rule is measured on real text written by others (HIPE-2020, `make bench`) and on our own golden
documents, beside the bare model: it keeps what the model gets right.

1. Two entity rulers placed before the model's `ner` tag the organisations,
   regions and departments of the gazetteer (names of several tokens ignoring
   case, then single tokens as written; names that are also ordinary words,
   listed in `ambiguous.txt`, are left to the model).
2. The model's spans are reshaped as annotators write names: a person with the
   titles before the name ("M. Hagenbeck"), a place without the article the
   model took ("la France"), unless the article is part of the name.
3. Spans the model does not give: acronyms defined in the text and each use of
   them (acronyms.py), organisations by the shape of their name
   (organisations.py), postcode lines ("52160 VAILLANT": the commune and the
   department the postcode gives).  They win over the model's where they
   overlap, unless the model's organisation is longer.
4. Filters drop the model's typical false hits: headings and labels
   (`not_entities.txt`), text with no capital, a verb or a demonym (by part of
   speech), a heading read with the line under it, and, only where a capital
   says nothing (a sentence's or a line's first word), a capitalised common
   word or a heading fragment.
5. Canonical names: the gazetteer's (an organisation whatever its spelling,
   accent, article or acronym; a department or region with its official
   spelling; a commune as Geonames writes it), the long form of an acronym
   defined in the text, people as "First Last" without titles, a surname
   alone as the full name the text gives elsewhere (people.py).

With `rules = false` only the bare model runs, for comparison.
"""

from __future__ import annotations

import re
from typing import Any

from ..text.fold import fold_name
from ..text.spans import Spans
from ..text.words import zipf
from .acronyms import acronym_definitions
from .discourse import one_sense
from .lists import listed_names
from .gazetteer import Gazetteer
from .model import load_model, pipe, split_chunks
from .organisations import organisation_spans, text_organisation_spans
from .people import gate_people, link_people, person_name, without_titles

__all__ = ["acronym_definitions", "entities", "load_model", "person_name", "pipe", "split_chunks"]

_POSTCODE = re.compile(r"\b((?:0[1-9]|[1-8]\d|9[0-5]|97[1-6])\d{3})\s+([A-ZÀ-Þ][A-ZÀ-Þ'’\- ]{1,40}[A-ZÀ-Þ])\b")


def entities(doc: Any, gazetteer: Gazetteer, rules: bool, filters: dict[str, float] | None = None) -> list[dict[str, Any]]:
    filters = filters or {"common_word_zipf": 4.0, "common_phrase_zipf": 3.3, "unknown_place_zipf": 2.5,
                          "demonym_zipf": 2.0}
    text = doc.text
    spans: list[dict[str, Any]] = []
    for ent in doc.ents:
        if ent.label_ not in ("PER", "LOC", "ORG", "MISC"):
            continue
        spans.append({"text": ent.text, "label": ent.label_, "start": ent.start_char, "end": ent.end_char,
                      "pos": ent[0].pos_ if len(ent) == 1 else ""})
    if not rules:
        return [{**s, "canonical": re.sub(r"\s+", " ", s["text"]).strip()} for s in spans]
    people = [(s["start"], s["end"]) for s in spans if s["label"] == "PER"]
    spans = [_reshape(_cut_at_line_end(_within_a_block(span, gazetteer), text, filters), text, gazetteer, people)
             for span in spans if not (span["label"] == "PER" and _titles_only(span["text"], gazetteer))]

    defined: dict[str, str] = {}
    schemes: set[str] = set()  # acronyms the text defines as a kind of body or a scheme ("TEOM", "PTCE")
    extra: list[dict[str, Any]] = []
    for long_form, ls, le, acronym, as_, ae in acronym_definitions(text):
        if _names_a_class(long_form, acronym, gazetteer):
            schemes.add(acronym)
            continue  # "les Pôles territoriaux de coopération économique (PTCE)": a kind of body, not one
        canonical = gazetteer.organisation(acronym) or gazetteer.organisation(long_form) or \
            re.sub(r"\s+", " ", long_form).strip()
        defined[acronym] = canonical
        defined[fold_name(long_form)] = canonical
        extra.append({"text": text[ls:le], "label": "ORG", "start": ls, "end": le})
        extra.append({"text": acronym, "label": "ORG", "start": as_, "end": ae})
    is_place = lambda t: gazetteer.place(t) is not None  # noqa: E731 - one test, given to both rule modules
    shaped = organisation_spans(doc, gazetteer.org_words) + text_organisation_spans(
        text, gazetteer.org_words, is_place,
        lambda t: zipf(t.lower()) >= filters["common_word_zipf"],
        lambda t: (place := gazetteer.place(t)) is not None and place.kind in ("region", "department"))
    for start, end, shape in sorted(shaped):
        if any(s["label"] == "ORG" and s["start"] < end and start < s["end"] and s["end"] - s["start"] > end - start
               for s in spans):
            continue  # a longer organisation the model or the gazetteer found wins
        if shape in ("context", "list_item", "apposition") and any(s["label"] == "PER" and s["start"] < end and start < s["end"]
                                      and len(s["text"].split()) >= 2 for s in spans):
            continue  # "porté par Marie Dupont": a person the model reads there stays one
        extra.append({"text": text[start:end], "label": "ORG", "start": start, "end": end,
                      "shaped": shape not in ("head", "tail", "kind")})  # a shape that holds at a sentence's start
    extra.extend(_named_areas(text, gazetteer))
    for start, end, label in listed_names(text, is_place, gazetteer.known_place, gazetteer.generic_type):
        extra.append({"text": text[start:end], "label": label, "start": start, "end": end, "pos": "PROPN",
                      "shaped": True})
    for m in _CIVILITY_CAPITALS.finditer(text):
        if not (gazetteer.organisation(m.group(1)) or gazetteer.known_place(m.group(1))):
            extra.append({"text": m.group(0), "label": "PER", "start": m.start(), "end": m.end(1), "pos": "PROPN"})
    for m in _POSTCODE.finditer(text):
        extra.append({"text": m.group(0), "label": "LOC", "start": m.start(), "end": m.end(), "postcode": m.group(1),
                      "commune": m.group(2)})
    acronyms = [a for a in defined if a.isupper()]
    if acronyms:  # every mention of a defined acronym, not only the one in its definition
        for m in re.finditer(r"\b(" + "|".join(re.escape(a) for a in acronyms) + r")\b", text):
            extra.append({"text": m.group(0), "label": "ORG", "start": m.start(), "end": m.end()})

    # extra spans win over the model's where they overlap
    merged = sorted(extra, key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept: list[dict[str, Any]] = []
    taken = Spans()
    for span in merged + list(spans) + _acronyms_in_prose(text, gazetteer, schemes, filters):
        if taken.add(span["start"], span["end"]):
            kept.append(span)

    out = []
    for span in sorted(kept, key=lambda s: (s["start"], s["end"])):
        resolved = _resolve(span, text, gazetteer, defined, filters)
        if resolved is not None and resolved["label"] in ("ORG", "LOC", "MISC"):
            resolved = _body_or_not(resolved, text, gazetteer, schemes)
        if resolved is not None:
            out.append(resolved)
    strong = {(s["start"], s["end"]) for s in extra}  # shapes, acronym definitions: contexts that say "a body"
    return link_organisations(one_sense(gate_people(link_people(out), text, gazetteer.titles), text,
                                        gazetteer.known_place, strong))


_CAPITALS = re.compile(r"(?<![\w’'.-])[A-Z][A-Z0-9]{1,7}(?![\w’'-]|\.\w)")


def _acronyms_in_prose(text: str, gazetteer: Gazetteer, schemes: set[str],
                       filters: dict[str, float]) -> list[dict[str, Any]]:
    """Acronyms written inside running text ("côté MEL", "avec l'ADEME et la CCI"): in French prose a word
    in capitals of two to eight letters names a body, unless it is a place, a kind of body or scheme, a
    roman numeral, a word of the language in capitals, or stands in a line of capitals (a heading) or
    beside other words in capitals ("LES AMIS DU …").  Used where no other span covers them."""
    found = []
    for m in _CAPITALS.finditer(text):
        word = m.group(0)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        letters = [ch for ch in line if ch.isalpha()]
        if sum(ch.islower() for ch in letters) < 0.5 * len(letters) or _ROMAN.match(word) or word in schemes:
            continue
        near = text[max(line_start, m.start() - 20):m.end() + 20]
        if len(re.findall(r"\b[A-ZÀ-Þ]{2,}\b", near)) > 1:
            continue
        if gazetteer.known_place(word) or gazetteer.generic_type(word) or zipf(word.lower()) >= filters["common_word_zipf"] \
                or fold_name(word) in gazetteer.titles or fold_name(word) in gazetteer.not_entities:
            continue
        found.append({"text": word, "label": "ORG", "start": m.start(), "end": m.end(), "pos": "PROPN"})
    return found


# "Madame la Vice-Présidente BAUME", "M. le maire DURAND": a surname in capitals after a civility and a title
_CIVILITY_CAPITALS = re.compile(r"\b(?:Madame|Monsieur|Mme|M\.)\s+(?:(?:la|le|l['’])\s*)?(?:[\w-]+\s+)?"
                                r"([A-ZÀ-Þ]{2,}(?:-[A-ZÀ-Þ]{2,})?)\b(?![ \t]+[A-ZÀ-Þ][a-zà-ÿ])")
_AFTER_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&]{1,11})\)[ \t]+$")
_COMPASS_PLACE = re.compile(r"\b(?:Nord|Sud|Est|Ouest|Centre)-([A-ZÀ-Þ][\w’'-]+)")


def _named_areas(text: str, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Places named by a place word and a known place ("Vallée de la Meuse", "Pays de Morlaix",
    `place_words.txt`) or by a point of the compass joined to one ("Sud-Alsace", "Nord-Isère"): one place,
    the whole name."""
    found = []
    if gazetteer.place_words:
        heads = "|".join(re.escape(w) for w in gazetteer.place_words)
        pattern = rf"\b(?:{heads})\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*([A-ZÀ-Þ][\w’'-]*(?:\s+[A-ZÀ-Þ][\w’'-]*)?)"
        for m in re.finditer(pattern, text):
            before = text[max(0, m.start() - 60):m.start()].casefold()
            if any(p.search(before) for p in gazetteer.authorities):
                continue  # "communauté de communes du Pays de Lunel": the body's name, not a place
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n])
                if gazetteer.known_place(name):
                    end = m.start(1) + len(name)
                    found.append({"text": text[m.start():end], "label": "LOC", "start": m.start(), "end": end,
                                  "pos": "PROPN", "shaped": True})
                    break
    for m in _COMPASS_PLACE.finditer(text):
        if gazetteer.place(m.group(1)) and not gazetteer.known_place(m.group(0)):
            found.append({"text": m.group(0), "label": "LOC", "start": m.start(), "end": m.end(), "pos": "PROPN",
                          "shaped": True})
    return found


def _names_a_class(long_form: str, acronym: str, gazetteer: Gazetteer) -> bool:
    """An acronym's definition that names a kind of body or scheme: listed as one (`generic_types.txt`), a
    scheme's or event's head (`not_organisation_heads.txt`), or a plural head ("Sociétés coopératives …")."""
    if gazetteer.organisation(acronym) or gazetteer.organisation(long_form):
        return False
    if gazetteer.generic_type(long_form) or gazetteer.generic_type(acronym) or gazetteer.not_organisation(long_form):
        return True
    head = re.sub(r"^[ldLD]['’]", "", long_form.split()[0]).lower()
    return len(head) > 3 and head[-1] in "sx" and zipf(head) >= 3.0 and zipf(head[:-1]) >= 3.0


_SCHEME_BEFORE = re.compile(r"(?:appel à projets|appel à manifestation d['’]intérêt|programme|dispositif|plan|label|prix|"
                            r"opération|démarche|projet|concours|trophées?|film|festival)\s*[«“\"]\s*$", re.I)


def _body_or_not(e: dict[str, Any], text: str, gazetteer: Gazetteer, schemes: set[str]) -> dict[str, Any] | None:
    """A name that is no organisation or place: a kind of body or scheme ("SCIC", "Entreprise à But
    d'Emploi"), or the end of one ("Solidaire" of "Économie Sociale et Solidaire"), is no entity; an
    organisation that is a scheme, law, event or field by its first word ("Plan …", "Loi …", "Forum …",
    "Économie circulaire"), an acronym the text defines as a scheme, the name in quotes after a scheme word
    ("appel à projets « Territoires solidaires »"), or two names on either side of a slash ("Ministère /
    CRESS"), is kept as a mention (MISC)."""
    if gazetteer.generic_type(e["canonical"]) or gazetteer.generic_type(e["text"]) or \
            _ends_a_class(text, e["start"], e["end"], gazetteer) or fold_name(e["text"]) in gazetteer.titles:
        return None  # nor is a title ("Vice-Président") a place
    if e["label"] == "LOC" and (m := _AFTER_ACRONYM.search(text, max(0, e["start"] - 12), e["start"])) \
            and m.group(1) not in schemes:
        return None  # "Chambre régionale … (CRESS) Bretagne": the place ends the body's name
    if e["label"] == "ORG" and (gazetteer.not_organisation(e["text"]) or e["text"] in schemes or " / " in e["text"]
                                or _SCHEME_BEFORE.search(text[max(0, e["start"] - 60):e["start"]])):
        return {**e, "label": "MISC"}
    return e


def _ends_a_class(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Whether the span is the last words of a kind's name written before it ("l'Économie Sociale et
    Solidaire" read as "Solidaire")."""
    before = re.findall(r"[\w’'-]+", text[max(0, start - 60):start])
    words = re.findall(r"[\w’'-]+", text[start:end])
    return any(gazetteer.generic_type(" ".join(before[-k:] + words)) for k in range(1, min(6, len(before)) + 1))


def link_organisations(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An acronym alone ("la CRESS") is the one organisation of the text whose name it starts ("CRESS
    Bretagne"), when there is exactly one."""
    names = sorted({e["canonical"] for e in found if e["label"] == "ORG"})
    out = []
    for e in found:
        if e["label"] == "ORG" and re.fullmatch(r"[A-Z]{2,8}", e["canonical"]):
            longer = [n for n in names if n.startswith(e["canonical"] + " ")]
            if len(longer) == 1:
                e = {**e, "canonical": longer[0]}
        out.append(e)
    return out


def _titles_only(surface: str, gazetteer: Gazetteer) -> bool:
    """A person span with no name in it: "Madame la Vice-Présidente", "le Président" (the name the model
    gives next to it is the person)."""
    words = [w for w in re.findall(r"[\w'’.-]+", surface) if fold_name(w) not in gazetteer.titles]
    return not any(w[:1].isupper() and w.lower().rstrip(".") not in ("m", "mme", "mlle", "dr", "pr", "me")
                   and fold_name(w) not in _FUNCTION for w in words)


def _cut_at_line_end(span: dict[str, Any], text: str, filters: dict[str, float]) -> dict[str, Any]:
    """A span the model ran over a line end into the next line's first word, where that line starts
    afresh: a line that does not wrap, followed by a capitalised common word or a figure ("Privas⏎Jeudi
    18 novembre", "Annonay⏎Programme complet").  A name wrapped over a line ("général de⏎Gaulle",
    "Jean⏎Dupont") stays whole."""
    start, end = span["start"], span["end"]
    surface = text[start:end]
    cut = surface.find("\n")
    if cut <= 0 or _line_start(text, start):
        return span  # a line read with the line under it is dropped whole as a heading (`_resolve`)
    head, after = surface[:cut].rstrip(), surface[cut:].lstrip()
    first = re.match(r"[\w’'-]+", after)
    if not head.strip() or _wrapped(head) or not first:
        return span
    word = first.group(0)
    if not (word[0].isdigit() or word[0].isupper() and zipf(word.lower()) >= filters["common_word_zipf"]):
        return span  # "Conseil⏎fédéral": a lower-case word carries the name on
    return {**span, "text": head, "end": start + len(head), "pos": "PROPN" if len(head.split()) == 1 else ""}


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)\.?\s+$")
_ARTICLES = re.compile(r"^(?:(?:la|le|les|de|du|des)\s+|[ld]['’]\s*)+", re.I)


_BLOCK_EDGE = re.compile(r"\n[ \t]*\n|\n[ \t]*[-•●▪*–][ \t]")


def _within_a_block(span: dict[str, Any], gazetteer: Gazetteer) -> dict[str, Any]:
    """A span the model ran over a blank line or into a list item ("Nantes⏎⏎Enterrement", "pr⏎- Bill"):
    a name never crosses a paragraph's or an item's edge, so it is cut there (the first piece with
    letters is kept; a known place the model called an organisation there is a place: "Privas⏎⏎Programme
    complet")."""
    surface = span["text"]
    edges = list(_BLOCK_EDGE.finditer(surface))
    if not edges:
        return span
    for begin, stop in zip([0, *(e.end() for e in edges)], [*(e.start() for e in edges), len(surface)]):
        stripped = surface[begin:stop].strip()
        if sum(ch.isalpha() for ch in stripped) >= 2:
            start = span["start"] + surface.index(stripped, begin)
            label = "LOC" if span["label"] == "ORG" and gazetteer.known_place(stripped) else span["label"]
            return {**span, "text": stripped, "label": label, "start": start, "end": start + len(stripped),
                    "pos": ""}
    return span


_ENDS_ON_CONNECTOR = re.compile(r"\b(?:du|de|des|de la|d['’]|l['’]|pour|et)\s*$", re.I)
_CARRIED_ON = re.compile(r"[ \t]*\n?[ \t]*(?:(?:la|l['’])\s*)?[A-ZÀ-Þ][\w’'-]*(?:[ \t]+(?:(?:de|du|des|la|le|sur|en|d['’])[ \t]*)?"
                         r"[A-ZÀ-Þ][\w’'-]*){0,3}")


def _reshape(span: dict[str, Any], text: str, gazetteer: Gazetteer,
             people: list[tuple[int, int]] = ()) -> dict[str, Any]:
    """The model's span made to cover the name as annotators write it: a person with the titles written
    before the name ("M. Hagenbeck", "général de Gaulle"); a place or organisation without the article
    or preposition the model took with it ("la France", "de France"), unless that article is part of the
    name (capitalised inside a sentence: "Le Comptoir des Lilas", a commune like "Le Havre")."""
    start, end = span["start"], span["end"]
    if span["label"] == "LOC" and (number := re.search(r"\s+\d", span["text"])):
        end = start + number.start()  # "Puy-en-Velay 43e territoire habilité": a place's name holds no number
    if span["label"] == "ORG" and (where := re.search(r"\s+à\s+([A-ZÀ-Þ][\w’'-]+(?:[ -][A-ZÀ-Þ][\w’'-]+)*)$",
                                                    span["text"])) and gazetteer.known_place(where.group(1)):
        end = start + where.start()  # "Commission à Bayonne": an organisation and the town it is in
    if span["label"] in ("ORG", "LOC") and (carried := _CARRIED_ON.match(text, end)) \
            and _ENDS_ON_CONNECTOR.search(span["text"]):
        before = re.findall(r"[\w’'-]+", _ENDS_ON_CONNECTOR.sub("", span["text"]))
        if not any(end <= a < carried.end() for a, _ in people) and before and (
                before[-1][:1].isupper() or gazetteer.authority(span["text"])):  # not "Journal de" + "Frédéric III",
            # nor "Orchestre de la ville de" + "Lucerne" (a common noun before "de": the place stays one)
            end = carried.end()  # "Conseil départemental du" + "Pas-de-Calais": a name does not end on "du"
    tail = re.match(r"[^\W\d_]{1,2}\b", text[end:end + 3])
    if span["label"] == "PER" and text[end - 1:end] in ("'", "’") and tail:
        end += tail.end()  # "Guivarc'h", a Breton name the tokenizer cut at its apostrophe
    if span["label"] == "PER":
        for _ in range(3):
            m = _WORD_BEFORE.search(text, max(0, start - 40), start)
            if not m or fold_name(m.group(1)) not in gazetteer.titles or "\n\n" in m.group(0):
                break
            start = m.start()
    else:
        m = _ARTICLES.match(span["text"])
        rest = span["text"][m.end():] if m else ""
        if m and rest[:1].isupper():
            capitalised = m.group(0)[:1].isupper()
            place = gazetteer.place(span["text"])
            if not capitalised or (_sentence_start(text, start) and not (place and fold_name(place.name)
                                                                          != fold_name(rest))):
                start += m.end()
    if (start, end) == (span["start"], span["end"]):
        return span
    return {**span, "text": text[start:end], "start": start, "end": end}


def _resolve(span: dict[str, Any], text: str, gazetteer: Gazetteer, defined: dict[str, str],
             filters: dict[str, float]) -> dict[str, Any] | None:
    surface = span["text"]
    clean = re.sub(r"\s+", " ", surface).strip(" \"'«»’,.;:()&-–•")
    if not clean or not any(ch.isupper() for ch in clean) or sum(ch.isalpha() for ch in clean) < 2:
        return None
    if _ROMAN.match(clean) or fold_name(clean) in gazetteer.not_entities or "postcode" not in span and junk(clean):
        return None
    lone = re.match(r"[\s\"'«»’,.;:()&\-–•]*[A-ZÀ-Þ]\s+(?=[^\W\d_]{2})", surface)
    if lone and "postcode" not in span and span["label"] != "PER":  # "Q LYON", "A Valence": a stray letter or an unaccented "À"
        skip = lone.end()
        return _resolve({**span, "text": surface[skip:], "start": span["start"] + skip, "pos": ""}, text, gazetteer,
                        defined, filters)
    if "\n" in surface.strip() and _line_start(text, span["start"]) and not _wrapped(surface.split("\n")[0]):
        return None  # a heading and the line under it, read as one name (not "général de⏎Gaulle")
    out = {"text": surface, "label": span["label"], "start": span["start"], "end": span["end"]}
    if "postcode" in span:
        place = gazetteer.place(span["commune"])
        out["canonical"] = place.name if place else person_name(span["commune"].title())
        department = gazetteer.department_of_postcode(span["postcode"])
        if department:
            out["department"] = department
        return out
    organisation = defined.get(clean) or defined.get(fold_name(clean)) or gazetteer.organisation(clean)
    if organisation:
        return {**out, "label": "ORG", "canonical": organisation}
    if gazetteer.authority(clean):
        return {**out, "label": "ORG", "canonical": clean[0].upper() + clean[1:]}
    # a capital at a sentence's start says nothing, unless the name's shape does ("- Vrac & Cie (Nord) :",
    # "porté par Ricochet")
    at_start = _sentence_start(text, span["start"]) and not span.get("shaped")
    place = gazetteer.place(clean)
    if place and len(clean.split()) == 1 and at_start and (fold_name(clean) in gazetteer.ambiguous or (
            place.kind == "commune" and zipf(clean.lower()) >= filters["common_word_zipf"])):
        return None  # "Bonnes fêtes", "Réunion du 14 février": a place's name, here a word starting a sentence
    if place and (span["label"] == "LOC" or place.kind != "commune"):
        return {**out, "label": "LOC", "canonical": place.name}
    if span.get("pos") == "VERB":
        return None  # "Dialoguer", "Rappelons": a verb the model took for a name
    if span["label"] != "PER" and span.get("pos") in ("NOUN", "ADJ") and not gazetteer.known_place(clean) \
            and zipf(clean.lower()) >= filters["demonym_zipf"]:
        return None  # "les Suisses", "un Américain": a noun or adjective, not a name
    if span["label"] == "ORG" and span.get("pos") and gazetteer.known_place(clean):
        out["label"] = "LOC"  # "Tokio", "Yougoslavie": one word, a known place
    if out["label"] == "LOC" and re.fullmatch(r"[A-Z]{2,8}", clean) and not gazetteer.known_place(clean) \
            and re.search(r"\b(?:la|le|les|l['’]|du|au|aux)\s*$", text[max(0, span["start"] - 8):span["start"]], re.I):
        out["label"] = "ORG"  # "la MEL", "l'ADEME": an acronym after an article (not "VAUD. —") names a body
    name = person_name(clean, gazetteer.titles) if out["label"] == "PER" else clean
    checked = clean
    if out["label"] == "PER":  # "général de Gaulle" is checked as "Gaulle"
        checked = re.sub(r"^(?:(?:de|du|des|d'|d’|van|von|der|le|la)\s*)+(?=[A-ZÀ-Þ])", "",
                         without_titles(clean, gazetteer.titles))
    if _looks_like_a_fragment(checked, out["label"], gazetteer, filters, at_start):
        return None
    if out["label"] == "PER":
        return {**out, "canonical": name}
    if out["label"] == "LOC":
        return {**out, "canonical": re.sub(r"^(?:la |le |les |l')", "", clean, flags=re.I)}
    return {**out, "canonical": clean}


_ROMAN = re.compile(r"^[IVXLCM]+\.?$")
_SYMBOLS = re.compile(r"[|@¢{}\[\]<>=^~\\#*›©®§$%+]")
_CASE_FLIP = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ]{2,}")  # "TouLOUSE"; not "LinkedIn", "BlaBlaCar"


def junk(clean: str) -> bool:
    """The quality gate every entity passes: OCR debris and site furniture are not names ("| ¢ N | xa"i;}",
    "Q@ TouLOUSE", "Accueil › Fiche"): a symbol no name holds, under three letters in four, a word whose
    case flips inside it, or more words than a name has."""
    visible = [ch for ch in clean if not ch.isspace() and ch != "."]  # initials: "A. Q."
    letters = sum(ch.isalpha() for ch in visible)
    return bool(_SYMBOLS.search(clean) or letters < 0.75 * len(visible) or _CASE_FLIP.search(clean)
                or len(clean.split()) > 15 or _NOT_FRENCH.search(clean))


# what no name written in French holds: "de le", "à les" (French writes "du", "aux"), a small word twice
# ("de de"), a subject pronoun ("… vous poils …"): word salad or debris read as a name
_NOT_FRENCH = re.compile(r"\b(?:de|à) (?:le|les)\b|\b(de|du|des|le|la|les|et|à) \1\b|\b(?:je|tu|il|ils|vous|nous)\b")


def _sentence_start(text: str, start: int) -> bool:
    """Whether a capital at `start` says nothing: first word of a sentence, or of a line that does not
    carry on the line before (a line ending in "le" or "des," wraps a sentence: "le⏎Conseil national")."""
    before = text[max(0, start - 200):start].rstrip(" \t\"«(")
    if not before:
        return True
    if before[-1] == "\n":
        return not _wrapped(before[:-1])
    return before[-1] in ".!?:-•"


def _line_start(text: str, start: int) -> bool:
    before = text[max(0, start - 200):start]
    head, newline, line = before.rpartition("\n")
    if line.strip(" \t\"«(-•*#"):
        return False  # text before it on its line
    return not newline or not _wrapped(head)


def _wrapped(line: str) -> bool:
    """A line that ends inside a sentence: on a comma or on a small word ("de", "le", "et")."""
    line = line.rstrip()
    if line.endswith(","):
        return True
    words = re.findall(r"[\w'’]+$", line)
    return bool(words) and words[0].lower().rstrip("'’") in _FUNCTION | {"d", "l"}


_FUNCTION = {"de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "à", "au", "aux", "un", "une", "pour", "par",
             "sur", "avec", "dans", "ou", "qui", "que"}


def _looks_like_a_fragment(clean: str, label: str, gazetteer: Gazetteer, filters: dict[str, float],
                           at_start: bool) -> bool:
    """The model's typical false hits: a heading fragment, a cut name, and, where a capital says nothing
    (a sentence's or a line's first word), a capitalised common word.  Inside a sentence a capital marks a
    name in French ("le Conseil fédéral", "à Londres"): common words are kept there."""
    if clean[0].islower() or " - " in clean:
        return True
    tokens = re.findall(r"[\w]+", clean)
    if not tokens or tokens[-1].lower() in _FUNCTION:
        return True  # "Présidente du", "MONTPELLIER Un"
    content = [t for t in tokens if t.lower() not in _FUNCTION and len(t) > 1]
    if not content or any(gazetteer.place(t) for t in content):
        return not content
    if clean.isupper() and len(content) >= 2 and all(zipf(t.lower()) >= 3.0 for t in content):
        return True  # a heading in capitals: "MOBILITÉS SOLIDAIRES EN MILIEU RURAL"
    if not at_start or gazetteer.known_place(clean):
        return False
    if len(content) == 1:
        if label == "LOC":  # not a known place, and a French word: "Dialoguer", "Coopérer"
            return zipf(content[0].lower()) >= filters["unknown_place_zipf"]
        return zipf(content[0].lower()) >= filters["common_word_zipf"]  # "Atelier", "Talent"
    if len(content) == 2 and label != "PER":  # first names and surnames are often common words
        return all(zipf(t.lower()) >= filters["common_phrase_zipf"] for t in content)  # "Moyens humains"
    return False
