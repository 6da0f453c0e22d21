"""The cleaning stage: a page's story told apart from its furniture.

Pages arrive with menus, cookie and share prompts, widgets, bylines, photo captions, lists of other stories,
comment forms and footers around the story. This stage sorts the lines of a page into the header (headline,
masthead, bylines, date banners), the story's paragraphs, photo captions (kept and marked: people and places,
never events) and furniture (cut, each piece with the class that cut it). The furniture patterns are data
(kg/data/furniture.tsv); what is structural (a menu is a row of short items, a lead is a paragraph of
sentences) is here. Offsets index the text as read: nothing is rewritten, lines are only sorted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg import header as hd
from kg.config import DATA_DIR
from kg.model import Span

TEXT, FURNITURE, CAPTION, BYLINE, DATE, MENU = "text", "furniture", "caption", "byline", "date", "menu"
_HEADER_LINES = 40            # a page's header is never longer than this many lines
_LONG = 400                   # a line longer than this is prose, not furniture


@dataclass(frozen=True, slots=True)
class Pattern:
    cls: str
    action: str               # line | list | end | caption
    regex: re.Pattern[str]
    note: str
    hints: tuple[str, ...]    # one of these must be in the (lower-cased) line for an unanchored pattern to be tried


@cache
def patterns() -> tuple[Pattern, ...]:
    out = []
    for row in (DATA_DIR / "furniture.tsv").read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith(("#", "class\t")):
            continue
        cls, action, pattern, note, hint = row.split("\t")
        hints = tuple(h for h in hint.split(",") if h)
        out.append(Pattern(cls, action, re.compile(pattern, re.IGNORECASE), note, hints))
    return tuple(out)


_BULLET = re.compile(r"^(?:\s*(?:[>*•·▪►✓]|[-–—](?=\s)|#{1,6}(?=\s)|\d{1,2}[.)](?=\s))\s*)+")
_EMPHASIS = re.compile(r"^[*_\s]+|[*_\s]+$")
_MENU_SPLIT = re.compile(r"\s*[|·•›»]\s*|\s{2,}|\s+[>/]\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$|[\"”’]$")
_CREDIT_OUTLET = re.compile(r"/\s*([A-Z][^/()\r\n]{1,40}?)\s*\)?\s*\.?$")
_TRAILING_CREDIT = re.compile(r"[.!?]\s+((?:[A-Z][\w'’&.-]*(?:/[\w'’ &.-]+)?\s?){1,4})$")
_DIGIT = re.compile(r"\d")
_NUMBERED = re.compile(r"\d{1,2}[.)]\s")
_MARKED_MENU = re.compile(r"[|·•›»]|\s[>/]\s")
_ITEM = re.compile(r"^\s*(?:[-*•·▪►>]|\d{1,2}[.)])\s+|^In [\"“]")


def key(line: str) -> str:
    """A line as the furniture patterns see it: no bullets, no Markdown emphasis, no surrounding space."""
    if line[:1].isalpha() and (line[-1:].isalnum() or line[-1:] in ".)]”\""):
        if not _NUMBERED.match(line):
            return line.strip()
    return _EMPHASIS.sub("", _BULLET.sub("", line))


@cache
def _anchored() -> tuple[re.Pattern[str], tuple[Pattern, ...], re.Pattern[str]]:
    """The patterns anchored at a line's start as one expression (tried there once), the others, and the union
    of the others' hints (a line with none of them is spared every unanchored pattern)."""
    rows = list(enumerate(patterns()))
    one = "|".join(f"(?P<p{i}>{p.regex.pattern[1:]})" for i, p in rows if p.regex.pattern.startswith("^"))
    loose = tuple(p for p in patterns() if not p.regex.pattern.startswith("^"))
    hints = "|".join(re.escape(h) for p in loose for h in p.hints) if all(p.hints for p in loose) else ""
    return re.compile(one, re.IGNORECASE), loose, re.compile(hints)


def furniture(line: str) -> Pattern | None:
    text = key(line)
    if not text or len(text) > _LONG:
        return None
    anchored, loose, hinted = _anchored()
    m = anchored.match(text)
    if m is not None and m.lastgroup:
        return patterns()[int(m.lastgroup[1:])]
    lower = text.lower()
    if not hinted.search(lower):
        return None
    return next((p for p in loose if (not p.hints or any(h in lower for h in p.hints)) and p.regex.search(text)),
                None)


def is_menu(line: str) -> bool:
    """A row of short items: 'Home | World | Politics', 'NEWS  SPORT  OPINION', 'Home > World > Africa'."""
    text = key(line)
    if len(text) > 200:
        return False
    items = [i for i in _MENU_SPLIT.split(text) if i]
    marked = _MARKED_MENU.search(text) is not None
    if len(items) < (2 if marked else 3):
        return False
    return all(len(i) <= 32 and len(i.split()) <= 4 and not _SENTENCE_END.search(i) for i in items) \
        and not hd.stamps(text)


def words(text: str) -> int:
    return len(text.split())


@dataclass(slots=True)
class Line:
    begin: int
    end: int
    block: int
    kind: str = TEXT
    pattern: Pattern | None = None
    byline: hd.Byline | None = None
    read: int = 0             # 1: furniture patterns tried, 2: header shapes too


@dataclass(slots=True)
class Page:
    headline: Span | None = None
    paragraphs: list[Span] = field(default_factory=list)
    captions: list[Span] = field(default_factory=list)
    cut: list[tuple[str, Span]] = field(default_factory=list)     # (class, text) of what was left out
    header: list[Line] = field(default_factory=list)              # the lines before the lead
    author: str | None = None
    stamp: hd.Stamp | None = None         # the publication date a banner or byline gives
    masthead: str | None = None
    place: Span | None = None             # a place a header line writes before its date ("Brussels, 4 April")
    holders: list[str] = field(default_factory=list)              # copyright holders
    credits: list[str] = field(default_factory=list)              # outlets named in photo credits
    body_stamps: list[hd.Stamp] = field(default_factory=list)     # dates of date lines and bylines in the body


_NONBLANK = re.compile(r"(?:^|(?<=\r))[^\S\r\n]*(\S(?:[^\r\n]*\S)?)[^\S\r\n]*(?=\r\n|\n|\r|\Z)", re.MULTILINE)
_MD_BLOCK = re.compile(r"\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s)")


def split_lines(text: str, start: int, markdown: bool) -> list[Line]:
    """Non-blank lines from ``start``, without their surrounding spaces, numbered by block (blank-line separated;
    a Markdown heading or list item is a block of its own)."""
    out: list[Line] = []
    block, prev = 0, start
    if 0 < start < len(text) and text[start - 1] not in "\r\n":
        # ``start`` is inside a line (the rest of a seed line): that rest is a line of its own
        end = min((i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0), default=len(text))
        b, e = start, end
        while b < e and text[b].isspace():
            b += 1
        while e > b and text[e - 1].isspace():
            e -= 1
        if e > b:
            out.append(Line(b, e, block))
            prev = e
        start = end
    for m in _NONBLANK.finditer(text, start):
        b, e = m.start(1), m.end(1)
        gap = text[prev:b]
        if out and (gap.count("\n") + gap.count("\r") - gap.count("\r\n") >= 2
                    or (markdown and (_MD_BLOCK.match(text, b, e) or text.startswith("#", out[-1].begin)))):
            block += 1
        out.append(Line(b, e, block))
        prev = e
    return out


def classify(text: str, line: Line, header: bool) -> None:
    """Sets the line's kind. Outside the header only furniture patterns and captions apply to a line inside a
    paragraph: a wrapped line of prose may look like a date banner or a menu."""
    raw = text[line.begin:line.end]
    if len(raw) > _LONG * 2 or line.read >= (2 if header else 1):
        return
    if line.read == 0:
        line.read = 1
        pattern = furniture(raw)
        if pattern is not None and pattern.action != "caption":
            line.kind, line.pattern = FURNITURE, pattern
            return
        if pattern is not None and words(raw) <= 80:
            line.kind, line.pattern = CAPTION, pattern
            return
    if not header or line.kind != TEXT:
        return
    line.read = 2
    if len(raw) > 200:
        return                # bylines, banners and menus are short
    by = hd.byline(raw)
    if by is not None:
        line.kind, line.byline = BYLINE, by
    elif words(raw) <= 16 and hd.is_date_line(raw) and not (words(raw) >= 6 and _SENTENCE_END.search(raw.rstrip("*_"))):
        line.kind = DATE
    elif is_menu(raw):
        line.kind = MENU


def _split_leading_date(text: str, lines: list[Line]) -> list[Line]:
    """'Tuesday, 11 April 2023 UN chief arrives in Mogadishu': a date banner run into the next line."""
    out: list[Line] = []
    for n, line in enumerate(lines):
        head = min(line.end, line.begin + 40)
        dated = n < _HEADER_LINES and _DIGIT.search(text, line.begin, head) is not None
        first = hd.stamps(text, line.begin, min(line.end, line.begin + 120), limit=1) if dated else []
        if first and hd.is_date_line(text[line.begin:first[0].end]) and not hd.is_date_line(text[line.begin:line.end]):
            rest = line.begin + first[0].end - line.begin
            while rest < line.end and text[rest] in " \t|,·•—–-:":
                rest += 1
            tail = text[rest:line.end]
            if words(tail) >= 3 and tail[:1].isupper():
                out.append(Line(line.begin, first[0].end, line.block, DATE))
                out.append(Line(rest, line.end, line.block))
                continue
        out.append(line)
    return out


def _blocks(lines: list[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    for line in lines:
        if out and out[-1][0].block == line.block:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _joined(text: str, block: list[Line]) -> str:
    return " ".join(text[x.begin:x.end] for x in block)


def story_like(text: str, block: list[Line], strong: bool = True) -> bool:
    """A paragraph of the story: sentences, or a lead that opens with a dateline."""
    if any(x.kind != TEXT for x in block):
        return False
    body = _joined(text, block).rstrip("*_ ")
    n = words(body)
    if hd.dateline(text, block[0].begin, block[-1].end) is not None and n >= (8 if strong else 4):
        return True
    if strong:
        return n >= 40 or (n >= 12 and _SENTENCE_END.search(body) is not None)
    return n >= 5 and _SENTENCE_END.search(body) is not None


def _caption_block(text: str, block: list[Line]) -> bool:
    body = _joined(text, block)
    if words(body) > 80:
        return False
    if any(x.kind == CAPTION for x in block):
        return True
    credit = _TRAILING_CREDIT.search(body)
    return credit is not None and words(body) >= 8 and not _SENTENCE_END.search(credit.group(1))


def _choose_headline(text: str, lines: list[Line]) -> Line | None:
    candidates = [x for x in lines if x.kind == TEXT and hd.headline_like(hd.clean_markup(text[x.begin:x.end]))
                  and not hd.section_label(hd.clean_markup(text[x.begin:x.end]))]
    heading = next((x for x in candidates if re.match(r"#{1,2}\s", text[x.begin:x.end])), None)
    if heading is not None:
        return heading
    # A line that ends as a sentence does is the lead more likely than the title.
    titles = [x for x in candidates if not text[x.begin:x.end].rstrip("*_ ").endswith(".")] or candidates
    long = [x for x in titles if words(text[x.begin:x.end]) >= 4]
    if long:
        return max(long, key=lambda x: (words(text[x.begin:x.end]), -x.begin))
    return next((x for x in titles if not text[x.begin:x.end].isupper()
                 and not hd.outlet_like(text[x.begin:x.end])), None)


def _title_span(text: str, line: Line) -> Span:
    b, e = line.begin, line.end
    while b < e and text[b] in "#*_ \t":
        b += 1
    while e > b and text[e - 1] in "#*_ \t":
        e -= 1
    return Span.of(text, b, e)


def clean(text: str, start: int = 0, end: int | None = None, *, headline: Span | None = None,
          markdown: bool = False) -> Page:
    """Sort the lines of ``text[start:end]``. A caller that knows the headline (HTML, JSON) passes it, and
    its line is not read again."""
    lines = [x for x in split_lines(text[:end] if end is not None else text, start, markdown)
             if headline is None or not (x.begin <= headline.begin < x.end)]
    lines = _split_leading_date(text, lines)
    for n, line in enumerate(lines):
        if line.kind == TEXT:
            classify(text, line, header=n < _HEADER_LINES)
    blocks = _blocks(lines)
    page = Page(headline=headline)
    lead = _find_lead(text, blocks, page, headline is None)
    if page.headline is not None:
        title = page.headline.begin
        blocks = [[x for x in b if not (x.begin <= title < x.end)] for b in blocks]
    page.header = [x for b in blocks[:lead] for x in b]
    _read_header(text, blocks[:lead], page)
    page.header = page.header[:_HEADER_LINES]
    _read_body(text, [b for b in blocks[lead:] if b], page)
    _masthead(text, page.header, page)
    return page


def _find_lead(text: str, blocks: list[list[Line]], page: Page, find_headline: bool) -> int:
    """Index of the lead's block; sets the headline when it is to be found."""
    strong = next((i for i, b in enumerate(blocks[:_HEADER_LINES]) if story_like(text, b)
                   and not _caption_block(text, b)), None)
    zone = blocks[:strong] if strong is not None else blocks[:6]
    after = 0
    if find_headline:
        title = _choose_headline(text, [x for b in zone for x in b][:_HEADER_LINES])
        if title is not None:
            page.headline = _title_span(text, title)
            after = next(i for i, b in enumerate(blocks) if title in b) + 1
            if blocks[after - 1][-1] is not title:
                after -= 1      # the headline shares its block with lines after it: those are read as header
    for i in range(after, len(blocks)):
        if strong is not None and i >= strong:
            return strong
        b = [x for x in blocks[i] if page.headline is None or not (x.begin <= page.headline.begin < x.end)]
        if b and story_like(text, b, strong=False) and not _caption_block(text, b):
            return i
    if strong is not None:
        return strong
    rest = [i for i in range(after, len(blocks)) if all(x.kind == TEXT for x in blocks[i])]
    return rest[0] if rest else len(blocks)


def _read_header(text: str, blocks: list[list[Line]], page: Page) -> None:
    lines = [x for b in blocks for x in b]
    title = page.headline.begin if page.headline is not None else -1
    for b in blocks:
        if b and _caption_block(text, b) and all(x.kind in (TEXT, CAPTION) for x in b):
            _caption(text, b, page)
            for x in b:
                x.kind = CAPTION
    stamps: list[tuple[bool, hd.Stamp]] = []
    for x in lines:
        raw = text[x.begin:x.end]
        if x.kind == FURNITURE and x.pattern is not None:
            _cut(text, x, x.pattern.cls, page)
        elif x.kind == MENU:
            page.cut.append(("menu", Span.of(text, x.begin, x.end)))
        if x.kind == BYLINE and x.byline is not None:
            page.author = page.author or x.byline.author
            if x.byline.stamp is not None:
                stamps.append((x.begin > title >= 0, x.byline.stamp))
        elif x.kind in (DATE, MENU, TEXT) and words(raw) <= 16:
            found = hd.published_stamp(text, x.begin, x.end)
            if found is not None:
                stamps.append((x.begin > title >= 0, found))
    # A byline or date under the headline says when the story was published; a banner above it may only say
    # what day the page was looked at.
    ordered = [s for late, s in stamps if late] + [s for late, s in stamps if not late]
    page.stamp = next((s for s in ordered if not s.updated), ordered[0] if ordered else None)


def _masthead(text: str, lines: list[Line], page: Page) -> None:
    """The outlet's name: a short capitalised line in the header that a menu or a date follows, that names
    itself as an outlet, or that the page spells again in a copyright line, a photo credit or a byline."""
    candidates: list[tuple[str, bool, int, Line]] = []
    for n, x in enumerate(lines):
        if x.kind not in (TEXT, MENU, DATE):
            continue
        raw = text[x.begin:x.end]
        parts = hd.segments(raw)
        for i, part in enumerate(parts):
            place = re.match(r"([A-ZÀ-ÖØ-Þ][^\d,]+?),\s+(?:\w+,?\s+)?\d", part)
            if place and hd.stamps(part):
                if hd.outlet_like(place.group(1)):
                    candidates.append((place.group(1).strip(), True, n, x))
                elif page.place is None:
                    at = text.find(place.group(1), x.begin, x.end)
                    if at >= 0:
                        page.place = Span.of(text, at, at + len(place.group(1)))
                continue
            if i > 0 and x.kind == MENU or not hd.masthead_segment(part):
                continue
            dated = any(hd.stamps(p) for p in parts)
            nxt = lines[n + 1] if n + 1 < len(lines) else None
            before_title = page.headline is None or x.begin < page.headline.begin
            followed = nxt is not None and nxt.kind in (MENU, DATE) and before_title
            candidates.append((part, hd.outlet_like(part) or dated or followed, n, x))
            break
    spelled = {s.casefold() for s in page.holders + page.credits}
    chosen = next((c for c in candidates if c[1] or c[0].casefold() in spelled), None)
    if chosen is not None:
        page.masthead = chosen[0]
        chosen[3].kind = "masthead"


def _read_body(text: str, blocks: list[list[Line]], page: Page) -> None:
    listing = ended = False
    for block in blocks:
        if ended:
            for x in block:
                _cut(text, x, _class_of(x) or "after-end", page)
            continue
        if listing and all(_item_like(text, x) for x in block):
            for x in block:
                _cut(text, x, _class_of(x) or "related", page)
            continue
        listing = False
        if len(block) == 1 and block[0].kind == TEXT:
            classify(text, block[0], header=True)
        if _caption_block(text, block) and all(x.kind in (TEXT, CAPTION) for x in block):
            _caption(text, block, page)
            continue
        # Byline, date and menu lines are cut only where they make a block of their own: a wrapped line of prose
        # can look like one.
        loose = all(x.kind in (BYLINE, DATE, MENU, FURNITURE) for x in block)
        kept: list[Line] = []
        for x in block:
            if x.kind == FURNITURE and x.pattern is not None:
                if x.pattern.action == "end" and page.paragraphs:
                    ended = True
                if x.pattern.action == "list":
                    listing = True
                _cut(text, x, x.pattern.cls, page)
            elif listing or ended:
                _cut(text, x, "related" if listing else "after-end", page)
                continue
            elif loose and x.kind in (BYLINE, DATE, MENU):
                _body_stamp(text, x, page)
                page.cut.append((x.kind, Span.of(text, x.begin, x.end)))
            else:
                kept.append(x)
                continue
            _flush(text, kept, page)
        _flush(text, kept, page)


def _class_of(line: Line) -> str | None:
    return line.pattern.cls if line.pattern is not None else None


def _item_like(text: str, line: Line) -> bool:
    raw = text[line.begin:line.end]
    return words(raw) <= 20 and (_ITEM.match(raw) is not None or not _SENTENCE_END.search(raw))


def _flush(text: str, kept: list[Line], page: Page) -> None:
    if kept:
        page.paragraphs.append(Span.of(text, kept[0].begin, kept[-1].end))
        kept.clear()


def _cut(text: str, line: Line, cls: str, page: Page) -> None:
    raw = text[line.begin:line.end]
    if cls == "copyright":
        holder = hd.copyright_holder(raw)
        if holder:
            page.holders.append(holder)
    page.cut.append((cls, Span.of(text, line.begin, line.end)))


def _caption(text: str, block: list[Line], page: Page) -> None:
    spans = [Span.of(text, x.begin, x.end) for x in block] if all(x.kind == CAPTION for x in block) \
        else [Span.of(text, block[0].begin, block[-1].end)]
    for span in spans:
        page.captions.append(span)
        credit = _CREDIT_OUTLET.search(span.text)
        if credit:
            page.credits.append(credit.group(1).strip())


def _body_stamp(text: str, line: Line, page: Page) -> None:
    if line.kind == BYLINE and line.byline is not None:
        page.author = page.author or line.byline.author
        if line.byline.stamp is not None:
            page.body_stamps.append(line.byline.stamp)
    elif line.kind == DATE:
        found = hd.published_stamp(text, line.begin, line.end)
        if found is not None:
            page.body_stamps.append(found)
