"""The change log in place: where each change stood, so that a record's changes replay.

Every change to a record's text carries `span`, the [start, end] of its `before` in the text as it stood
just before it.  Applying a record's changes in order (`replay`) to its slice of the extracted text gives
its clean text exactly: no step can remove, move or add text without a change that says where.

A step of a stage knows its input, its output and the edits it says it made (operation, before, after,
why).  `place` reads where they stand from an exact diff of input and output (`diff`), so the positions
are true whatever the step's own bookkeeping: an edit names the differences it overlaps, and a difference
that no edit claims is filed under the step's own operation and reason.  `project` carries the changes
made to a whole file onto one page of it, and `pieces` marks what replaying struck and inserted, for the
report (one pass per run of changes in text order, so a long record with many changes stays linear).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any, Iterator

from ..record import Change, Edit

Hunk = tuple[int, int, int, int]  # old[a0:a1] became new[b0:b1]

_TOKEN = re.compile(r"\w+|[^\S\n]+|\n|.", re.S)
_LINE = re.compile(r"[^\n]*\n+|[^\n]+")  # a line with the blank lines after it: no popular "\n" alone
WINDOW = 2000  # tokens of a block of changed lines compared at once (see _opcodes)
SMALL = 400  # tokens compared exactly; above, blanks and words said in more than 1 % of a window only extend a match
LINE_BY_LINE = 400  # characters of a changed block with as many lines after as before, from which it is
#                     compared line by line
_DEAD = ("del", "gone")  # pieces that are no longer in the text
MAX_PLAIN_LINES = 20_000  # above this many lines, lines said more than 1 % of the time are not matched on (difflib's autojunk)
MAX_TRIES = 200  # occurrences of an edit's text looked at before it is given up (its hunks get the default)


def _prefix(a: str, b: str) -> int:
    """Length of the common prefix (slices compare in C: O(n log n), not a Python loop per character)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _suffix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:len(a) - lo] == b[len(b) - mid:len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _opcodes(ta: Sequence[str], tb: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """Where two token lists differ, (i1, i2, j1, j2), in order.  difflib on the whole when small; else in
    windows of WINDOW tokens, each compared alone and cut at its last stretch in common before three
    quarters of the window, the next window starting there: linear in the length, for changes that stay
    local (a step of repair changes words, blanks and line ends where they stand)."""
    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    while i < len(ta) or j < len(tb):
        a, b = ta[i:i + WINDOW], tb[j:j + WINDOW]
        ops = SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > SMALL).get_opcodes()
        if i + WINDOW >= len(ta) and j + WINDOW >= len(tb):
            out += [(i + i1, i + i2, j + j1, j + j2) for op, i1, i2, j1, j2 in ops if op != "equal"]
            break
        mark = WINDOW * 3 // 4
        cut = None
        for k, (op, i1, i2, j1, j2) in enumerate(ops):
            if op == "equal" and i1 < mark and j1 < mark:
                cut = (k, i1 + min(i2 - i1, max(1, mark - i1), max(1, mark - j1)))
        if cut is None:  # nothing in common early in the window: the window differs as a whole
            out.append((i, i + len(a), j, j + len(b)))
            i, j = i + len(a), j + len(b)
            continue
        k, end = cut
        out += [(i + i1, i + i2, j + j1, j + j2) for op, i1, i2, j1, j2 in ops[:k] if op != "equal"]
        shift = end - ops[k][1]
        i, j = i + end, j + ops[k][3] + shift
    return out


def _refine(a: str, b: str, a0: int, b0: int) -> list[Hunk]:
    """One block of changed lines, word by word."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    if not ta or not tb:
        return [(a0, a0 + len(a), b0, b0 + len(b))]
    pa, pb = [0], [0]
    for t in ta:
        pa.append(pa[-1] + len(t))
    for t in tb:
        pb.append(pb[-1] + len(t))
    # the tokens the block starts and ends with in both are left out: difflib, left to place them, may
    # pin the old block's last line on the new block's first words ("un\r\nmot\r\nun " joined)
    k = 0
    while k < min(len(ta), len(tb)) and ta[k] == tb[k]:
        k += 1
    m = 0
    while m < min(len(ta), len(tb)) - k and ta[-1 - m] == tb[-1 - m]:
        m += 1
    ea, eb = len(ta) - m, len(tb) - m
    if k == ea or k == eb:  # only put in or only taken out
        return [(a0 + pa[k], a0 + pa[ea], b0 + pb[k], b0 + pb[eb])] if (k, k) != (ea, eb) else []
    return [(a0 + pa[k + i1], a0 + pa[k + i2], b0 + pb[k + j1], b0 + pb[k + j2])
            for i1, i2, j1, j2 in _opcodes(ta[k:ea], tb[k:eb])]


def anchors(old: str, paragraphs: Sequence[str], at: Sequence[int | None] | None = None) -> list[Hunk]:
    """Where the paragraphs of a text made of `paragraphs` joined by blank lines stand in `old`, as blocks
    that are equal in both (old start, old end, new start, new end): each paragraph at `at[i]` when that is
    where it stands (None: not anchored), else, without `at`, looked for after the previous one.  A step that keeps, drops and moves whole
    paragraphs knows which copy it kept: these blocks say so to `diff`, which would otherwise align a
    page's body with its summary, or strike the copy that was kept."""
    out: list[Hunk] = []
    cursor = offset = 0
    for i, paragraph in enumerate(paragraphs):
        if at is not None:
            p = at[i] if at[i] is not None and at[i] >= cursor and old.startswith(paragraph, at[i]) else -1
        else:
            p = old.find(paragraph, cursor) if paragraph else -1
        if paragraph and p >= cursor:
            out.append((p, p + len(paragraph), offset, offset + len(paragraph)))
            cursor = p + len(paragraph)
        offset += len(paragraph) + 2
    return out


def diff(old: str, new: str, equal: Sequence[Hunk] = ()) -> list[Hunk]:
    """The places where `new` differs from `old`, in order: lines first, then words inside changed lines;
    `equal`: blocks known to be the same text in both (see `anchors`), in order, compared no further."""
    if equal:
        hunks: list[Hunk] = []
        a = b = 0
        for a0, a1, b0, b1 in list(equal) + [(len(old), len(old), len(new), len(new))]:
            hunks += [(x0 + a, x1 + a, y0 + b, y1 + b) for x0, x1, y0, y1 in diff(old[a:a0], new[b:b0])]
            a, b = a1, b1
        return hunks
    if old == new:
        return []
    p = _prefix(old, new)  # the text the two share at either end, cut back to blanks: whole words
    while 0 < p < len(old) and not old[p - 1].isspace() and not old[p].isspace():
        p -= 1
    s = _suffix(old[p:], new[p:])
    while 0 < s < len(old) and not old[len(old) - s].isspace() and not old[len(old) - s - 1].isspace():
        s -= 1
    a, b = old[p:len(old) - s], new[p:len(new) - s]
    if not a or not b:
        return _by_line(old, new, (p, p + len(a), p, p + len(b)))
    la, lb = _LINE.findall(a), _LINE.findall(b)
    oa, ob = [p], [p]
    for line in la:
        oa.append(oa[-1] + len(line))
    for line in lb:
        ob.append(ob[-1] + len(line))
    hunks: list[Hunk] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=len(la) + len(lb) > MAX_PLAIN_LINES).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1 and oa[i2] - oa[i1] + ob[j2] - ob[j1] > LINE_BY_LINE:
            # as many lines as before, and long: each line changed where it stands (a long block of like
            # lines, word by word, would have nothing to anchor on)
            for k in range(i2 - i1):
                hunks += _refine(la[i1 + k], lb[j1 + k], oa[i1 + k], ob[j1 + k])
        elif op == "replace":
            hunks += _refine("".join(la[i1:i2]), "".join(lb[j1:j2]), oa[i1], ob[j1])
        else:
            hunks.append((oa[i1], oa[i2], ob[j1], ob[j2]))
    return [piece for hunk in hunks for piece in _by_line(old, new, hunk)]


_ONE_LINE = re.compile(r"\n*[^\n]+\n*|\n+")


def _by_line(old: str, new: str, hunk: Hunk) -> list[Hunk]:
    """Lines dropped (or put in) together, one hunk each, so that each is claimed by its own edit (two
    chrome lines, a title and its date line) rather than all by the first."""
    a0, a1, b0, b1 = hunk
    if a0 != a1 and b0 != b1 or "\n" not in (old[a0:a1] + new[b0:b1]).strip("\n"):
        return [hunk]
    if a0 != a1:
        return [(m.start(), m.end(), b0, b1) for m in _ONE_LINE.finditer(old, a0, a1)]
    return [(a0, a1, m.start(), m.end()) for m in _ONE_LINE.finditer(new, b0, b1)]


def _overlapping(hunks: list[Hunk], ends: list[int], p: int, q: int) -> range:
    """Indexes of the hunks that touch old[p:q] (a pure insertion at either edge touches it)."""
    first = bisect.bisect_left(ends, p)
    while first < len(hunks) and hunks[first][1] == p and hunks[first][0] < p:  # ends where the text starts
        first += 1
    last = first
    while last < len(hunks) and (hunks[last][0] < q or hunks[last][0] == hunks[last][1] == q):
        last += 1
    return range(first, last)


def _occurrences(old: str, before: str, cursor: int) -> Iterator[int]:
    """Where `before` stands in `old`: from the cursor on, then from the start (at most MAX_TRIES each),
    found one at a time, as the claim tries them (the first that claims ends the search)."""
    for origin in (cursor, 0):
        found = old.find(before, origin)
        tries = 0
        while found != -1 and tries < MAX_TRIES:
            yield found
            found = old.find(before, found + 1)
            tries += 1


def _claim(old: str, new: str, edit: Edit, hunks: list[Hunk], ends: list[int], owner: list[int | None],
           index: int, cursor: int) -> tuple[int, int] | None:
    """The run of hunks `edit` accounts for (first, last index), claimed in `owner`; None if none."""
    if not edit.before:  # an insertion: the first free insertion from the cursor that holds its text
        probe = edit.after.strip()
        for i in range(bisect.bisect_left(ends, cursor), len(hunks)):
            a0, a1, b0, b1 = hunks[i]
            if owner[i] is None and a0 == a1 and probe and probe in new[b0:b1]:
                owner[i] = index
                return i, i
        return None
    starts = [edit.at] if edit.at is not None else _occurrences(old, edit.before, cursor)
    for p in starts:
        if old[p:p + len(edit.before)] != edit.before:
            continue
        run = _overlapping(hunks, ends, p, p + len(edit.before))
        free = [i for i in run if owner[i] is None]
        if not free:
            continue
        first = last = free[0]
        while last + 1 in run and owner[last + 1] is None:
            last += 1
        for i in range(first, last + 1):
            owner[i] = index
        return first, last
    return None


def place(old: str, new: str, edits: Iterable[Edit], default: Edit, equal: Sequence[Hunk] = (),
          words: Edit | None = None) -> list[Edit]:
    """The edits that turn `old` into `new`, each with its `span` (in the text as it stands just before
    it, in order): every difference is claimed by the edit whose text it touches, in the edit's words
    (operation, reason, and its whole `before` when that covers the difference exactly); a difference no
    edit claims takes `default`'s operation and reason.  An edit that changed nothing visible is left out.
    `equal`: blocks the step knows it kept as they were (`anchors`); `words`: the operation and reason for
    a difference no edit claims that holds letters or digits, when the step's default is only for blanks."""
    hunks = diff(old, new, equal)
    if not hunks:
        return []
    ends = [h[1] for h in hunks]
    owner: list[int | None] = [None] * len(hunks)
    edits = list(edits)
    claims: list[tuple[int, int, Edit]] = []
    cursor = 0
    for k, edit in enumerate(edits):
        got = _claim(old, new, edit, hunks, ends, owner, k, cursor)
        if got:
            claims.append((got[0], got[1], edit))
            cursor = hunks[got[0]][0]
    placed: list[tuple[int, int, int, int, Edit]] = []  # x0, x1, y0, y1, labelled by
    for first, last, edit in claims:
        x0, x1 = hunks[first][0], hunks[last][1]
        y0, y1 = hunks[first][2], hunks[last][3]
        p = edit.at if edit.at is not None else old.find(edit.before, max(0, x1 - len(edit.before)))
        if edit.before and 0 <= p <= x0 and x1 <= p + len(edit.before):  # the edit's own words, if they fit
            q = p + len(edit.before)
            touched = _overlapping(hunks, ends, p, q)
            if all(owner[i] == owner[first] for i in touched):
                y0, y1 = y0 - (x0 - p), y1 + (q - x1)
                x0, x1 = p, q
        placed.append((x0, x1, y0, y1, edit))
    for i, (a0, a1, b0, b1) in enumerate(hunks):
        if owner[i] is None:
            wordy = words is not None and any(ch.isalnum() for ch in old[a0:a1] + new[b0:b1])
            placed.append((a0, a1, b0, b1, words if wordy else default))
    placed.sort(key=lambda t: (t[0], t[1]))
    out = []
    delta = 0
    for x0, x1, y0, y1, edit in placed:
        out.append(Edit(edit.operation, old[x0:x1], new[y0:y1], edit.reason, span=(x0 + delta, x1 + delta)))
        delta += (y1 - y0) - (x1 - x0)
    return out


def _runs(changes: Sequence[Any]) -> list[list[Any]]:
    """Changes cut into runs that stand in text order (each after the text the previous one put in), so
    that each run is applied in one pass."""
    runs: list[list[Any]] = []
    last = -1
    for c in changes:
        s = c.span[0]
        if not runs or s < last:
            runs.append([])
        runs[-1].append(c)
        last = s + len(c.after)
    return runs


def given_text(record: Any) -> str:
    """What a record's changes replay from: its slice (`source.span`) of the text its file gave (written to
    extracted.jsonl, so that an analyst can replay changes.jsonl)."""
    span, extracted = record.source.span, record.extracted
    return extracted[span[0]:span[1]] if extracted is not None and span else (extracted or "")


def from_rows(rows: Iterable[dict[str, Any]]) -> list[Change]:
    """Rows of changes.jsonl (or of corpus.sqlite's `changes` as dicts) as changes, to replay them."""
    return [Change(r["stage"], r["operation"], r["before"], r["after"], r.get("path", ""), r.get("record"),
                   r.get("reason"), r.get("span"), r.get("of")) for r in rows]


def replayed(changes: Iterable[Change]) -> list[Change]:
    """The changes that replay on the record's own text: placed ones of this record (not a merged copy's)."""
    return [c for c in changes if c.span is not None and c.of is None]


def replay(text: str, changes: Iterable[Change], check: bool = False) -> str:
    """`text` with `changes` applied in order (each at its span); `check`: each change's `before` must be
    what stands there (ValueError otherwise)."""
    for run in _runs(replayed(changes)):
        parts, pos, delta = [], 0, 0
        for c in run:
            s, e = c.span[0] - delta, c.span[1] - delta
            if check and text[s:e] != c.before:
                raise ValueError(f"{c.stage}/{c.operation} at {c.span}: {text[s:e]!r} stands there, not {c.before!r}")
            parts += [text[pos:s], c.after]
            pos = e
            delta += len(c.after) - (c.span[1] - c.span[0])
        parts.append(text[pos:])
        text = "".join(parts)
    return text


def project(changes: Iterable[Change], lo: int, hi: int, last: bool = False) -> list[Change]:
    """The changes made to a whole text, carried onto its slice [lo, hi) (a page of a dump): those inside
    it, with spans relative to it; one that runs over an edge is cut there.  Text put in at an edge goes to
    the slice that starts there (to this one at its end only when it is the `last`).  Replaying what is
    returned on text[lo:hi] gives the slice as the changes left it, and the slices of a text, each
    replayed, make the whole text replayed."""
    out: list[Change] = []
    for c in changes:
        if c.span is None or c.of is not None:
            continue
        s, e = c.span
        d = len(c.after) - (e - s)
        if s == e:  # text put in
            if s < lo:
                lo, hi = lo + d, hi + d
            elif lo <= s < hi or last and s == hi:
                out.append(replace(c, span=[s - lo, e - lo]))
                hi += d
            continue
        if e <= lo:
            lo, hi = lo + d, hi + d
        elif s >= hi:
            continue
        elif lo <= s and e <= hi:
            out.append(replace(c, span=[s - lo, e - lo]))
            hi += d
        elif s >= lo:  # starts inside, runs past the end: the inside part becomes its result
            out.append(replace(c, span=[s - lo, hi - lo], before=c.before[:hi - s]))
            hi = s + len(c.after)
        else:  # starts before the slice: the part inside goes, the result stands before the slice
            cut = min(e, hi)
            out.append(replace(c, span=[0, cut - lo], before=c.before[lo - s:cut - s], after=""))
            lo, hi = s + len(c.after), s + len(c.after) + (hi - cut)
    return out


def pieces(text: str, changes: Iterable[Change]) -> tuple[list[dict[str, Any]], list[list[int] | None]]:
    """Replay as marked pieces: the clean text with what each change struck ("del") and put in ("ins"),
    each with the index of its change; text put in and struck again later is left out.  Also, for each
    change, where its result stands in the clean text ([start, end]; a removal: the zero-width place where
    its text stood), None for a change that does not replay here."""
    changes = list(changes)
    live: list[list[Any]] = [[text, "same", None]]  # text, kind, change index
    index = {id(c): k for k, c in enumerate(changes)}
    for run in _runs(replayed(changes)):
        out: list[list[Any]] = []
        pos = 0  # live offset at the start of live[i]
        i = 0
        delta = 0
        for c in run:
            s, e = c.span[0] - delta, c.span[1] - delta
            delta += len(c.after) - (c.span[1] - c.span[0])
            kept_head = _prefix(c.before, c.after)  # what the change left as it was ("des\ncentres" -> "des
            kept_tail = _suffix(c.before[kept_head:], c.after[kept_head:])  # centres": only the break is struck)
            s, e, after = s + kept_head, e - kept_tail, c.after[kept_head:len(c.after) - kept_tail]
            while i < len(live) and (live[i][1] in _DEAD or pos + len(live[i][0]) <= s):
                if live[i][1] not in _DEAD:
                    pos += len(live[i][0])
                out.append(live[i])
                i += 1
            # split the piece that holds s
            if i < len(live) and live[i][1] not in _DEAD and pos < s:
                head, tail = live[i][0][:s - pos], live[i][0][s - pos:]
                out.append([head, live[i][1], live[i][2]])
                live[i] = [tail, live[i][1], live[i][2]]
                pos = s
            while i < len(live) and (live[i][1] in _DEAD or pos < e):
                piece = live[i]
                if piece[1] in _DEAD:
                    out.append(piece)
                    i += 1
                    continue
                take = min(len(piece[0]), e - pos)
                gone, rest = piece[0][:take], piece[0][take:]
                out.append([gone, "del" if piece[1] == "same" else "gone", index[id(c)] if piece[1] == "same" else piece[2]])
                pos += take
                if rest:
                    live[i] = [rest, piece[1], piece[2]]
                    break
                i += 1
            if after:
                out.append([after, "ins", index[id(c)]])
        out += live[i:]
        live = [p for p in out if p[0]]
    at: list[list[int] | None] = [None] * len(changes)
    offset = 0
    shown = []
    for text_, kind, k in live:
        if kind in _DEAD:
            if k is not None and at[k] is None:
                at[k] = [offset, offset]
            if kind == "gone":
                continue
        else:
            if kind == "ins" and k is not None:
                at[k] = [offset, offset + len(text_)] if at[k] is None or at[k][0] == at[k][1] else [at[k][0], offset + len(text_)]
            offset += len(text_)
        shown.append({"text": text_, "kind": kind, "change": k})
    return shown, at
