"""Hostile input: more than thirty kinds of bad file, built at test time, run through `glaneur run` together.

What must hold, whatever the files (README, "What glaneur will never do"):
* the run exits 0, prints no traceback, and lists every file in the manifest with a status, and a
  reason for every file that is not ok;
* nothing outside RAW_DIR is read: the content of a file reached through a symbolic link that leads out
  appears in no output and not in the cache;
* time is bounded by the limits of the config (`max_text_chars`, `max_file_mb`, `max_pixels`,
  `max_docx_member_mb`, `file_seconds`), not by a timed assertion.
"""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, write_config

SECRET = "SECRET-OUTSIDE-RAW-7f3a9c"
LIMITS = """
[run]
cache_dir = "{cache}"
workers = 2
[extract]
max_file_mb = 1.0
max_text_chars = 100000
max_pixels = 50000000
max_docx_member_mb = 1.0
file_seconds = 120.0
"""


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels: a decompression bomb's header, and nothing to decode."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FRENCH = "Le réseau accompagne les collectivités de Bretagne dans leurs projets d'économie sociale et solidaire.\n"


def build_hostile(raw: Path, outside: Path) -> dict[str, str]:
    """Write the bad files; returns {manifest path: what it is}."""
    kinds: dict[str, str] = {}

    def put(name: str, data: bytes | str, what: str) -> None:
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        kinds[name] = what

    put("vide.txt", b"", "empty file")
    put("blancs.txt", " \n\t\n  \n", "only blanks")
    put("invisible.txt", "\u200b\u200c\u2060\ufeff\u200b\n\u00ad\n", "only invisible characters")
    put("binaire.txt", bytes(range(256)) * 8, "binary under a text name")
    put("controles.txt", "\x01\x02\x03\x04\x05\x06\x07\x08" * 200, "control characters")
    put("utf16-casse.txt", b"\xff\xfe" + "Texte".encode("utf-16-le") + b"\x00", "UTF-16 BOM, odd byte count")
    put("melange.txt", "Le comité se réunit à Lyon. ".encode("utf-8") + "Deuxième phrase, écrite en cp1252.".encode("cp1252"),
        "mixed encodings")
    put("etoiles.md", "Titre\n\n" + "*" * 32000 + "\n\n" + "_" * 32000 + "\n\n" + "*a" * 16000 + "\n", "runs of * and _")
    put("crochets.md", "[" * 30000 + "\n" + "# " + " #" * 15000 + "\n" + FRENCH, "Markdown link and heading runs")
    put("une-ligne.txt", ("mot " * 40000), "one line longer than max_text_chars")
    put("trop-gros.txt", "a" * (1024 * 1024 + 10), "larger than max_file_mb")
    put("tronque.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj << /Type /Pa", "truncated PDF")
    put("pas-un-pdf.pdf", FRENCH, "text under a .pdf name")
    put("zero-page.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n", "PDF without pages")
    put("image-corrompue.png", b"\x89PNG\r\n\x1a\n" + os.urandom(0) + b"garbage" * 50, "corrupt PNG")
    put("bombe.png", _png_header_only(40000, 40000), "decompression bomb (1.6 Gpx header)")
    put("tronque.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 20, "truncated JPEG")
    put("corrompu.docx", b"PK\x03\x04 not really a zip", "corrupt .docx")
    put("zip-sans-document.docx", _zip({"autre.txt": b"rien"}), ".docx without document.xml")
    put("bombe.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>" + b" " * (3 * 1024 * 1024)}),
        ".docx member past max_docx_member_mb")
    put("inconnu.xyz", "quelque chose", "unknown extension")
    put("sans-extension", FRENCH, "no extension")
    put("script.html", "<html><head><script>while(true){}</script></head><body></body></html>", "HTML without text")
    put("imbrique.html", "<div>" * 5000 + FRENCH + "</div>" * 5000, "deeply nested HTML")
    put(".cache-cache.txt", FRENCH, "hidden file")
    put(".git/config", "[core]\n\trepositoryformatversion = 0\n", "file inside a hidden folder")
    put("emoji.txt", "🎉🎉🎉 👏👏 ✨\n\n" + FRENCH, "emoji (text, kept)")
    put("arabe.txt", "هذه فقرة باللغة العربية عن الاقتصاد الاجتماعي والتضامني في المدن.\n\n" + FRENCH, "Arabic paragraph")
    put("ancienne-sortie/manifest.json", json.dumps({"glaneur": "0.1.0", "fingerprint": "x", "files": []}),
        "a glaneur output folder inside RAW_DIR")
    put("ancienne-sortie/records.jsonl", "{}\n", "a glaneur output folder inside RAW_DIR")
    name = os.fsdecode(b"caf\xe9-latin1.txt")
    (raw / name).write_bytes(FRENCH.encode("utf-8"))
    kinds["caf\\xe9-latin1.txt"] = "name that is not valid UTF-8"

    os.mkfifo(raw / "tube.txt")
    kinds["tube.txt"] = "named pipe (FIFO)"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(raw / "prise.txt"))
    sock.close()
    kinds["prise.txt"] = "socket"
    (outside / "secret.txt").write_text(f"{SECRET}\nLe mot de passe de la préfecture.\n", "utf-8")
    os.symlink(outside / "secret.txt", raw / "lien-dehors.txt")
    kinds["lien-dehors.txt"] = "symbolic link leading out of RAW_DIR"
    os.symlink("/etc/passwd", raw / "passwd.txt")
    kinds["passwd.txt"] = "symbolic link to /etc/passwd"
    os.symlink(outside, raw / "dossier-dehors")
    kinds["dossier-dehors"] = "symbolic link to a folder outside"
    os.symlink(raw / "absent.txt", raw / "lien-casse.txt")
    kinds["lien-casse.txt"] = "broken symbolic link"
    os.symlink(raw / "boucle-b.txt", raw / "boucle-a.txt")
    os.symlink(raw / "boucle-a.txt", raw / "boucle-b.txt")
    kinds["boucle-a.txt"] = kinds["boucle-b.txt"] = "symbolic link loop"
    put("vrai.txt", FRENCH, "a good file")
    os.symlink(raw / "vrai.txt", raw / "lien-dedans.txt")
    kinds["lien-dedans.txt"] = "symbolic link to a file inside RAW_DIR (followed)"
    return kinds


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-input")
    raw, outside, out = base / "raw", base / "outside", base / "clean"
    raw.mkdir()
    outside.mkdir()
    kinds = build_hostile(raw, outside)
    (base / "config").mkdir()
    config = write_config(base / "config", LIMITS.format(cache=base / "cache"))
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "--config", str(config)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    return base, raw, out, kinds, done


def test_there_are_at_least_thirty_kinds(hostile):
    assert len(set(hostile[3].values())) >= 30


def test_the_run_ends_well_and_says_nothing_alarming(hostile):
    _, _, out, _, done = hostile
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (out / "records.jsonl").exists()


def test_every_file_is_in_the_manifest_with_a_status_and_a_reason(hostile):
    _, _, out, kinds, _ = hostile
    files = {f["path"]: f for f in json.loads((out / "manifest.json").read_text("utf-8"))["files"]}
    for name, what in kinds.items():
        key = name if name in files else name + "/"
        if name.startswith("ancienne-sortie/"):
            key = "ancienne-sortie/"
        assert key in files, f"{name} ({what}) missing from the manifest"
        entry = files[key]
        assert entry["status"] in ("ok", "quarantined", "skipped")
        if entry["status"] != "ok":
            assert entry["reason"] and "\n" not in entry["reason"], (name, entry)


@pytest.mark.parametrize("name, status, words", [
    ("vide.txt", "quarantined", "empty"),
    ("invisible.txt", "quarantined", "invisible"),
    ("binaire.txt", "quarantined", "binary"),
    ("une-ligne.txt", "quarantined", "max_text_chars"),
    ("trop-gros.txt", "quarantined", "max_file_mb"),
    ("bombe.png", "quarantined", "max_pixels"),
    ("bombe.docx", "quarantined", "max_docx_member_mb"),
    ("tube.txt", "skipped", "named pipe"),
    ("prise.txt", "skipped", "socket"),
    ("lien-dehors.txt", "skipped", "outside RAW_DIR"),
    ("passwd.txt", "skipped", "outside RAW_DIR"),
    ("dossier-dehors", "skipped", "outside RAW_DIR"),
    ("lien-casse.txt", "skipped", "broken"),
    ("boucle-a.txt", "skipped", "loop"),
    (".git/config", "skipped", "inside a folder"),
    ("ancienne-sortie/", "skipped", "glaneur output"),
    ("lien-dedans.txt", "ok", ""),
    ("caf\\xe9-latin1.txt", "ok", ""),
    ("emoji.txt", "ok", ""),
    ("arabe.txt", "ok", ""),
    ("etoiles.md", "ok", ""),
    ("melange.txt", "ok", ""),
])
def test_each_kind_gets_the_status_it_deserves(hostile, name, status, words):
    out = hostile[2]
    files = {f["path"]: f for f in json.loads((out / "manifest.json").read_text("utf-8"))["files"]}
    assert files[name]["status"] == status, files[name]
    assert words in (files[name]["reason"] or ""), files[name]


def test_nothing_from_outside_raw_dir_reaches_any_output_or_the_cache(hostile):
    base, _, out, _, _ = hostile
    passwd = Path("/etc/passwd").read_text("utf-8", "replace").splitlines()[0] if Path("/etc/passwd").exists() else None
    for folder in (out, base / "cache"):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert SECRET.encode() not in data, path
                if passwd:
                    assert passwd.encode() not in data, path


def test_text_in_other_scripts_and_emoji_is_kept(hostile):
    out = hostile[2]
    texts = "\n".join(json.loads(line)["text"] for line in (out / "records.jsonl").read_text("utf-8").splitlines())
    assert "باللغة العربية" in texts
    assert "🎉🎉🎉" in texts


def _run_with_a_bad_reader(tmp_path, monkeypatch, misbehave, config_text=""):
    """Two files, the reader of `bad.txt` replaced by `misbehave`; worker processes are forked after the
    patch, so they see it too.  Returns the manifest entries by path."""
    from pipeline import extract
    from pipeline.config import load
    from pipeline.run import run

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bad.txt").write_text(FRENCH, "utf-8")
    (raw / "good.txt").write_text(FRENCH.replace("Bretagne", "Normandie"), "utf-8")
    real = extract.read_file
    monkeypatch.setattr(extract, "read_file",
                        lambda file, cfg: misbehave() if file.path == "bad.txt" else real(file, cfg))
    result = run(raw, tmp_path / "clean", load(write_config(tmp_path, config_text)), use_cache=False,
                 progress=False, log=None)
    files = {f["path"]: f for f in result.manifest["files"]}
    assert files["good.txt"]["status"] == "ok" and files["good.txt"]["records"]
    assert files["bad.txt"]["status"] == "quarantined"
    return files


def test_a_file_that_hangs_its_reader_is_stopped_and_quarantined(tmp_path, monkeypatch):
    """`file_seconds` stops a reader that never returns; the other files are processed."""
    import time

    files = _run_with_a_bad_reader(tmp_path, monkeypatch, lambda: time.sleep(3600), "[extract]\nfile_seconds = 2.0\n")
    assert "file_seconds=2" in files["bad.txt"]["reason"]


def test_a_reader_that_fails_unexpectedly_quarantines_its_file(tmp_path, monkeypatch):
    def fails():
        raise RecursionError("maximum recursion depth exceeded in a library")

    files = _run_with_a_bad_reader(tmp_path, monkeypatch, fails)
    assert "RecursionError" in files["bad.txt"]["reason"]


def test_a_reader_process_that_dies_quarantines_its_file(tmp_path, monkeypatch):
    """A segfault or an out-of-memory kill in a C library ends the worker process, not the run."""
    files = _run_with_a_bad_reader(tmp_path, monkeypatch, lambda: os._exit(139))
    assert "died" in files["bad.txt"]["reason"]
