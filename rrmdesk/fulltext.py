"""What the full-text index is asked and how a hit is shown: the query and the snippet.

The index keeps no copy of the text it indexes (a contentless FTS5 table, migration 6): the
records already hold it, and a second copy cost a fifth of every write. So snippets are cut
here, from the few records a search returns, tokenised the way the index tokenises them
(``unicode61 remove_diacritics 2``: runs of letters and digits make words;
case and accents do not count).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from .errors import UsageError

__all__ = ["fts_query", "snippet", "SNIPPET_WORDS"]

#: How many words a snippet shows around the best match (FTS5's own ``snippet()`` default).
SNIPPET_WORDS = 12
_QUERY_WORD = re.compile(r"[\w][\w'.@-]*\*?", flags=re.UNICODE)


def fts_query(text: str) -> str:
    """Turn what an analyst types into a safe FTS5 query: every word must appear.

    Words are quoted so FTS5 operators in pasted text (``-``, ``:``, ``"``) cannot break the
    query; a trailing ``*`` keeps prefix search for search-as-you-type.
    """
    terms = [f'"{core}"' + ("*" if star else "") for core, star in _query_words(text)]
    if not terms:
        raise UsageError("the search has no words in it", "type one or more words to look for")
    return " ".join(terms)


def _query_words(text: str) -> list[tuple[str, bool]]:
    words = []
    for word in _QUERY_WORD.findall(text):
        core = word.rstrip("*").replace('"', "")
        if core:
            words.append((core, word.endswith("*")))
    return words


#: A word as unicode61 reads one: a run of letters and digits (``\w`` less the underscore).
_WORD = re.compile(r"[^\W_]+")
_NOT_WORD = r"[\W_]+"
_SPACES = re.compile(r"\s+")


@functools.cache
def _fold_char(char: str) -> str:
    """The character without case or accent, or itself where folding would change the length
    (``İ``): snippets map matches in the folded text back to the same offsets in the original."""
    base = "".join(part for part in unicodedata.normalize("NFD", char.lower()) if not unicodedata.combining(part))
    return base if len(base) == 1 else char


def _folded(text: str) -> str:
    return text.lower() if text.isascii() else "".join(map(_fold_char, text))


@functools.lru_cache(maxsize=64)
def _pattern(query: str) -> re.Pattern[str] | None:
    """One regular expression finding every query word, each as a group ``t<n>``.

    ``lemonde.fr*`` is the phrase ``lemonde fr*``, as the index reads it.
    """
    alternatives = []
    for number, (core, star) in enumerate(_query_words(query)):
        words = _WORD.findall(_folded(core))
        if words:
            phrase = _NOT_WORD.join(map(re.escape, words))
            end = r"[^\W_]*" if star else r"(?![^\W_])"
            alternatives.append(rf"(?<![^\W_])(?P<t{number}>{phrase}){end}")
    return re.compile("|".join(alternatives)) if alternatives else None


def _matches(text: str, starts: list[int], query: str) -> dict[int, tuple[str, int]]:
    """Word position -> (which query word, where its match starts), for every matched word."""
    pattern = _pattern(query)
    found: dict[int, tuple[str, int]] = {}
    if pattern is None:
        return found
    for match in pattern.finditer(_folded(text)):
        first = bisect.bisect_left(starts, match.start())
        for position in range(first, bisect.bisect_left(starts, match.end())):
            found[position] = (match.lastgroup or "", first)
    return found


def _window(found: dict[int, tuple[str, int]], count: int, width: int) -> int:
    """Where the ``width``-word window showing the most different terms starts."""
    best_start, best_score = 0, (-1, -1)
    for position in sorted(found):
        start = max(0, min(position - 2, count - width))
        inside = [term for at, (term, _) in found.items() if start <= at < start + width]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    return best_start


def snippet(texts: Sequence[str], query: str, width: int = SNIPPET_WORDS) -> str:
    """The best ``width`` words of ``texts`` for ``query``, matches in brackets, cuts marked ``…``.

    The text with the most different query words wins (the later one on a tie: the body says
    more than the title the hit is already listed under).
    """
    best: tuple[tuple[int, int], str, list[tuple[int, int]], dict[int, tuple[str, int]]] | None = None
    for text in texts:
        spans = [match.span() for match in _WORD.finditer(text)]
        found = _matches(text, [first for first, _ in spans], query)
        score = (len({term for term, _ in found.values()}), len(found))
        if best is None or score >= best[0]:
            best = (score, text, spans, found)
    if best is None or not best[2]:
        return ""
    _, text, spans, found = best
    start = _window(found, len(spans), width) if found else 0
    shown = spans[start : start + width]
    parts, cursor, open_match = ["…" if start else ""], shown[0][0], None
    for offset, (first, last) in enumerate(shown, start):
        match = found.get(offset)
        if open_match is not None and match != open_match:
            parts.append("]")  # a phrase match ("lemonde.fr") is bracketed whole
        parts.append(_SPACES.sub(" ", text[cursor:first]))  # one line, whatever the text's line breaks
        if match is not None and match != open_match:
            parts.append("[")
        parts.append(text[first:last])
        open_match, cursor = match, last
    if open_match is not None:
        parts.append("]")
    if start + width < len(spans):
        parts.append("…")
    return "".join(parts)
