"""Small text helpers shared by stages, extractors and evaluation."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Romanian s/t with cedilla (legacy encodings, old keyboards) are the same
# letters as those with comma below; write the correct ones everywhere.
_CEDILLA_TO_COMMA = str.maketrans({"ş": "ș", "Ş": "Ș", "ţ": "ț", "Ţ": "Ț"})

# Zero-width and other invisible format characters that break words apart.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_REPLACEMENTS = {**_CEDILLA_TO_COMMA, **_INVISIBLE, **dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " ")}
_TO_REPLACE = re.compile("[" + "".join(map(chr, _REPLACEMENTS)) + "]")

# Bulgarian official transliteration (Transliteration Act 2009).
_BG_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y",
    "ю": "yu", "я": "ya",
}


def normalise_unicode(text: str) -> str:
    """NFC, correct Romanian letters, no invisible characters, plain spaces."""
    text = unicodedata.normalize("NFC", text)
    if _TO_REPLACE.search(text):  # translate() is slow on long text: only when needed
        text = text.translate(_REPLACEMENTS)
    return text


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics, for comparing names: `Constanței` -> `constantei`."""
    return " ".join(_without_marks(text).casefold().split())


def fold_many(texts: list[str]) -> list[str]:
    """`fold` of many one-line strings in one pass (loading a gazetteer folds thousands)."""
    folded = _without_marks("\n".join(texts)).casefold()
    return [" ".join(line.split()) for line in folded.split("\n")]


def _without_marks(text: str) -> str:
    # NFKD splits Cyrillic й into и + breve: shield it, it is a letter of its own, not и with an accent.
    shielded = text.translate(_CEDILLA_TO_COMMA).replace("й", "\ue000").replace("Й", "\ue001")
    decomposed = unicodedata.normalize("NFKD", shielded)
    marks = [c for c in set(decomposed) if unicodedata.combining(c)]
    if marks:
        decomposed = decomposed.translate(dict.fromkeys(map(ord, marks)))
    return decomposed.replace("\ue000", "й").replace("\ue001", "Й")


def transliterate_bg(text: str) -> str:
    """Latin spelling of Bulgarian Cyrillic by the official 2009 system (Банско -> Bansko)."""
    out = []
    lowered = text.lower()
    for i, ch in enumerate(text):
        low = lowered[i]
        # "-ия" at the end of a word is written "-ia" (София -> Sofia).
        if low == "я" and i > 0 and lowered[i - 1] == "и" and (i + 1 == len(text) or not text[i + 1].isalpha()):
            latin = "a"
        else:
            latin = _BG_LATIN.get(low)
        if latin is None:
            out.append(ch)
        elif ch.isupper():
            nxt_upper = i + 1 < len(text) and text[i + 1].isupper()
            out.append(latin.upper() if nxt_upper else latin.capitalize())
        else:
            out.append(latin)
    return "".join(out)


def to_latin(text: str, lang: str) -> str:
    return transliterate_bg(text) if lang == "bg" or _is_cyrillic(text) else text


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)
