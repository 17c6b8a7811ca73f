"""`glaneur export`: the records as JSON-LD a catalogue ingests without reading glaneur's schema."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

SCHEMA = "https://schema.org/"
DC = "http://purl.org/dc/terms/"


def export(out, fmt):
    done = subprocess.run([sys.executable, "-m", "pipeline", "export", "--format", fmt, "--out", str(out)],
                          capture_output=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def records(sample_run):
    out, _ = sample_run
    return out, [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]


def test_schema_org_expands_offline_with_every_record_and_its_provenance(records):
    from pyld import jsonld

    out, recs = records
    expanded = jsonld.expand(export(out, "jsonld"))  # the context is inline: nothing is fetched
    assert len(expanded) == len(recs)
    by_id = {node["@id"]: node for node in expanded}
    for record in recs:
        node = by_id[f"urn:glaneur:{record['id']}"]
        assert node[SCHEMA + "name"][0]["@value"] == record["title"]
        based = node[SCHEMA + "isBasedOn"][0]
        assert based[SCHEMA + "sha256"][0]["@value"] == record["source"]["sha256"]
        assert based[SCHEMA + "name"][0]["@value"] == record["source"]["path"]
        agents = {m[SCHEMA + "name"][0]["@value"] for m in node.get(SCHEMA + "mentions", [])}
        assert agents == set(record["organisations"]) | set(record["people"])
        places = {p[SCHEMA + "name"][0]["@value"] for p in node.get(SCHEMA + "spatialCoverage", [])}
        assert places == set(record["places"])


def test_places_carry_their_codes(records):
    out, _ = records
    places = [p for node in export(out, "jsonld")["@graph"] for p in node.get("spatialCoverage", [])]
    codes = {p["name"]: p.get("identifier", {}).get("value") for p in places}
    assert codes["Loire-Atlantique"] == "44" and codes["Gironde"] == "33"
    assert codes["Nouvelle-Aquitaine"] and codes["Bordeaux"]  # a region's INSEE code, a commune's Geonames id


def test_dublin_core_expands_to_dcterms(records):
    from pyld import jsonld

    out, recs = records
    expanded = jsonld.expand(export(out, "dc"))
    assert len(expanded) == len(recs)
    titles = {node[DC + "title"][0]["@value"] for node in expanded}
    assert titles == {r["title"] for r in recs}
    assert all(node[DC + "provenance"][0]["@value"].startswith("sha256:") for node in expanded)


def test_export_without_outputs_says_so_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pipeline", "export", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "records.jsonl not found" in done.stderr


def test_formats_are_media_types_and_kinds_are_words_a_catalogue_knows():
    """Issue 21: `encodingFormat` is an IANA media type, `genre` words, `dcterms:type` the DCMI type."""
    from pipeline.outputs.catalogue import dublin_core, schema_org

    record = {"id": "r1", "title": "Fiche", "text": "Texte.", "doc_type": "action_sheet", "language": "fr",
              "published": None, "updated": None, "dates": [], "themes": [], "places": [], "organisations": [],
              "people": [], "source": {"path": "fiches/fiche.docx", "format": "docx", "sha256": "0" * 64}}
    node = schema_org(record, lambda name: None)
    assert node["isBasedOn"]["encodingFormat"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert node["genre"] == "fiche-action" and node["additionalType"] == "glaneur:action_sheet"
    for path, fmt, media in (("a.txt", "txt", "text/plain"), ("b.pdf", "pdf", "application/pdf"),
                             ("c.JPG", "image", "image/jpeg"), ("d.html", "html", "text/html")):
        record["source"] = {"path": path, "format": fmt, "sha256": "0" * 64}
        assert schema_org(record, lambda name: None)["isBasedOn"]["encodingFormat"] == media
        assert dublin_core(record, lambda name: None)["dcterms:format"] == media
    assert dublin_core(record, lambda name: None)["dcterms:type"] == {"@id": "http://purl.org/dc/dcmitype/Text"}
