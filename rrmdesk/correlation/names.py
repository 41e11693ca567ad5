"""Actor names compared the way an analyst reads them, not byte for byte.

The same outlet turns up as ``Pravda.ru``, ``Pravda Ru`` and ``Правда.ру``; the same agency as
``Internet Research Agency`` and ``Agency, Internet Research``. ``fold`` removes what does not
change the name (case, accents, script, spacing, punctuation); ``NameMatch`` says how close two
names are, with a score, and whether the match was exact (identical once case-folded) or fuzzy.
Fuzzy matches are shown apart from exact ones: they are leads, not facts.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

#: Cyrillic to Latin, close to the BGN/PCGN and passport spellings Western reports use.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}
#: Latin spellings of one Cyrillic sound that reports use interchangeably (Tsargrad/Zargrad).
_SPELLINGS = (("kh", "h"), ("ks", "x"), ("yu", "iu"), ("ya", "ia"), ("j", "y"), ("w", "v"), ("ts", "z"))
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: scores of each kind of match (1.0 is exact)
FOLDED = 0.95
REORDERED = 0.9
#: the least SequenceMatcher ratio between folded names still shown as a fuzzy match
SIMILAR = 0.86


_CYRILLIC_YE = re.compile(r"(?:(?<=\W)|(?<=^)|(?<=[аеёиоуыэюяьъ]))е")
_CYRILLIC_ENDING = re.compile(r"[иы]й(?=\W|$)")


def _latin(text: str) -> str:
    text = _CYRILLIC_ENDING.sub("y", _CYRILLIC_YE.sub("ye", text.casefold()))  # Евгений -> Yevgeny
    text = "".join(_CYRILLIC.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=200_000)
def words(name: str) -> tuple[str, ...]:
    """The words of a name in Latin letters, lower case, without punctuation."""
    text = _latin(name)
    for variant, plain in _SPELLINGS:
        text = text.replace(variant, plain)
    return tuple(_WORD.findall(text))


def fold(name: str) -> str:
    """One key per spelling: ``Pravda.ru``, ``pravda ru`` and ``Правда.ру`` give ``pravdaru``."""
    return "".join(words(name))


def reordered(name: str) -> str:
    """A key that ignores word order too (``Agency, Internet Research``)."""
    return " ".join(sorted(words(name)))


def exact(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float
    how: str  # exact, folded, reordered, similar

    @property
    def fuzzy(self) -> bool:
        return self.how != "exact"


def compare(a: str, b: str) -> NameMatch | None:
    """How closely two actor names (or aliases) match, or None when they do not."""
    if exact(a) == exact(b):
        return NameMatch(1.0, "exact")
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return None
    if fa == fb:
        return NameMatch(FOLDED, "folded")
    if reordered(a) == reordered(b):
        return NameMatch(REORDERED, "reordered")
    if fa[:3] != fb[:3] or min(len(fa), len(fb)) < 5:
        return None  # short names are too often alike by chance
    ratio = difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio()
    if ratio >= SIMILAR:
        return NameMatch(round(ratio * REORDERED, 3), "similar")
    return None


def blocks(name: str) -> tuple[str, ...]:
    """Names that can match share one of these keys (the first or the last four letters of the
    folded name), so a name is compared with a few candidates, not every actor in the workspace.
    A typo in the middle keeps both keys, at either end one of them."""
    folded = fold(name)
    return (f"^{folded[:4]}", f"{folded[-4:]}$") if folded else ()
