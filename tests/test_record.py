"""The record's public form is exactly the contract's fields, in its order."""

from pipeline.record import Change, Record, Source, dump, load, record_id

CONTRACT_FIELDS = ["id", "source", "title", "text", "language", "doc_type", "published", "updated",
                   "metadata", "entities", "organisations", "places", "people", "dates", "themes",
                   "duplicates", "blocks", "sentences", "themes_evidence"]
SOURCE_FIELDS = {"path", "sha256", "format", "extraction", "pages", "span"}


def sample() -> Record:
    source = Source("a/b.txt", "0" * 64, "txt", "text", None, [0, 5], encoding="utf-8")
    return Record("r1", source, "Bonjour", changes=(Change("repair", "x", "a", "b", "a/b.txt"),))


def test_public_fields_in_contract_order():
    data = sample().to_json()
    assert list(data) == CONTRACT_FIELDS
    assert SOURCE_FIELDS <= set(data["source"])
    assert set(data["metadata"]) >= {"resource_type", "private", "category"}
    assert "changes" not in data


def test_dump_and_load_round_trip_keeps_changes():
    record = sample()
    assert load(dump(record)) == record


def test_id_is_stable_and_depends_on_content_and_place():
    assert record_id("sites/a.txt", "Une page") == record_id("sites/a.txt", "Une page")
    assert record_id("sites/a.txt", "Une page") != record_id("sites/a.txt", "Une autre page")
    assert record_id("sites/a.txt", "Une page") != record_id("sites/b.txt", "Une page")
    assert record_id("sites/a.txt", "Une page", 0) != record_id("sites/a.txt", "Une page", 1)
