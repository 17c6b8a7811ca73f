"""The real documents in ../shared/seeds go through the whole pipeline."""

import json

from conftest import SEEDS, needs_seeds, needs_tesseract


@needs_seeds
@needs_tesseract
def test_every_seed_gives_records_and_a_manifest_entry(tmp_path, config):
    from pipeline.run import run

    run(SEEDS, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    manifest = json.loads((tmp_path / "clean" / "manifest.json").read_text("utf-8"))
    seeds = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    files = {f["path"]: f for f in manifest["files"]}
    assert sorted(files) == seeds
    for name in seeds:
        assert files[name]["status"] == "ok", files[name]
        assert files[name]["records"], name
    records = [json.loads(x) for x in (tmp_path / "clean" / "records.jsonl").read_text("utf-8").splitlines()]
    files_flags = {f["path"]: " ".join(f["flags"]) for f in manifest["files"]}
    for record in records:  # a record without text is a title-only page, and the manifest says so
        assert record["text"].strip() or record["id"] in files_flags[record["source"]["path"]]
    # seed 004 carries Markdown emphasis from its editor: the markers go, the words stay
    sheet = next(r for r in records if r["source"]["path"].startswith("004_"))
    assert "**" not in sheet["text"] and "séminaire en Ille et Vilaine" in sheet["text"]
