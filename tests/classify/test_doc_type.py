"""doc_type from what the text went through, not only from its file format."""

from __future__ import annotations

import json

OCR_POSTER = """Marché paysan de printemps

Le colléctif des producteurs vous invite a découvrir I'objet de notre démarche : des produits locaux
et de saison. Venez nombreux, quelgues stands proposeront des ateliers pour les enfants.
¢a se passe sur la place du village, avec la participation des écoles et de I'association des parents.
Les bénévoles seront présents pour expliquer I'organisation du marché et les tarifs solidaires.
"""

CLEAN_PAGE = """Marché paysan de printemps

Le collectif des producteurs vous invite à découvrir l'objet de notre démarche : des produits locaux
et de saison. Venez nombreux, quelques stands proposeront des ateliers pour les enfants.
Cela se passe sur la place du village, avec la participation des écoles et de l'association des parents.
"""


def test_ocr_output_saved_as_text_is_a_poster_and_clean_text_is_not(tmp_path, config):
    from pipeline.run import run

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "affiche-ocr.txt").write_text(OCR_POSTER, "utf-8")
    (raw / "page.txt").write_text(CLEAN_PAGE, "utf-8")
    run(raw, tmp_path / "clean", config, use_cache=False, progress=False, log=None)
    types = {json.loads(x)["source"]["path"]: json.loads(x)["doc_type"]
             for x in (tmp_path / "clean" / "records.jsonl").read_text("utf-8").splitlines()}
    assert types == {"affiche-ocr.txt": "poster", "page.txt": "web_page"}
