"""Build the binary part of the sample corpus in raw/ from the texts in samples/src/.

Run with `make samples` (or `.venv/bin/python samples/make_samples.py`).
Every PDF, image and .docx in raw/ that has a source here is produced by this
script, and the text a perfect extraction would give is written to
samples/truth/ so that tests can measure extraction against it.

Source format (samples/src/*.txt): sections introduced by `=== name` lines;
paragraphs separated by blank lines.  The .docx source uses `# ` for a heading,
`- ` for a list item and `| a | b |` for a table row.

Output is deterministic: reportlab runs with `invariant=1`, the scan noise is
seeded, and no timestamp is written.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "samples" / "src"
TRUTH = ROOT / "samples" / "truth"
RAW = ROOT / "raw"

A4 = (595.27, 841.89)
A4_LANDSCAPE = (841.89, 595.27)


def sections(path: Path) -> list[tuple[str, list[str]]]:
    """`=== name` sections of a source file, each as a list of paragraphs."""
    out: list[tuple[str, list[str]]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("=== "):
            out.append((line[4:].strip(), [""]))
        elif not line.strip():
            if out and out[-1][1][-1]:
                out[-1][1].append("")
        elif out:
            paras = out[-1][1]
            paras[-1] = f"{paras[-1]} {line.strip()}".strip()
    return [(name, [p for p in paras if p]) for name, paras in out]


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, font, size, width)


def paged_pdf(path: Path, header: str | None = None, footer_numbers: bool = True) -> bytes:
    """A one-column A4 PDF: one source section per page, optional running header and page numbers."""
    from reportlab.pdfgen import canvas

    parts = sections(path)
    header = next((p[0] for name, p in parts if name == "header"), header)
    pages = [paras for name, paras in parts if name == "page"]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    margin = 72
    for number, paras in enumerate(pages, start=1):
        if header:
            pdf.setFont("Helvetica", 9)
            pdf.drawString(margin, height - 40, header)
        y = height - margin - 20
        for index, para in enumerate(paras):
            font, size = ("Helvetica-Bold", 16) if index == 0 else ("Helvetica", 12)
            pdf.setFont(font, size)
            for line in _wrap(para, font, size, width - 2 * margin):
                pdf.drawString(margin, y, line)
                y -= size * 1.35
            y -= size * 1.2
        if footer_numbers:
            pdf.setFont("Helvetica", 9)
            pdf.drawCentredString(width / 2, 36, f"{number}/{len(pages)}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def paged_truth(path: Path, with_furniture: bool) -> str:
    """What extraction should give: pages separated by a form feed line."""
    parts = sections(path)
    header = next((p[0] for name, p in parts if name == "header"), None)
    pages = [paras for name, paras in parts if name == "page"]
    out = []
    for number, paras in enumerate(pages, start=1):
        blocks = ([header] if header and with_furniture else []) + paras
        if with_furniture:
            blocks.append(f"{number}/{len(pages)}")
        out.append("\n\n".join(blocks))
    return "\n\f\n".join(out)


def render(pdf_bytes: bytes, dpi: int) -> list:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def scan_noise(image, seed: int):
    """What a photocopier does: a slight skew, soft edges, and deterministic speckle."""
    from PIL import ImageFilter

    image = image.rotate(0.4 + 0.3 * seed, resample=3, expand=False, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.7))
    rng = random.Random(seed)
    pixels = image.load()
    w, h = image.size
    for _ in range(w * h // 2500):
        x, y = rng.randrange(w), rng.randrange(h)
        pixels[x, y] = rng.choice((0, 60, 255))
    return image


def scanned_pdf(path: Path, dpi: int = 200) -> bytes:
    images = [scan_noise(img, seed) for seed, img in enumerate(render(paged_pdf(path, footer_numbers=False), dpi))]
    buffer = io.BytesIO()
    import time

    fixed = time.gmtime(1704067200)  # 2024-01-01, so the file is the same on every build
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:],
                   creationDate=fixed, modDate=fixed)
    return buffer.getvalue()


def poster(path: Path, dpi: int = 200):
    """A two-column landscape poster whose column lines are aligned: the case Tesseract interleaves."""
    from reportlab.pdfgen import canvas

    parts = dict(sections(path))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4_LANDSCAPE, invariant=1)
    width, height = A4_LANDSCAPE
    margin, gutter = 48, 56
    column = (width - 2 * margin - gutter) / 2
    y = height - margin - 10
    pdf.setFont("Helvetica-Bold", 20)
    for line in _wrap(parts["title"][0], "Helvetica-Bold", 20, width - 2 * margin):
        pdf.drawString(margin, y, line)
        y -= 26
    top = y - 18
    for x, name in ((margin, "left"), (margin + column + gutter, "right")):
        y = top
        pdf.setFont("Helvetica", 12)
        for para in parts[name]:
            for line in _wrap(para, "Helvetica", 12, column):
                pdf.drawString(x, y, line)
                y -= 16
            y -= 10
    pdf.setFont("Helvetica-Oblique", 10)
    pdf.drawString(margin, 40, parts["footer"][0])
    pdf.showPage()
    pdf.save()
    return render(buffer.getvalue(), dpi)[0]


def poster_truth(path: Path) -> str:
    parts = dict(sections(path))
    return "\n\n".join(parts["title"] + parts["left"] + parts["right"] + parts["footer"])


def docx_document(path: Path) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = ""
    document.core_properties.author = "glaneur samples"
    rows: list[list[str]] = []

    def flush_table() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            rows.clear()

    for line in path.read_text("utf-8").splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush_table()
        if line.startswith("# "):
            document.add_heading(line[2:], level=1)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    flush_table()
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with a fixed timestamp so the .docx is byte-identical on every build."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                payload = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", payload)
            target.writestr(fixed, payload)
    return out.getvalue()


def docx_truth(path: Path) -> str:
    blocks: list[str] = []
    table: list[str] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("|"):
            table.append(" | ".join(c.strip() for c in line.strip().strip("|").split("|")))
            continue
        if table:
            blocks.append("\n".join(table))
            table = []
        if line.startswith("# "):
            blocks.append(line[2:])
        elif line.startswith("- "):
            if blocks and blocks[-1].startswith("- "):
                blocks[-1] += "\n" + line
            else:
                blocks.append(line)
        elif line.strip():
            blocks.append(line)
    if table:
        blocks.append("\n".join(table))
    return "\n\n".join(blocks)


def build() -> list[Path]:
    written: list[Path] = []

    def write(target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)

    def truth(name: str, text: str) -> None:
        write(TRUTH / name, (text.rstrip("\n") + "\n").encode("utf-8"))

    report = SRC / "rapport-activite-2023.txt"
    write(RAW / "rapports" / "rapport-activite-2023.pdf", paged_pdf(report))
    truth("rapport-activite-2023.txt", paged_truth(report, with_furniture=True))

    scan = SRC / "compte-rendu-scanne.txt"
    write(RAW / "rapports" / "compte-rendu-scanne.pdf", scanned_pdf(scan))
    truth("compte-rendu-scanne.txt", paged_truth(scan, with_furniture=False))

    affiche = SRC / "affiche-alimentation.txt"
    image = poster(affiche)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    write(RAW / "affiches" / "affiche-alimentation.png", buffer.getvalue())
    truth("affiche-alimentation.txt", poster_truth(affiche))

    fiche = SRC / "fiche-action-mobilite.txt"
    write(RAW / "fiches" / "fiche-action-mobilite.docx", docx_document(fiche))
    truth("fiche-action-mobilite.txt", docx_truth(fiche))

    lettre = SRC / "lettre-info-2019.txt"
    text = lettre.read_text("utf-8")
    write(RAW / "archives" / "lettre-info-2019.txt", text.replace("\n", "\r\n").encode("cp1252"))
    truth("lettre-info-2019.txt", text)

    # A PDF cut off in transfer: the header is there, the rest is not.
    write(RAW / "broken" / "export-tronque.pdf", paged_pdf(report)[:700])
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(ROOT), file=sys.stderr)
