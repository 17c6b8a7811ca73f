"""A record's structure (blocks and sentences, as offsets into its text) carried along when its
paragraphs are dropped, replaced or added: segment finds the structure of each paragraph once, and a
later stage that rearranges paragraphs shifts it rather than finding it again.

A paragraph's blocks and sentences never reach past it (paragraphs are separated by a blank line), so
the structure of a text is the structure of its paragraphs, each shifted to where the paragraph stands.
"""

from __future__ import annotations

from typing import Any

Structure = tuple[tuple[tuple[str, int, int], ...], tuple[tuple[int, int], ...]]  # blocks, sentences


def paragraph_structures(text: str, blocks: list[dict[str, Any]], sentences: list[list[int]]) -> dict[str, Structure]:
    """Each paragraph of `text`, with its blocks (kind, start, end) and sentences relative to it."""
    out: dict[str, Structure] = {}
    b = s = 0
    offset = 0
    for paragraph in text.split("\n\n"):
        end = offset + len(paragraph)
        own_blocks = []
        while b < len(blocks) and blocks[b]["start"] <= end:
            own_blocks.append((blocks[b]["kind"], blocks[b]["start"] - offset, blocks[b]["end"] - offset))
            b += 1
        own_sentences = []
        while s < len(sentences) and sentences[s][0] <= end:
            own_sentences.append((sentences[s][0] - offset, sentences[s][1] - offset))
            s += 1
        out.setdefault(paragraph, (tuple(own_blocks), tuple(own_sentences)))
        offset = end + 2
    return out


def rebuild(paragraphs: list[str], known: dict[str, Structure]) -> tuple[str, list[dict[str, Any]], list[list[int]]]:
    """The text of `paragraphs` joined by blank lines, with the structure each one is known to have."""
    blocks: list[dict[str, Any]] = []
    sentences: list[list[int]] = []
    offset = 0
    for paragraph in paragraphs:
        own_blocks, own_sentences = known[paragraph]
        blocks += [{"kind": kind, "start": start + offset, "end": end + offset} for kind, start, end in own_blocks]
        sentences += [[start + offset, end + offset] for start, end in own_sentences]
        offset += len(paragraph) + 2
    return "\n\n".join(paragraphs), blocks, sentences
