"""Text as the checks read it: NFKC (full-width letters, digits and punctuation → half-width, compatibility
ideographs → the usual ones) and traditional → simplified (OpenCC's t2s), with a map from each character of the
result back to the original text, so that a hit is shown where it was written.

    normalise(text)        -> Normalised: .text, .original_span(start, end)
    normalised_word(word)  -> the form a 词条 is matched in (the same two steps)

Fast paths, since every article is read on each check: characters NFKC changes one for one are translated in one
`str.translate` (offsets unchanged); only a text holding one that NFKC expands (①, ㈠, ㍿) or that is dropped
(zero-width spaces pasted from Word/WPS, soft hyphens) is walked character by character. OpenCC (pure Python) runs
only on a text holding a traditional character; its conversion keeps the length (every entry of its dictionaries
does), and should a future dictionary not, the text falls back to character-by-character conversion.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Invisible characters that split a word without showing: zero-width space/joiners, word joiner, BOM, soft hyphen.
DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
LAST_CODE_POINT = 0x2FFFF  # past the CJK supplements NFKC changes nothing a Chinese text holds


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: list | None = None  # origin[i]: where character i of `text` was in the original; None: the same place
    original_length: int = 0

    def original_span(self, start, end):
        """The original text's (start, end) for the normalised text's [start, end)."""
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return self.original_length, self.original_length
        return self.origin[start], (self.origin[end - 1] + 1 if end > start else self.origin[start])


@cache
def _nfkc_tables():
    """({code point: its one-character NFKC form}, the characters NFKC expands or that are dropped)."""
    one_to_one, special = {}, set(DROPPED)
    for point in range(LAST_CODE_POINT + 1):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        form = unicodedata.normalize("NFKC", char)
        if form == char:
            continue
        if len(form) == 1:
            one_to_one[point] = form
        else:
            special.add(char)
    return one_to_one, frozenset(special)


@cache
def _t2s():
    """OpenCC's t2s converter; its character table (first choice of each traditional character, for the fallback);
    and the characters that tell a text is traditional: those OpenCC changes and that simplified Chinese never uses
    (not 乾 of 乾隆, 於 of the surname, 覆 of 覆盖, which it keeps in some words), so simplified texts skip it."""
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"

    def entries(name):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            yield key, values.split(" ")

    characters = dict(entries("TSCharacters.txt"))
    simplified = {key for key, _values in entries("STCharacters.txt")}
    table = {ord(key): values[0] for key, values in characters.items() if values[0] != key and len(values[0]) == 1}
    telling = frozenset(
        key for key, values in characters.items() if values[0] != key and key not in values and key not in simplified
    )
    return opencc.OpenCC("t2s"), table, telling


def _simplified(text):
    converter, table, traditional = _t2s()
    if traditional.isdisjoint(text):
        return text
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    return text.translate(table)  # one character for one: the offsets stay right


def normalise(text):
    text = text or ""
    one_to_one, special = _nfkc_tables()
    if special.isdisjoint(text):
        return Normalised(_simplified(text.translate(one_to_one)), None, len(text))
    parts, origin = [], []
    for index, char in enumerate(text):
        if char in DROPPED:
            continue
        form = unicodedata.normalize("NFKC", char)
        parts.append(form)
        origin.extend([index] * len(form))
    return Normalised(_simplified("".join(parts)), origin, len(text))


def normalised_word(word):
    return normalise((word or "").strip()).text
