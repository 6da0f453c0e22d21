"""Dates: explicit dates in many spellings, and weekday references resolved against the publication date."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.model import DatePrecision

_MONTH_NUM = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
MONTHS = "|".join(sorted((m.capitalize() for m in _MONTH_NUM), key=len, reverse=True))
FULL_MONTHS = "|".join(m.capitalize() for m, n in _MONTH_NUM.items() if len(m) > 4 or m in ("may", "june", "july"))
WEEKDAY_NAMES = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ORD = r"(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = rf"(?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m1>{MONTHS})\.?,?\s+(?P<y1>\d{{4}})"
_MONTH_DAY_YEAR = rf"(?P<m2>{MONTHS})\.?\s+(?P<d2>\d{{1,2}}){_ORD}(?:,?\s+(?P<y2>\d{{4}}))?"
_DAY_MONTH = rf"(?P<d3>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m3>{MONTHS})\b"
_MONTH_YEAR = rf"(?:(?:early|mid|late)[- ])?(?P<m4>{MONTHS})\.?\s+(?P<y4>\d{{4}})"
_ISO = r"(?P<iso>\d{4}-\d{2}-\d{2})"
_YEAR = r"(?:in\s+)(?P<y5>(?:19|20)\d{2})"
# "in March" with no year: the last March on or before the publication date
_MONTH_ONLY = (r"(?:(?i:in|since|until|by|early|mid|late|last)[\s-]+)"
               rf"(?P<m6>(?:{FULL_MONTHS}))"
               r"\b(?![\s.,]*\d)")
_WEEKDAY = rf"(?P<wd>{WEEKDAY_NAMES})"
_RELATIVE = (r"(?P<rel>yesterday|today|earlier (?:in )?the (?:same )?day|earlier today|the day before|"
             r"later the same day|"
             r"(?:on\s+)?the same day|that (?:same )?day|the (?:next|following|previous) day|the day after)")

DATE_EXPR = re.compile(
    rf"\b(?:{_ISO}|{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_MONTH_YEAR}|{_DAY_MONTH}|{_WEEKDAY}|{_RELATIVE}|{_YEAR}|"
    rf"{_MONTH_ONLY})\b",
)


# Words without which a stretch of text gives no date (besides digits): months, weekdays, relative days.
DATE_CUES = frozenset(list(_MONTH_NUM) + [w for w in WEEKDAYS] + ["yesterday", "today", "day"])


@dataclass(frozen=True, slots=True)
class DateMention:
    begin: int
    end: int
    value: date | None              # None for a reference that needs the event context ("the same day")
    precision: DatePrecision
    kind: str                       # explicit | weekday | relative | year


def parse_date(value: str) -> date | None:
    """A whole string that is one explicit date ("23rd April, 2022", "May 31, 2022", "2022-04-23")."""
    m = DATE_EXPR.fullmatch(value.strip().rstrip("."))
    if not m:
        return None
    found = _from_match(m, None)
    return found[0] if found and found[1] == "day" and found[0] else None


def _month(name: str) -> int:
    return _MONTH_NUM[name.lower().rstrip(".")]


def _from_match(m: re.Match[str], published: date | None) -> tuple[date | None, DatePrecision, str] | None:
    g = m.groupdict()
    try:
        if g["iso"]:
            return date.fromisoformat(g["iso"]), "day", "explicit"
        if g["d1"]:
            return date(int(g["y1"]), _month(g["m1"]), int(g["d1"])), "day", "explicit"
        if g["m2"]:
            year = int(g["y2"]) if g["y2"] else _nearest_year(published, _month(g["m2"]), int(g["d2"]))
            return (date(year, _month(g["m2"]), int(g["d2"])) if year else None), "day", "explicit"
        if g["m4"]:
            return date(int(g["y4"]), _month(g["m4"]), 1), "month", "explicit"
        if g["d3"]:
            year = _nearest_year(published, _month(g["m3"]), int(g["d3"]))
            return (date(year, _month(g["m3"]), int(g["d3"])) if year else None), "day", "explicit"
        if g["wd"]:
            return (weekday_on_or_before(published, g["wd"]) if published else None), "day", "weekday"
        if g["rel"]:
            rel = g["rel"].lower()
            if rel == "yesterday" and published:
                return published - timedelta(days=1), "day", "relative"
            if rel in ("today", "earlier today") and published:
                return published, "day", "relative"
            return None, "day", "relative"
        if g["y5"]:
            return date(int(g["y5"]), 1, 1), "year", "year"
        if g["m6"]:
            if published is None:
                return None, "month", "explicit"
            month = _month(g["m6"])
            year = published.year if month <= published.month else published.year - 1
            return date(year, month, 1), "month", "explicit"
    except ValueError:
        return None
    return None


def _nearest_year(published: date | None, month: int, day: int) -> int | None:
    """A date without a year is taken in the year that puts it closest before the publication date."""
    if published is None:
        return None
    try:
        candidate = date(published.year, month, day)
    except ValueError:
        return None
    if (candidate - published).days > 31:
        return published.year - 1
    return published.year


def weekday_on_or_before(published: date, weekday: str) -> date:
    """"said Friday" in an article published on a Saturday is the day before; on a Friday, the same day."""
    target = WEEKDAYS.index(weekday.lower())
    return published - timedelta(days=(published.weekday() - target) % 7)


def find_dates(text: str, begin: int, end: int, published: date | None) -> list[DateMention]:
    out = []
    for m in DATE_EXPR.finditer(text, begin, end):
        found = _from_match(m, published)
        if found is None:
            continue
        value, precision, kind = found
        start = m.start("y5") if m.group("y5") else m.start("m6") if m.group("m6") else m.start()
        out.append(DateMention(start, m.end(), value, precision, kind))
    return out
