"""Clean: drop site clutter, find the headline, normalise the text.

The cleaned text is the headline, a blank line, then the article's
paragraphs; every offset in the output refers to it. Lines before the
headline are page furniture (menus, clocks, site names) and are dropped.
Below it, lists of links to other articles, tag lines, cookie banners and
copyright or contact footers go too; their words are data in `models/<lang>/`
(`clutter.txt`, `related_labels.txt`, `notice_markers.txt`, `contact_labels.txt`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.article import Article
from pipeline.resources import LANGUAGES, read_list
from pipeline.textnorm import fold, normalise_unicode

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BULLET = re.compile(r"^\s*(?:[•·▪►▶◦‣*-]\s+)?")
_VIEW_COUNTER = re.compile(r"^\d{1,7}$")
_ONLY_SYMBOLS = re.compile(r"^[\W_]+$")
_LINK_MARKS = re.compile(r"^[\s•·▪►▶◦‣*>»—–-]+")
# `Leia também:`, `CITEȘTE ȘI`, `Свързани статии` (the label is looked up folded, without the colon).
_LABEL_LINE = re.compile(r"^(?P<label>[^:]{2,40}?)\s*(?::\s*(?P<rest>.*))?$")
_LONE_CODE = re.compile(r"^[a-z]{1,3}$")           # "ro", "pt": a language switch
_ATTACHMENT = re.compile(r"\.(pdf|docx?|pptx?|xlsx?|odt|ods|odp|zip|rar|7z|jpe?g|png)\s*(\(\d.*\))?$", re.I)
# A view counter after the byline's time: "27 Sep, 2023 11:55 1086".
_COUNTER_AFTER_TIME = re.compile(r"(\b\d{1,2}:\d{2})\s+\d{1,7}\s*$")
_WORD = re.compile(r"[^\W\d_]{4,}")
_LEADING_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}\b|\d{4}-\d{2}-\d{2}\b")
# A full date or a clock time marks a byline or a site header, not a headline.
_DATE_OR_CLOCK = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}:\d{2}\b")
# A navigation menu: three or more items split by bars, bullets or wide gaps.
_MENU = re.compile(r"^[^|·•]{1,40}(?:(?:\s+[|·•]\s+|\s{3,})[^|·•]{1,40}){2,}$")
# A date in words (`3 de fevereiro de 2025`, `20 februarie 2025`, `5 февруари 2025 г.`): day, month, year.
_DATE_IN_WORDS = re.compile(r"\b\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?\d{4}\b")

HEADLINE_SEARCH_LINES = 15
FOLLOWING_LINES = 40      # the text a headline candidate's words are looked for in
MAX_HEADLINE_CHARS = 400
SHORT_CLUTTER_LINE = 80
MAX_NOTICE_LINE = 300
MAX_LINK_LINE = 160       # a link to another article is a headline, not a paragraph
# A headline stands right above the page's date line; a site name stands above its menu.
DATE_BELOW_BONUS = 0.25
MENU_BELOW_PENALTY = 0.25
DATELINE_CHARS = 200      # where a byline's or an agency dateline's date stands


@lru_cache(maxsize=None)
def _folded_entries(name: str) -> frozenset[str]:
    """The entries of `models/common/<name>` and of every language's `<name>`, folded."""
    return frozenset(fold(entry) for lang in ("common", *LANGUAGES) for entry in read_list(lang, name))


def _alternation(name: str) -> str:
    """The entries of a list as one regex alternation, longest first."""
    return "|".join(map(re.escape, sorted(_folded_entries(name), key=len, reverse=True)))


@lru_cache(maxsize=None)
def _clutter_pattern() -> re.Pattern:
    """Every language's clutter phrases, each only as whole words: not followed by a letter."""
    return re.compile("(?:" + _alternation("clutter.txt") + r")(?![^\W\d_])")


@lru_cache(maxsize=None)
def _notice_pattern() -> re.Pattern:
    """Any language's site-notice markers (cookie banners, copyright lines)."""
    return re.compile(_alternation("notice_markers.txt"))


@lru_cache(maxsize=None)
def _contact_pattern() -> re.Pattern:
    """A phone label and number opening a line's part: `Tel. 266 777 000`, `тел.: 02/987 65 43`."""
    return re.compile(r"(?:^|[·|])\s*(?:" + _alternation("contact_labels.txt") + r")\.?\s*:?\s*\+?\(?\d[\d ()./-]{5,}")


@lru_cache(maxsize=None)
def _publication_label_pattern() -> re.Pattern:
    labels = {fold(label) for lang in LANGUAGES for label in read_list(lang, "publication_labels.txt")}
    return re.compile("|".join(map(re.escape, sorted(labels, key=len, reverse=True))))


def _is_publication_line(line: str) -> bool:
    """A page's own date line (`22.11.2024 | 14:35`, `Publicado em 14/03/2023`), not a site clock (time first)."""
    return bool(_LEADING_DATE.match(line) or _publication_label_pattern().match(fold(line)))


def clean(article: Article) -> Article:
    """Replace `article.text` by the cleaned text and set `article.title`."""
    text = normalise_unicode(article.text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    lines = [_strip_inline_clutter(line.strip()) for line in text.split("\n")]
    kept = [line if line and not _is_clutter(line) else "" for line in lines]

    title = normalise_unicode(article.title).strip() if article.title else None
    if title:
        body = _without_link_lists(lines, kept, 0)
    else:
        index = _headline_index(kept)
        title = _BULLET.sub("", kept[index]) if index is not None else ""
        # The page's date line above the headline is kept, moved under it where bylines stand.
        dated = [line for line in kept[:index] if line and _is_publication_line(line)] if index else []
        body = dated + _without_link_lists(lines, kept, index + 1) if index is not None else []
    title = " ".join(title.split())
    title_key = fold(title)
    paragraphs = [line for line in body if line and not _repeats_title(line, title_key)]
    article.title = title or None
    article.text = "\n\n".join(([title] if title else []) + paragraphs)
    return article


def _repeats_title(line: str, title_key: str) -> bool:
    # Length first: folding every long paragraph only to compare it would cost more than the rest of clean.
    return len(line) <= 2 * len(title_key) + 10 and fold(_BULLET.sub("", line)) == title_key


def _strip_inline_clutter(line: str) -> str:
    """Cut a short line at a clutter phrase ("… 11:55 1086 Marime text") and drop a counter after a time."""
    if len(line) < SHORT_CLUTTER_LINE:
        folded = fold(line)
        # fold() keeps length for Latin and Cyrillic text, so positions carry over.
        if len(folded) == len(line):
            for match in _clutter_pattern().finditer(folded):
                if match.start() > 0 and not folded[match.start() - 1].isalpha():
                    line = line[:match.start()].rstrip(" -|·,")
                    break
    return _COUNTER_AFTER_TIME.sub(r"\1", line) if ":" in line else line


def _without_link_lists(lines: list[str], kept: list[str], start: int) -> list[str]:
    """`kept[start:]` without links to other articles: a `Leia também` / `Citește și:` / `Свързани
    статии` heading and the short lines under it (up to a blank line), and `Tags: ...` lines.

    Only below the headline: above it, a `Últimas notícias` list would take the headline along.
    """
    body = kept[start:]
    in_list = False
    for offset, line in enumerate(lines[start:]):
        if not line or len(line) > MAX_LINK_LINE:
            in_list = False
            continue
        labelled = _LABEL_LINE.match(_LINK_MARKS.sub("", line))
        if labelled and fold(labelled["label"]) in _folded_entries("related_labels.txt"):
            in_list = not labelled["rest"]  # a heading alone opens a list; `label: text` is the link itself
            body[offset] = ""
        elif in_list:
            body[offset] = ""
    return body


def _is_clutter(line: str) -> bool:
    if _VIEW_COUNTER.match(line) or _ONLY_SYMBOLS.match(line) or _LONE_CODE.match(line):
        return True
    if len(line) < MAX_NOTICE_LINE:
        folded = fold(line)
        if _notice_pattern().search(folded) or _contact_pattern().search(folded):
            return True
    if len(line) < 200 and _ATTACHMENT.search(line):
        return True
    if len(line) < SHORT_CLUTTER_LINE:
        return _clutter_pattern().match(fold(_BULLET.sub("", line))) is not None
    return False


def _headline_index(lines: list[str]) -> int | None:
    """The line among the first ones whose words the article goes on to use most."""
    candidates = [i for i, line in enumerate(lines) if line][:HEADLINE_SEARCH_LINES]
    if not candidates:
        return None
    window = lines[:candidates[-1] + 1 + FOLLOWING_LINES]
    stems = [{w[:5] for w in _WORD.findall(fold(line))} for line in window]
    best, best_score = candidates[0], -1.0
    for rank, i in enumerate(candidates):
        words = stems[i]
        if len(lines[i]) > MAX_HEADLINE_CHARS or len(words) < 2 or _DATE_OR_CLOCK.search(lines[i]):
            continue
        later = set().union(*stems[i + 1:i + 1 + FOLLOWING_LINES])
        # +1: a two-word byline ("Governo do Estado") must not beat a headline by a lucky full overlap.
        score = len(words & later) / (len(words) + 1) - 0.03 * rank
        if score + DATE_BELOW_BONUS <= best_score:
            continue  # cannot win even with a date line under it
        below = next((line for line in lines[i + 1:] if line), "")
        if _is_dated(below):
            score += DATE_BELOW_BONUS
        elif _MENU.match(below):
            score -= MENU_BELOW_PENALTY
        if score > best_score:
            best, best_score = i, score
    return best


def _is_dated(line: str) -> bool:
    """A byline or dateline: `Publicado em 07-10-2025`, `Coimbra, 3 de fevereiro de 2025`."""
    opening = line[:DATELINE_CHARS]
    return bool(opening and (_DATE_OR_CLOCK.search(opening) or _DATE_IN_WORDS.search(opening)
                             or _is_publication_line(opening)))
