"""The 词库 as one Aho–Corasick automaton (pyahocorasick): every active 词条 found in one pass over a text, whatever
the number of 词条, with no regular expression per word.

    term_matcher()        -> the Matcher of the 词库 as it is now: built once per 词库 version in each process
    Matcher.find(text)    -> [TermHit] in the normalised text (normalize.py), by position

The version (models.TermListVersion) is read on each call (one small query) and moves on with every change of a
词条, so each process sees a change at its next check and no process holds a stale list. Where two 词条 overlap, the
longer one is reported and the shorter one inside it is not (截止到目前, not also 截止到).
"""

import threading
from dataclasses import dataclass

import ahocorasick

from union_site.checks.normalize import normalised_word


@dataclass(frozen=True)
class Entry:
    word: str
    suggestion: str
    level: str
    note: str
    length: int  # of the normalised word


@dataclass(frozen=True)
class TermHit:
    start: int  # in the normalised text
    end: int
    entry: Entry


class Matcher:
    def __init__(self, terms):
        """`terms`: dicts of word, suggestion, level, note. A word whose normalised form is already in keeps the
        first one (Term.clean refuses such twins)."""
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        self.size = 0
        for term in terms:
            key = normalised_word(term["word"])
            if not key or key in self.automaton:
                continue
            entry = Entry(term["word"], term["suggestion"], term["level"], term["note"], len(key))
            self.automaton.add_word(key, entry)
            self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def find(self, text):
        if not self.size or not text:
            return []
        hits = sorted(
            (TermHit(end - entry.length + 1, end + 1, entry) for end, entry in self.automaton.iter(text)),
            key=lambda hit: (hit.start, -hit.end),
        )
        kept, reach = [], 0  # every kept hit starts at or before this one: it is inside one iff it ends by `reach`
        for hit in hits:
            if hit.end > reach:
                kept.append(hit)
                reach = hit.end
        return kept


_lock = threading.Lock()
_built = (None, None)  # (the 词库 version it was built from, Matcher)


def term_matcher():
    from union_site.checks.models import Term, term_list_version

    global _built
    version = term_list_version()  # read before the terms: a change in between is only seen at the next call
    held, matcher = _built
    if held == version:
        return matcher
    with _lock:
        if _built[0] != version:
            terms = Term.objects.filter(is_active=True).order_by("id").values("word", "suggestion", "level", "note")
            _built = (version, Matcher(terms))
        return _built[1]
