"""Bytes to text without mojibake: BOMs, UTF-8, UTF-16 and the legacy code pages.

Legacy code pages cannot be told apart by validity (almost any byte string
decodes as windows-1251), so each candidate is decoded and the one whose
non-ASCII characters are most plausible for its language wins.
"""
from __future__ import annotations

import codecs
import re

# (code page, letters a text in that code page's language is made of)
_RO = "ăâîșțşţĂÂÎȘȚŞŢ"
_PT = "áàâãçéêíóôõúüÁÀÂÃÇÉÊÍÓÔÕÚÜ"
_BG = "".join(chr(c) for c in range(0x0410, 0x0450)) + "ѝЍ"
_LEGACY_CANDIDATES = (
    ("cp1251", _BG),
    ("cp1250", _RO),
    ("iso-8859-16", _RO),
    ("iso-8859-2", _RO),
    ("cp1252", _PT),
)
# Punctuation and symbols press text uses; anything else non-ASCII counts against.
_NEUTRAL = set("„”“‟«»‹›–—…’‘‚•·°€№§©®™×")

_BINARY_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
# Stray control characters occur in scraped text; this many, densely, mean binary data.
MIN_CONTROLS_OF_BINARY = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we read; `kind` is the errors-table class."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for `data`, or DecodeError(`binary` | `not_utf8`)."""
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise DecodeError("binary", f"binary file: {what}, not text")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), encoding), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _checked(data.decode(utf16, errors="replace"), utf16), utf16
    try:
        return _checked(data.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise DecodeError("binary", "binary file: contains NUL bytes and is not UTF-16")
    best = max(_LEGACY_CANDIDATES, key=lambda cand: _plausibility(data, *cand))
    encoding = best[0]
    if _plausibility(data, *best) < 0:
        raise DecodeError("not_utf8", "not UTF-8, and no pt/ro/bg legacy code page reads it as text")
    return _checked(data.decode(encoding, errors="replace"), encoding), encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le/-be when every other byte is NUL, as in mostly-ASCII or Cyrillic UTF-16."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    # Cyrillic UTF-16: the high byte is 0x04 for most characters.
    if sample[1::2].count(4) / len(sample[1::2]) > 0.3 and sample[0::2].count(4) / len(sample[0::2]) < 0.05:
        return "utf-16-le"
    if sample[0::2].count(4) / len(sample[0::2]) > 0.3 and sample[1::2].count(4) / len(sample[1::2]) < 0.05:
        return "utf-16-be"
    return None


def _plausibility(data: bytes, encoding: str, letters: str) -> float:
    """+1 per non-ASCII character that belongs to the code page's language, -1 per other one.

    A Cyrillic letter inside a Latin word (`Educaзгo`: Portuguese read as
    windows-1251) counts against too.
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return float("-inf")
    score = 0.0
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        if ch in letters:
            mixed = "\u0400" <= ch <= "\u04ff" and (
                (i > 0 and text[i - 1].isascii() and text[i - 1].isalpha())
                or (i < last and text[i + 1].isascii() and text[i + 1].isalpha()))
            score += -1 if mixed else 1
        elif ch not in _NEUTRAL:
            score -= 1
    return score


def _checked(text: str, encoding: str) -> str:
    """Text that is mostly control characters is a binary file that happened to decode."""
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if controls >= MIN_CONTROLS_OF_BINARY and controls > 0.03 * len(sample):
        raise DecodeError("binary", f"binary data: too many control characters to be {encoding} text")
    return text
