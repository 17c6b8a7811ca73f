"""report.html in a real browser: headless Chromium loads it from disk, with no console error."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000"]


def chromium(tmp_path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=120)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and re.search(r"error|uncaught|pwned|img", line, re.I)]


@pytest.fixture(scope="module")
def report(hostile_run):
    return hostile_run / "report.html"


def test_loads_without_console_errors_and_runs_its_script(report, tmp_path):
    result = chromium(tmp_path, report.as_uri(), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert not console_errors(result.stderr), console_errors(result.stderr)
    dom = result.stdout
    assert "<title>glaneur — rapport</title>" in dom  # the hostile record did not rename the page
    assert "<th>étape</th><th>calculées</th>" in dom  # run.js loaded and the stage times were drawn
    for page in (report.parent / "pages").glob("*.html"):  # every record page, the hostile one among them
        result = chromium(tmp_path, page.as_uri(), "--dump-dom")
        assert result.returncode == 0 and not console_errors(result.stderr), console_errors(result.stderr)
        assert "— glaneur</title>" in result.stdout  # no document renamed its page
    hostile = "".join(p.read_text("utf-8") for p in (report.parent / "pages").glob("*.html"))
    assert "&lt;script&gt;document.title" in hostile


def test_screenshots_of_the_overview_and_a_record_page(report, tmp_path, hostile_run):
    import json

    first = json.loads((hostile_run / "records.jsonl").read_text("utf-8").splitlines()[0])["id"]
    for name, url in (("overview", report.as_uri()), ("record", (hostile_run / "pages" / f"{first}.html").as_uri())):
        png = tmp_path / f"{name}.png"
        result = chromium(tmp_path, url, f"--screenshot={png}", "--window-size=1280,1600")
        assert png.exists() and png.stat().st_size > 10_000, result.stderr[-2000:]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_filters_work_from_the_address_in_a_real_browser(sample_run, tmp_path):
    """The records table filtered by type and by words, as the page's script does it in Chromium."""
    import json

    out, _ = sample_run
    records = [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]
    pages = sum(r["doc_type"] == "web_page" for r in records)
    garages = sum("garage" in fold(f"{r['title']} {r['text']}") for r in records)  # the text is searched too
    for query, expected in (("?type=web_page", pages), ("?q=garages", garages), ("?q=introuvable", 0)):
        dom = chromium(tmp_path, (out / "report.html").as_uri() + query, "--dump-dom").stdout
        rows = re.findall(r'<tr data-type="[^"]*"[^>]*?(style="display: none;")?>', dom)
        assert sum(1 for hidden in rows if not hidden) == expected, query
        assert f"{expected} fiche(s) sur {len(records)}" in dom


def fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def shown(dom: str) -> int:
    return int(re.search(r'id="f-count"[^>]*>(\d+) ', dom).group(1))


def test_the_search_box_finds_words_of_the_text_in_either_number(sample_run, tmp_path):
    """Issue 21: the report searches record text (search/*.js, loaded as scripts from disk), singular finding
    plural and back, accents folded; a word only in one record's body finds that record."""
    import json

    out, _ = sample_run
    records = [json.loads(x) for x in (out / "records.jsonl").read_text("utf-8").splitlines()]
    titles = fold(" ".join(r["title"] or "" for r in records))
    counts: dict[str, set[str]] = {}
    for r in records:
        for word in re.findall(r"[^\W\d_]{9,}", fold(r["text"])):
            counts.setdefault(word, set()).add(r["id"])
    word = sorted(w for w, ids in counts.items() if len(ids) == 1 and w not in titles
                  and not any(w != v and v.startswith(w) for v in counts))[0]
    url = (out / "report.html").as_uri()
    assert shown(chromium(tmp_path, f"{url}?q={word}", "--dump-dom").stdout) == 1, word
    singular = shown(chromium(tmp_path, f"{url}?q=epicerie", "--dump-dom").stdout)
    assert singular >= 1 and shown(chromium(tmp_path, f"{url}?q=épiceries", "--dump-dom").stdout) == singular


def _ids(dom: str) -> set[str]:
    body = dom.split('id="records-table"')[1].split('</tbody>')[0]
    return set(re.findall(r'href="pages/(\w+)\.html"', body))


@pytest.mark.parametrize("query", ["cantine", "commune OR guide", "réseau NOT guide", "territoires AND collectivités",
                                   "guid*", "zzzintrouvable"])
def test_the_search_box_reads_a_query_as_glaneur_search_does(generated_out, tmp_path, query):
    """Issue 27: OR, NOT, AND, prefix* and whole words, on a generated corpus: the very records `glaneur
    search` finds (compared by id, not by count), "aucune fiche" when none, page x sur y, no console error."""
    from urllib.parse import quote

    from pipeline.outputs.sqlite import search

    expected = {r["id"] for r in search(generated_out / "corpus.sqlite", query, limit=100_000)}
    assert len(expected) <= 100  # one page of the table
    result = chromium(tmp_path, (generated_out / "report.html").as_uri() + "?q=" + quote(query), "--dump-dom")
    assert not console_errors(result.stderr), console_errors(result.stderr)
    dom = result.stdout
    assert _ids(dom) == expected, query
    assert re.search(r'id="f-page"[^>]*>page 1 sur \d+<', dom)
    if not expected:
        assert "aucune fiche" in dom


def test_an_elided_word_is_searched_without_its_letter(generated_out, tmp_path):
    """"l'épicerie" finds what "épicerie" finds: the index holds no word of one letter, so the "l" is left out
    of the query (it once made every such query find only records whose titles held an "l")."""
    from urllib.parse import quote

    from pipeline.outputs.sqlite import search

    url = (generated_out / "report.html").as_uri()
    word = _ids(chromium(tmp_path, url + "?q=" + quote("épicerie"), "--dump-dom").stdout)
    assert word
    for letter in "ldj":  # "j'épicerie": no record's title holds a word "j", where the old query looked
        elided = _ids(chromium(tmp_path, url + "?q=" + quote(f"{letter}'épicerie"), "--dump-dom").stdout)
        assert elided == word, letter
    elided = _ids(chromium(tmp_path, url + "?q=" + quote("l'épicerie"), "--dump-dom").stdout)
    exact = {r["id"] for r in search(generated_out / "corpus.sqlite", "l'épicerie", limit=100_000)}
    if len(exact) < 100:  # the first page holds them all
        assert exact <= elided


def test_themes_are_shown_whole(generated_out, tmp_path):
    import json

    records = [json.loads(x) for x in (generated_out / "records.jsonl").read_text("utf-8").splitlines()]
    themes = {t for r in records for t in r["themes"] if " " in t}
    dom = chromium(tmp_path, (generated_out / "report.html").as_uri(), "--dump-dom").stdout
    cells = set(re.findall(r"<td>([^<]*)</td>", dom))
    assert themes and any(t in c for t in themes for c in cells)  # "emploi et insertion", not "emploi, et, insertion"
    assert not any(", et, " in c or c.startswith("et, ") for c in cells)


def test_the_names_page_is_searched_and_paged(generated_out, tmp_path):
    """Issue 27: names.html is an index with counts, the most named first, searchable by a name's words
    (accents folded) and by kind, each name with its first records; no console error."""
    import json

    records = [json.loads(x) for x in (generated_out / "records.jsonl").read_text("utf-8").splitlines()]
    places: dict[str, int] = {}
    for r in records:
        for p in r["places"]:
            places[p] = places.get(p, 0) + 1
    name = max(places, key=lambda p: (places[p], p))
    url = (generated_out / "names.html").as_uri()
    result = chromium(tmp_path, f"{url}?q={fold(name)}&kind=LOC", "--dump-dom")
    assert not console_errors(result.stderr), console_errors(result.stderr)
    body = result.stdout.split('id="names-table"')[1].split("</tbody>")[0]
    rows = re.findall(r"<tr data-kind=\"(\w+)\"><td><b>([^<]*)</b></td><td>[^<]*</td><td>([^<]*)</td>", body)
    assert rows and all(kind == "LOC" and fold(name) in fold(n) for kind, n, _ in rows)
    assert (name, str(places[name])) in {(n, c) for _, n, c in rows}
    assert re.search(r'id="n-page"[^>]*>page 1 sur 1<', result.stdout)


def test_and_n_more_shows_the_very_records_the_index_counts(generated_out, tmp_path):
    """names.html's "and n more" searched the report for the name's words, which found other records
    (Poitiers 597 → 599 on 2,000 documents): it now shows the records the index counts for that name."""
    import json
    from urllib.parse import quote

    records = [json.loads(x) for x in (generated_out / "records.jsonl").read_text("utf-8").splitlines()]
    by_name: dict[tuple[str, str], set[str]] = {}
    for r in records:
        for kind, key in (("ORG", "organisations"), ("LOC", "places"), ("PER", "people")):
            for name in r[key]:
                by_name.setdefault((kind, name), set()).add(r["id"])
    (kind, name), ids = max(by_name.items(), key=lambda item: (len(item[1]), item[0]))
    assert 10 < len(ids) <= 100  # beyond the names page's links, within a page of the table
    names = (generated_out / "names.html").read_text("utf-8")
    link = f"report.html?name={quote(f'{kind}:{name}')}"
    assert link.replace("&", "&amp;") in names or link in names
    result = chromium(tmp_path, f"{(generated_out / 'report.html').as_uri()}?name={quote(f'{kind}:{name}')}",
                      "--dump-dom")
    assert not console_errors(result.stderr), console_errors(result.stderr)
    assert _ids(result.stdout) == ids
    assert f"seulement les fiches que l'index compte pour {name}" in result.stdout.replace("&#39;", "'")
