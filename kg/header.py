"""What a page says about itself around the story: dates (banners, bylines, several languages), bylines,
mastheads, copyright holders, datelines and the headline.

Each function reads one line or one segment of a line; kg/clean.py decides which lines are the header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from kg.config import DATA_DIR


@cache
def _months() -> dict[str, int]:
    out: dict[str, int] = {}
    for row in (DATA_DIR / "months.tsv").read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#") or row.startswith("lang\t"):
            continue
        _lang, month, names = row.split("\t")
        for name in names.split("|"):
            out[name.casefold()] = int(month)
    return out


def _month_pattern() -> str:
    return "|".join(re.escape(m) for m in sorted(_months(), key=len, reverse=True))


_M = _month_pattern()
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|º|\.)?"
_DATE = re.compile(
    rf"(?<![\w/.:-])(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
    rf"|(?P<d1>{_DAY})\s+(?:de\s+|of\s+)?(?P<m1>{_M})\.?,?\s+(?:de\s+)?(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_M})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<a>\d{{1,2}})[./](?P<b>\d{{1,2}})[./](?P<y3>\d{{4}}))(?![\w-])",
    re.IGNORECASE)
_YEARLESS = re.compile(rf"^(?:(?P<m>{_M})\.?\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_M})\.?)$", re.IGNORECASE)
_TIME = re.compile(r"[\s,|·–-]*(?:at|à|às|um|alle|a las)?\s*(?P<h>\d{1,2})[:h.](?P<mi>\d{2})(?!\d)"
                   r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?", re.IGNORECASE)
_UPDATED = re.compile(r"(?:updated|modified|edited|atualizado|actualizado|mis à jour|aktualisiert|aggiornato)"
                      r"\s*(?:em|el|le|am|il|on|at)?\s*:?\s*$", re.IGNORECASE)
_WEEKDAYS = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun|"
             "lunes|martes|miércoles|jueves|viernes|sábado|domingo|segunda-feira|terça-feira|quarta-feira|"
             "quinta-feira|sexta-feira|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|"
             "mittwoch|donnerstag|freitag|samstag|sonntag|lunedì|martedì|mercoledì|giovedì|venerdì|sabato")
# Words that stand around a date in a banner or byline and say nothing else.
_DATE_WORDS = re.compile(
    rf"\b(?:{_WEEKDAYS}|posted|published|updated|last|modified|on|at|am|pm|a\.m|p\.m|gmt|utc|cet|cest|est|edt|"
    r"pst|ist|jst|kst|bst|wat|eat|sast|local|time|publicado|publicada|em|atualizado|actualizado|el|publié|le|mis|"
    r"à|jour|veröffentlicht|aktualisiert|um|uhr|pubblicato|il|alle|aggiornato|reading|read|min|mins|minutes?|"
    r"hours?|ago|h|de|do|da|du|às|a|las)\b|[+−-]?\d+(?:[:.h]\d+)?", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[—–|·•-]\s+|\s*[|·•]\s*")
_OUTLET = re.compile(
    r"\b(?:gazette|times|post|news|herald|review|daily|journal|tribune|monitor|observer|chronicle|wire|press|agency|"
    r"report|dispatch|courier|courrier|kurier|ledger|weekly|magazine|radio|tv|television|telegraph|guardian|"
    r"express|mail|star|standard|sun|mirror|bulletin|digest|insider|today|online|media|desk|pulse|sera|zeitung|"
    r"diario|jornal|journal|corriere|gazeta|noticias|notícias|actualités)\b|\.(?:com|net|org|co\.\w\w)\b",
    re.IGNORECASE)
# Section names and edition labels: never an outlet.
_SECTION = re.compile(
    r"^(?:home|news|latest|politics|world|business|economy|sport|sports|opinion|diplomacy|region|regions|"
    r"international|national|local news|local|africa|americas|asia|europe|middle east|pacific|environment|"
    r"press releases?|statements? and releases|news releases?|analysis|features?|breaking news|top stories|"
    r"(?:english|international|online|digital|print|weekend) edition|english service|english)$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:(?:by|por|von|par|posted by|written by|reporting by|words by)\b\s*:?|from\s*:)"
                     r"\s*(?P<rest>.+)$", re.IGNORECASE)
_SEED_BYLINE = re.compile(r"^(?P<name>.*?)\s*\b(?:Published|Posted|Updated)\b\s*:?\s*(?P<date>.+)$")
_ROLE = re.compile(r"^(?:by\s*:?\s*)?(?:(?:our|a|the)\s+)?(?:[\w-]+\s+){0,2}(?:correspondent|reporter|staff writer|"
                   r"staff reporter|writer|news desk|newsdesk|bureau|staff)s?$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|de|da|do|dos|van|von|der|den|al|el|bin|bint|ibn|la|le|del|di|"
                        r"y|e|and|&|staff|reporter|correspondent|writer)$")
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\))?\s*(?:copyright\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?"
                        r"(?P<holder>[^|·•.©]+?)\s*(?:\d{4})?\s*(?:[.|·•]|\s[—–-]\s|all rights|$)", re.IGNORECASE)
_CAPS_PLACE = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\- ]*[A-ZÀ-ÖØ-Þ.]"
_TITLE_PLACE = r"[A-ZÀ-ÖØ-Þ][\w'’.-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]+){0,3}"
_SHORT_DATE = r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?"
_DATELINES = (
    # MOSCOW (Outlet / Agency - 23rd April, 2022)
    re.compile(rf"(?P<place>{_CAPS_PLACE})\s*\((?P<agency>[^()\r\n]+?)\s*[-–—]\s*(?P<date>[^()\r\n]*\d{{4}})\)\s*"),
    # PLACE, Region, Thursday 9 November 2023 (Agency) -
    re.compile(rf"(?P<place>{_CAPS_PLACE}),\s+(?:[A-Z][\w'’-]*\s+){{0,3}}?(?:[A-Z][\w'’-]*,\s+)?(?:\w+day,?\s+)?"
               rf"(?P<date>\d{{1,2}}\s+[A-Z][a-z]+\.?,?\s+\d{{4}}|[A-Z][a-z]{{2,8}}\.? \d{{1,2}},?\s+\d{{4}})"
               r"\s*\((?P<agency>[^()\r\n]+)\)\s*[-–—]+\s*"),
    # PLACE, Country, Nov 1 (Agency) -   /   Place, Nov 1 (Agency).-
    re.compile(rf"(?P<place>{_CAPS_PLACE}|{_TITLE_PLACE})(?:,\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,2}})?,\s+"
               rf"(?P<date>{_SHORT_DATE})\s*\((?P<agency>[^()\r\n]+)\)\s*\.?\s*[-–—]+\s*"),
    # PLACE — / PLACE - / PLACE, April 3 — / PLACE (Agency) —
    re.compile(rf"(?P<place>{_CAPS_PLACE})(?:,\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,2}}(?=\s*[-–—,]))?"
               rf"(?:,\s+(?P<date>{_SHORT_DATE}))?\s*(?:\((?P<agency>[^()\r\n]+)\))?\s+[-–—]+\s+"),
    # PLACE: (a colon after a capitalised place, as South Asian and East African papers write it)
    re.compile(rf"(?P<place>{_CAPS_PLACE}):\s+(?=[A-Z\"“])"),
)
# Capitalised words that open a lead with a colon or a dash but are labels, not places.
_NOT_PLACES = frozenset({"NOTE", "UPDATE", "UPDATED", "BREAKING", "READOUT", "EXCLUSIVE", "ANALYSIS", "OPINION",
                         "WATCH", "LIVE", "CORRECTION", "PHOTOS", "VIDEO", "EDITOR'S NOTE", "FILE", "Q", "A",
                         "FACTBOX", "EXPLAINER", "INTERVIEW", "REVIEW", "COMMENT", "EDITORIAL", "PROFILE"})


@dataclass(frozen=True, slots=True)
class Stamp:
    """A full date written in the page, with the time if one follows it."""
    day: date
    at: datetime | None
    begin: int
    end: int
    updated: bool            # "Updated 6 May 2024": when the page changed, not when it was published


def month_number(name: str) -> int | None:
    return _months().get(name.casefold().rstrip("."))


def numeric_date(a: str, b: str, y: str) -> date | None:
    """'22.07.2022', '14/04/2023': day first, as most of the world writes it, unless that cannot be."""
    first, second = int(a), int(b)
    day, month = (second, first) if first <= 12 < second else (first, second)
    try:
        return date(int(y), month, day)
    except ValueError:
        return None


def _day_of(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    try:
        if g["iy"]:
            return date(int(g["iy"]), int(g["im"]), int(g["id"]))
        if g["d1"]:
            return date(int(g["y1"]), month_number(g["m1"]) or 0, int(re.sub(r"\D", "", g["d1"])))
        if g["m2"]:
            return date(int(g["y2"]), month_number(g["m2"]) or 0, int(g["d2"]))
        return numeric_date(g["a"], g["b"], g["y3"])
    except ValueError:
        return None


def stamps(text: str, begin: int = 0, end: int | None = None, limit: int | None = None) -> list[Stamp]:
    """Every full date in text[begin:end], or the first ``limit`` of them."""
    end = len(text) if end is None else end
    out: list[Stamp] = []
    for m in _DATE.finditer(text, begin, end):
        if limit is not None and len(out) >= limit:
            break
        day = _day_of(m)
        if day is None or not 1900 <= day.year <= 2100:
            continue
        at = None
        t = _TIME.match(text, m.end(), end)
        if t:
            hour, minute = int(t.group("h")), int(t.group("mi"))
            if t.group("ap"):
                hour = hour % 12 + (12 if t.group("ap").lower() == "p" else 0)
            if hour < 24 and minute < 60:
                at = datetime(day.year, day.month, day.day, hour, minute)
        updated = _UPDATED.search(text, max(begin, m.start() - 24), m.start()) is not None
        out.append(Stamp(day, at, m.start(), t.end() if t and at else m.end(), updated))
    return out


def published_stamp(text: str, begin: int = 0, end: int | None = None) -> Stamp | None:
    """The publication date a banner or byline gives: the first date not marked as an update."""
    found = stamps(text, begin, end, limit=4)
    return next((s for s in found if not s.updated), found[0] if found else None)


def is_date_line(line: str) -> bool:
    """A banner that holds a date and nothing else worth reading: 'Saturday, 20 January 2024 | 07:10 GMT'."""
    if not _DATE.search(line):
        return False
    rest = _DATE_WORDS.sub(" ", _DATE.sub(" ", line))
    words = re.findall(r"[^\W\d_]{2,}", rest)
    return len(words) <= 1


def yearless(value: str) -> tuple[int, int] | None:
    """(month, day) of 'Nov 9' or '9 November'."""
    m = _YEARLESS.match(value.strip())
    if not m:
        return None
    month = month_number(m.group("m") or m.group("m2"))
    day = int(m.group("d") or m.group("d2"))
    return (month, day) if month and 1 <= day <= 31 else None


def segments(line: str) -> list[str]:
    """The parts of a header line: 'Outlet | Section · 20 May 2024' has three."""
    return [clean_markup(p) for p in _SEPARATORS.split(line) if clean_markup(p)]


def clean_markup(value: str) -> str:
    return re.sub(r"[*_`#>]+", "", value).strip(" \t-—–|·•:,")


@dataclass(frozen=True, slots=True)
class Byline:
    author: str | None
    stamp: Stamp | None


def byline(line: str) -> Byline | None:
    """'By Jane Doe | 13 May 2023', 'Posted by Desk on October 10, 2024', 'Jane Doe Published May 31, 2022',
    'Our Correspondent', 'From: Ministry of ...'. None if the line is not a byline."""
    text = clean_markup(line)
    if not text or len(text) > 200 or (len(text.split()) >= 8 and text.endswith((".", "!", "?"))):
        return None
    if _ROLE.match(text):
        return Byline(re.sub(r"^by\s*:?\s*", "", text, flags=re.IGNORECASE) or None, None)
    m = _BYLINE.match(text)
    if m and text[:4].casefold() == "from":
        return Byline(None, published_stamp(text))      # an issuing office, not a writer
    if m:
        rest = m.group("rest")
        name = re.split(r"\s+(?:on|el|le|am|em|il)\s+(?=\d|[A-Z])|\s*[|·•,(]\s*|\s+[—–-]\s+|\s+(?:Published|Posted)\b",
                        rest, maxsplit=1)[0].strip()
        if not _name_like(name) and not _ROLE.match(name):
            return None
        return Byline(name or None, published_stamp(text))
    seed = _SEED_BYLINE.match(text)
    if seed and stamps(seed.group("date")) and (not seed.group("name") or _name_like(seed.group("name"))):
        return Byline(seed.group("name").strip() or None, published_stamp(text))
    return None


def _name_like(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper():
        return False
    if any(month_number(w) or re.fullmatch(_WEEKDAYS, w, re.IGNORECASE) for w in words):
        return False
    return all(_NAME_WORD.match(w) for w in words)


def copyright_holder(line: str) -> str | None:
    """'© 2023 Highveld Ledger. All rights reserved.' names Highveld Ledger."""
    text = clean_markup(line)
    m = _COPYRIGHT.match(text)
    if not m:
        return None
    holder = m.group("holder").strip(" ,;:-")
    if not holder or not holder[0].isupper() or len(holder.split()) > 6 or re.search(
            r"\b(?:all rights|crown|reserved|copyright|licen[cs]e)\b", holder, re.IGNORECASE):
        return None
    return holder


def outlet_like(value: str) -> bool:
    return bool(_OUTLET.search(value))


def masthead_segment(value: str) -> bool:
    """Could this segment be an outlet's name: short, capitalised, no sentence, no date, no section label."""
    words = value.split()
    if not 1 <= len(words) <= 6 or not value[:1].isupper() or value.endswith((".", "!", "?", ":")):
        return False
    if _SECTION.match(value) or _DATE.search(value) or re.search(r"\d{2}", value):
        return False
    if not re.search(r"[^\W\d_]{2,}", _DATE_WORDS.sub(" ", value)):
        return False                        # 'Updated 6 hours ago'
    return not re.search(r"[“”\"]|\b(?:says?|said|to|will|is|are|was|were)\b", value)


def section_label(value: str) -> bool:
    return bool(_SECTION.match(value))


def display_name(value: str, spellings: list[str]) -> str:
    """An outlet as it spells itself elsewhere on the page ('Highveld Ledger' for 'HIGHVELD LEDGER')."""
    for other in spellings:
        if other.casefold() == value.casefold() and not other.isupper():
            return other
    if not value.isupper():
        return value
    small = {"THE", "OF", "AND", "FOR", "IN", "ON", "DE", "LA", "EL", "LE", "DU", "DES", "DEL", "DI"}
    words = value.split()

    def word(w: str, first: bool) -> str:
        if w in small:
            return w.capitalize() if first else w.lower()
        return "-".join(p.capitalize() for p in w.split("-")) if len(w) > 3 else w
    return " ".join(word(w, i == 0) for i, w in enumerate(words))


@dataclass(frozen=True, slots=True)
class Dateline:
    place_begin: int
    place_end: int
    end: int                 # where the lead's own text starts
    agency: str | None
    date: str | None


def dateline(text: str, begin: int, end: int) -> Dateline | None:
    """The dateline that opens a lead paragraph: 'BEIJING, March 10 (Agency) -', 'ISLAMABAD:', 'ROME –'."""
    for pattern in _DATELINES:
        m = pattern.match(text, begin, end)
        if not m:
            continue
        place = m.group("place")
        if len(place) < 3 or place.endswith(" ") or place.strip(" .") in _NOT_PLACES:
            continue
        groups = m.groupdict()
        return Dateline(m.start("place"), m.end("place"), m.end(), groups.get("agency"), groups.get("date"))
    return None


def headline_like(value: str) -> bool:
    """A title: a few words, not a path, a URL, a file name, a sentence-long paragraph or a dated banner."""
    parts = segments(value)
    if len(parts) > 1 and any(_DATE.search(p) for p in parts):
        return False
    if _DATE.search(value) and len(re.findall(r"[^\W\d_]{2,}", _DATE_WORDS.sub(" ", _DATE.sub(" ", value)))) <= 4:
        return False                        # "Outlet, 20 October 2023", "Brussels, 4 April 2023"

    words = value.split()
    if not 2 <= len(words) <= 40 or len(value) > 300:
        return False
    if re.search(r"^(?:https?://|www\.)|\.(?:jpe?g|png|gif|webp|svg|html?|php)\b|^[\w./-]+/[\w./-]+$", value,
                 re.IGNORECASE):
        return False
    return any(c.isalpha() for c in value)
