"""Word lists and patterns shared by the extraction stages, each defined once and named.

A pattern is a template whose ``{list}`` placeholders expand to the alternatives of a word list. Every list item is
a rule of its own: ``bench/ablation.py`` switches items off one at a time (``without``) to measure what each
changes, so the stages read lists and patterns through ``words()`` and ``rx()`` on every use (both are cached).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

LISTS: dict[str, tuple[str, ...]] = {
    # Verbs that attribute words to a speaker.
    "say": ("said", "says", "told", "tells", "added", "adds", "stressed", "noted", "declared", "insisted", "explained",
            "recalled", "wrote", "writes", "tweeted", "posted", "warned", "urged", "announced", "remarked", "stated",
            "emphasised", "emphasized", "underlined", "continued", "concluded", "replied", "answered", "acknowledged",
            "argued", "asked", "affirmed", "pointed out", "went on", "read", "reads", "shot back", "countered"),
    # Verbs that, after a name, show the name is a person's.
    "person_verb": ("said", "says", "told", "added", "noted", "stressed", "urged", "warned", "announced", "met",
                    "meets", "spoke", "visited", "arrived", "tweeted", "wrote", "declared", "insisted", "explained",
                    "welcomed", "thanked", "asked"),
    # Words before a name that make it an object, not the subject of what follows.
    "object_prep": ("of", "with", "by", "to", "for", "from", "at", "about", "on", "against", "between", "than", "as",
                    "and"),
    # Plural references to the parties of the news: "the two leaders", "both sides".
    "plural_ref": (r"the\s+two\s+(?:leaders|presidents|prime\s+ministers|premiers|heads\s+of\s+(?:state|government)|"
                   r"sides|"
                   r"countries|nations|governments|ministers|foreign\s+ministers|delegations|neighbours|neighbors|"
                   r"allies|men)",
                   r"both\s+(?:sides|leaders|countries|governments)",
                   r"the\s+(?:leaders|prime\s+ministers|presidents|ministers)", r"each\s+other"),
    # Modal and future auxiliaries: what follows has not happened.
    "modal": ("will", "would", "shall", "could", "might", "may", "must", "should", "'ll", "’ll"),
    # Verbs and adjectives that govern a plan: "agreed to visit", "is due to meet", "invited him to visit".
    "plan": ("agree", "agrees", "agreed", "plan", "plans", "planned", "planning", "intend", "intends", "intended",
             "hope", "hopes", "hoped", "expect", "expects", "expected", "want", "wants", "wanted", "aim", "aims",
             "seek", "seeks", "pledge", "pledged", "promise", "promised", "vow", "vowed", "commit", "committed",
             "prepare", "prepares", "prepared", "propose", "proposes", "proposed", "invite", "invites", "invited",
             "invitation", "urge", "urged", "offer", "offered", "offers", "due", "scheduled", "set", "slated",
             "going", "ready", "readiness", "willing", "eager", "keen", "wish", "wishes", "calls", "asked",
             "asks", "pressed", "pressing", "pushed", "pushing", "encouraged", "encouraging", "asking", "urging",
             "wanting"),
    # Present-tense forms of verbs of travel and diplomacy: in a report, "X flies to Y", "X hosts a summit" is a
    # schedule, not news.
    "present": ("meets", "hosts", "signs", "holds", "flies", "travels", "arrives", "lands", "heads", "leaves",
                "returns", "receives", "welcomes", "opens", "begins", "starts", "attends", "joins", "goes", "comes",
                "pays", "makes", "tours", "visits", "hosts", "convenes", "chairs"),
    # Words before a nominal trigger that make it a plan: "ahead of the summit", "a proposed visit".
    "plan_noun": ("ahead of", "upcoming", "forthcoming", "next", "future", "planned", "proposed", "possible",
                  "potential", "would-be", "expected", "scheduled", "invitation to", "preparations for",
                  "prepare for", "preparing for", "plans for", "called for", "calls for", "call for",
                  # what a programme or a document provides for has not happened yet
                  "programme of", "program of", "schedule of", "calendar of", "timetable of", "timetable for",
                  "provides for", "provide for", "envisages", "envisage", "foresees", "foresee"),
    # Verbs whose infinitive reports a decision taken, not a plan: "decided to recall".
    "decide": ("decided", "decides", "voted", "votes", "ordered", "orders", "moved", "resolved"),
    # Negation before a trigger in its clause.
    "negation": ("not", "n't", "never", "no", "without", "neither", "nor", "refused", "refuses", "declined",
                 "declines", "failed", "fails", "cancelled", "canceled", "cancels", "postponed", "called off",
                 "ruled out", "denied", "denies", "rejected"),
    # Words that set what follows in the past, before the news.
    "past": (r"last\s+(?:week|month|year|summer|spring|autumn|winter|time|monday|tuesday|wednesday|thursday|friday|"
             r"saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|"
             r"december)", r"previous(?:ly)?", r"(?:days|weeks|months|years|decades)\s+(?:earlier|before)",
             r"had\s+(?:[\w’'-]+\s+){0,5}?(?:a|an|one)\s+(?:day|week|month|year)\s+(?:earlier|before)", r"ago",
             r"earlier\s+this\s+(?:year|month)", r"in\s+the\s+past", r"had\s+(?:already|previously|earlier|once)",
             r"since\s+then", r"(?:has|have)\s+(?:twice|already|repeatedly|previously|several\s+times|often)"),
    # Verbs whose object is what was talked about: "discussed the stalled talks".
    "discuss": ("discussed", "discussing", "discuss", "discusses", "reviewed", "reviewing", "review", "reviews",
                "talked about", "spoke about", "touched on", "addressed", "assessed", "evaluated"),
    # Verbs of travel whose 'from' names where the traveller comes from: "flew in from the summit".
    "travel_from": ("flew", "flown", "flies", "fly", "flying", "came", "comes", "coming", "arrived", "arrives",
                    "arriving", "returned", "returns", "returning", "back", "travelled", "traveled", "travelling",
                    "traveling", "headed", "heading", "fresh", "straight", "continued", "continuing", "went", "goes"),
    # Where the subject matter of a trigger's clause begins: "talks on Ukraine", "a call about Gaza".
    "topic_prep": ("on", "about", "over", "regarding", "concerning", "discussing", "to discuss", "amid", "following",
                   "in response to", "in retaliation for", "because of", "due to", "for its role", "ahead of",
                   "against the backdrop", "focused on", "covering", "dealt with", "dealing with", "including"),
    # Nouns an adjective of nationality or a possessive state makes an actor: "the Iranian president".
    "actor_noun": ("president", "prime", "premier", "minister", "ministers", "chancellor", "king", "queen", "emir",
                   "sultan", "prince", "leader", "leaders", "government", "governments", "side", "sides",
                   "delegation", "delegations", "counterpart", "counterparts", "envoy", "envoys", "ambassador",
                   "ambassadors", "diplomat", "diplomats", "embassy", "ministry", "foreign", "defence", "defense",
                   "officials", "official", "authorities", "secretary", "head", "chief", "spokesman", "spokeswoman",
                   "spokesperson", "state", "administration", "cabinet", "parliament", "charge", "deputy", "vice",
                   "crown", "monarch", "presidency", "foreign-minister", "team", "negotiators", "representative",
                   "representatives", "mission", "consul", "council", "host", "hosts", "guest", "guests", "navy",
                   "counterpart's", "coast", "military", "army", "troops", "forces", "regime", "junta", "people"),
    # Groups as the subject of a trigger: "EU foreign ministers met".
    "collective": (r"leaders", r"heads\s+of\s+(?:state|government)(?:\s+and\s+government)?", r"presidents",
                   r"prime\s+ministers", r"(?:foreign|defence|defense|finance|trade)\s+ministers", r"ministers",
                   r"delegations", r"member\s+states", r"governments", r"allies", r"partners",
                   r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,3}"
                   r"(?:countries|nations|states|sides|republics|members|neighbours|neighbors)"),
    # Who else took part: "attended", "was represented by".
    "attendance": (r"attended", r"took\s+part", r"participated", r"were\s+(?:also\s+)?present", r"around\s+the\s+table",
                   r"joined", r"presided\s+over", r"chaired", r"(?:was|were)\s+represented\s+by", r"in\s+attendance",
                   r"among\s+the\s+(?:guests|participants|leaders)", r"among\s+those", r"at\s+the\s+table",
                   r"sent\s+(?:(?:their|its|his|her|a)\s+)?"
                   r"(?:[\w-]+\s+){0,2}(?:ministers?|delegations?|envoys?|representatives?|officials?)"),
    # Media words: an organization so named reports the news, it does not take part in it.
    "media": ("agency", "news", "press", "television", "tv", "radio", "broadcaster", "broadcasting", "newspaper",
              "daily", "times", "post", "tribune", "herald", "gazette", "wire", "channel", "media"),
    # Verbs that take an event noun as their object, so that their subject takes part: "held a summit".
    "light_verb": ("held", "hold", "holds", "holding", "had", "has", "have", "paid", "pay", "pays", "paying", "made",
                   "make", "makes", "making", "began", "begin", "begins", "started", "start", "starts", "ended",
                   "end", "ends", "concluded", "wrapped", "attended", "attend", "attends", "joined", "hosted",
                   "hosts", "host", "opened", "opens", "closed", "on", "during", "for", "convened", "chaired",
                   "undertook", "undertakes", "completed", "continued", "opening", "closing", "chairing", "hosting",
                   "attending", "joining", "concluding", "ending", "beginning", "starting", "adopted", "issued",
                   "released", "adopting", "issuing"),
}

TEMPLATES: dict[str, str] = {
    "attribution": r"\s+(?:(?:[A-Z][\w.’'-]*|of|the|and)\s+){{0,8}}?(?:{say})\b|\s+(?:he|she|they)\s+(?:{say})\b",
    "saying": r"\b(?:{say}|called|calls|described|describes|calling|describing|saying|termed|dubbed|hailed)\b",
    "person_after": r"\s*(?:,\s*(?:who|whose)\b|\s+(?:{person_verb})\b|,\s+(?:{person_verb})\b)",
    "object_before": r"\b(?:{object_prep})\s+(?:[\w’'-]+\s+){{0,3}}$",
    "plural_ref": r"(?<!\w)(?:{plural_ref})\b",
    "collective": r"\b(?:{collective})\b",
    "attendance": r"\b(?:{attendance})\b",
    "past": r"\b(?:{past})\b",
    # A noun trigger as the object of a verb of discussion, with no preposition or clause break between.
    "discussed": r"\b(?:{discuss})\s+(?:(?!(?:during|at|in|on|before|after|ahead|with|by|when|while|as)\b)"
                 r"[\w’'-]+\s+){{0,5}}$",
    # A noun trigger as the place a traveller comes from, right before it: "returning from a visit to".
    "origin": r"\b(?:{travel_from})\s+(?:(?:in|back|on|home|directly|here|there)\s+)?from\s+"
              r"(?:[\w’'-]+\s+){{0,6}}$",
    "topic_prep": r"\b(?:{topic_prep})\b",
    # After a closing quotation mark: '," X said', '," X, an adviser to ..., wrote'; or '," said X'.
    "quote_after_name": r"^\s*[,—–-]?\s*(?P<who>[^,.;:“”\"]{{1,80}}?)(?:\s*,[^.;“”\"]{{1,140}},)?"
                        r"\s+(?:{say})\b",
    "quote_after_verb": r"^\s*[,—–-]?\s*(?:{say})\s+(?P<who>[^,.;:“”\"]{{1,80}})",
}

# The start of a line that is an item of a list: "- ", "* ", "2. ".
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•–]|\d{1,2}[.)])[ \t]+", re.MULTILINE)

_OFF: set[tuple[str, int | None]] = set()
NEVER = "(?!x)x"            # a pattern that matches nothing: what a switched-off list or template becomes


@contextmanager
def without(name: str, index: int | None = None) -> Iterator[None]:
    """Leave out item ``index`` of list ``name``, or the whole list or template ``name``, inside the block (for the
    ablation and the tests); what was off before stays off."""
    added = (name, index) not in _OFF
    _OFF.add((name, index))
    _clear()
    try:
        yield
    finally:
        if added:
            _OFF.discard((name, index))
            _clear()


def _clear() -> None:
    words.cache_clear()
    rx.cache_clear()
    alternation.cache_clear()


def _items(name: str) -> list[str]:
    if (name, None) in _OFF:
        return []
    return [w for i, w in enumerate(LISTS[name]) if (name, i) not in _OFF]


@cache
def words(name: str) -> frozenset[str]:
    return frozenset(_items(name))


@cache
def alternation(name: str) -> str:
    items = [w if "\\" in w or "(" in w else re.escape(w).replace(r"\ ", r"\s+") for w in _items(name)]
    return "|".join(sorted(items, key=len, reverse=True)) or NEVER


@cache
def rx(name: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    template = NEVER if (name, None) in _OFF else TEMPLATES[name]
    needed = {k: alternation(k) for k in re.findall(r"(?<!\{)\{(\w+)\}(?!\})", template)}
    return re.compile(template.format(**needed), flags)
