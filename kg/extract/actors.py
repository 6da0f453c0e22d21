"""Which mentions name actors: a person, a state or an international or national public body, as opposed to a
state named as the owner of something else ("Russia's invasion"), a nationality that describes no actor ("Palestinian
independence"), a news organization, or the place a report was filed from."""
from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract import patterns
from kg.extract.doc import Doc, Mention
from kg.extract.text import Sentence, Token

_FORMER = re.compile(r"\b(?:former|ex)[\s-]+$", re.IGNORECASE)


def token_index(s: Sentence, offset: int) -> int:
    """The index of the first token of ``s`` that begins at or after ``offset``."""
    return bisect_left(s.begins, offset)


def is_actor(doc: Doc, m: Mention, s: Sentence) -> bool:
    """Whether a mention names an actor rather than describing something else."""
    key = ("actor", m.start, m.kind)
    hit = doc.memo.get(key)
    if hit is None:
        hit = doc.memo[key] = _is_actor(doc, m, s)
    return bool(hit)


def _is_actor(doc: Doc, m: Mention, s: Sentence) -> bool:
    text = doc.text
    if dateline(doc, m):
        return False
    if m.kind == "org":
        org = doc.mentions.orgs.get(m.ref)
        if org is None or org.kind != "international" and org.country is None:
            return False
        return not any(w in patterns.words("media") for w in org.name.casefold().split())
    if m.kind not in ("person", "country"):
        return False
    if m.kind == "person":
        return True
    after = s.tokens[token_index(s, m.stop):][:3]
    if text.startswith(("’s", "'s"), m.stop):
        # "Russia's invasion" names no actor; "Turkey's ambassador", "Abiy's visit" do.
        nxt = after[1:2]
        return bool(nxt) and (nxt[0].key in patterns.words("actor_noun") or _starts_person(doc, m.sentence, nxt[0]))
    if m.form in ("demonym", "demonyms"):
        # "the Iranian president", "Turkish officials" name actors; "Palestinian independence" does not; nor does
        # "the former Ruritanian premier": one who no longer holds the office does not act for the state.
        if _FORMER.search(text, max(0, m.start - 12), m.start):
            return False
        return any(tok.key in patterns.words("actor_noun") or _starts_person(doc, m.sentence, tok)
                   for tok in after[:2]) or m.form == "demonyms"
    return True


DATELINE_END = re.compile(r"\s*(?:[,(]|[–—-]\s|:\s)")


def dateline(doc: Doc, m: Mention) -> bool:
    """A place written in capitals at the head of a paragraph ('LIMA – ', 'HANOI: ', 'TURKU, Finland,') is
    where the report was filed from, whether or not the reader split it off."""
    s = doc.sentences[m.sentence]
    para = doc.article.paragraphs[s.paragraph] if 0 <= s.paragraph < len(doc.article.paragraphs) else None
    if para is None or m.start - para.begin > 40:
        return False
    head = doc.text[para.begin:m.stop]
    first = re.match(r"\s*([A-Z][A-Z .'-]+[A-Z])", head)
    return first is not None and (first.end() >= m.stop - para.begin or m.start - para.begin <= first.end() + 2) \
        and DATELINE_END.match(doc.text, para.begin + first.end()) is not None


def _starts_person(doc: Doc, i: int, tok: Token) -> bool:
    return any(p.start == tok.begin for p in doc.mentions.in_sentence(i, "person"))
