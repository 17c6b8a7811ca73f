"""Records for catalogue tools: schema.org or Dublin Core, as JSON-LD (`glaneur export`).

A catalogue ingests these without reading glaneur's schema: one node per record with its title, dates,
language, subjects (themes), spatial coverage (places, with their INSEE code for a region or department
and their Geonames id for a commune), the organisations and people it mentions as agents, its type, and
its provenance (source path and sha256).  The context is given in full (no remote context is fetched),
so any JSON-LD processor expands it offline.
"""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_CONTEXT = {"@vocab": "https://schema.org/", "glaneur": "urn:glaneur:"}
DC_CONTEXT = {"dcterms": "http://purl.org/dc/terms/", "glaneur": "urn:glaneur:",
              "dcterms:spatial": {"@container": "@set"}, "dcterms:subject": {"@container": "@set"}}
SCHEMA_TYPES = {"web_page": "WebPage", "report": "Report", "action_sheet": "CreativeWork", "poster": "CreativeWork",
                "document": "CreativeWork"}
PlaceCode = Callable[[str], "tuple[str, str] | None"]  # name -> (scheme, code)
# The source's media type (IANA), by its extension: what `encodingFormat` holds for a catalogue.  A fixed
# table, not the `mimetypes` module, whose answers depend on the machine's /etc/mime.types.
MEDIA_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html", "htm": "text/html",
               "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
               "tif": "image/tiff", "tiff": "image/tiff", "gif": "image/gif", "bmp": "image/bmp", "webp": "image/webp",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# The kind of document in words a catalogue shows as `genre` (schema.org takes text), and the DCMI type
# (a controlled vocabulary every Dublin Core tool knows) for `dcterms:type`.
GENRES = {"web_page": "page web", "action_sheet": "fiche-action", "poster": "affiche", "scan": "document numérisé",
          "report": "rapport", "document": "document"}
DCMI_TEXT = "http://purl.org/dc/dcmitype/Text"


def media_type(path: str, fmt: str) -> str:
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return MEDIA_TYPES.get(extension) or MEDIA_TYPES.get(fmt, "application/octet-stream")


def place_codes(gazetteer: Any) -> PlaceCode:
    """Codes of the places the gazetteer knows: INSEE for regions and departments, Geonames for communes."""
    by_name = {}
    for place in gazetteer.places.values():
        if place.code and place.kind in ("region", "department"):
            by_name.setdefault(place.name, (f"insee-{place.kind}", place.code))
    for name, geonameid in gazetteer.commune_ids.items():
        by_name.setdefault(name, ("geonames", geonameid))
    return by_name.get


def _period(dates: list[dict[str, Any]]) -> str | None:
    starts = sorted(d["start"] for d in dates if d.get("start"))
    ends = sorted(d["end"] for d in dates if d.get("end"))
    if not starts:
        return None
    return starts[0] if starts[0] == ends[-1] else f"{starts[0]}/{ends[-1]}"


def _description(text: str, limit: int = 300) -> str:
    first = text.split("\n\n", 1)[0].strip()
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def schema_org(record: dict[str, Any], code_of: PlaceCode) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": f"glaneur:{record['id']}",
        "@type": SCHEMA_TYPES.get(record["doc_type"], "CreativeWork"),
        "identifier": record["id"],
        "name": record["title"],
        "description": _description(record["text"]),
        "genre": GENRES.get(record["doc_type"], record["doc_type"]),
        "additionalType": f"glaneur:{record['doc_type']}",
        "inLanguage": record["language"],
        "datePublished": record["published"],
        "dateModified": record["updated"],
        "temporalCoverage": _period(record["dates"]),
        "about": [{"@type": "DefinedTerm", "name": theme} for theme in record["themes"]],
        "keywords": record["themes"],
        "spatialCoverage": [_place(name, code_of) for name in record["places"]],
        "mentions": [{"@type": "Organization", "name": o} for o in record["organisations"]]
                    + [{"@type": "Person", "name": p} for p in record["people"]],
        "isBasedOn": {"@type": "MediaObject", "name": record["source"]["path"],
                      "encodingFormat": media_type(record["source"]["path"], record["source"]["format"]),
                      "sha256": record["source"]["sha256"]},
    }
    return {k: v for k, v in node.items() if v not in (None, [])}


def _place(name: str, code_of: PlaceCode) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": name}
    code = code_of(name)
    if code:
        place["identifier"] = {"@type": "PropertyValue", "propertyID": code[0], "value": code[1]}
    return place


def dublin_core(record: dict[str, Any], code_of: PlaceCode) -> dict[str, Any]:
    spatial = []
    for name in record["places"]:
        code = code_of(name)
        spatial.append(f"{name} ({code[0]}:{code[1]})" if code else name)
    node: dict[str, Any] = {
        "@id": f"glaneur:{record['id']}",
        "dcterms:identifier": record["id"],
        "dcterms:title": record["title"],
        "dcterms:abstract": _description(record["text"]),
        "dcterms:type": {"@id": DCMI_TEXT},
        "dcterms:format": media_type(record["source"]["path"], record["source"]["format"]),
        "dcterms:language": record["language"],
        "dcterms:issued": record["published"],
        "dcterms:modified": record["updated"],
        "dcterms:temporal": _period(record["dates"]),
        "dcterms:subject": record["themes"] + record["organisations"] + record["people"],
        "dcterms:spatial": spatial,
        "dcterms:source": record["source"]["path"],
        "dcterms:provenance": f"sha256:{record['source']['sha256']}",
    }
    return {k: v for k, v in node.items() if v not in (None, [])}


def export(records: list[dict[str, Any]], fmt: str, code_of: PlaceCode) -> dict[str, Any]:
    """One JSON-LD document holding every record, in the order given."""
    if fmt == "jsonld":
        return {"@context": SCHEMA_CONTEXT, "@graph": [schema_org(r, code_of) for r in records]}
    if fmt == "dc":
        return {"@context": DC_CONTEXT, "@graph": [dublin_core(r, code_of) for r in records]}
    raise ValueError(f"unknown format {fmt!r} (jsonld or dc)")
