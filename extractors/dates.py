"""Dates: the publication date and the main event's dates, start time and mode.

Publication date: the metadata's, else the HTML's (htmldate, meta tags only),
else the date line under the headline (`14 Mar, 2022 10:05`, `03.11.2019`,
`20-11-2023`, `Lisboa, 10 de junho de 2022 –`) or a date labelled `Publicado em`;
a clock before a date (`19:30 28.04.2024`) and event lines (`Data: ...`) are not it.

Date expressions are found by regular expressions built from the word lists in
`models/<lang>/date_words.tsv` (months, weekdays, relative words, range, time
words) and resolved here rather than by dateparser, which misreads ranges
(`24-26 октомври` -> 2026), returns nothing for `próxima terça-feira` and
ignores weekday/day conflicts. Even as the normaliser of full textual dates only,
dateparser (1.5, languages and RELATIVE_BASE given) agreed on 43 of 45 such spans
of the corpus, dev and seed texts (None for `1º de abril de 2021`) at 0.7-2.3 ms a
call against 0.04 ms for these rules, i.e. as much as the whole pipeline's per-article
budget, so it is kept out. Matching runs on a folded copy of the text (lower case,
no diacritics, same length) so offsets stay those of the text.

Resolution follows a careful reader: a date without a year (or a month) takes
them from the publication date, towards the future when its sentence
announces the event (`será realizada`, `va avea loc`, `ще се проведе`) and
towards the past when it reports it (`a avut loc`, `се проведе`); a weekday
given with a day of the month picks the month where they agree, near the
publication (a slip in the weekday does not move a date a year away); weekdays
from ... to ... without a date (`de segunda a sexta`, `от понеделник до петък`)
are opening days, no date, and the hours after them no time. Without a
publication date the metadata's year/month, else the years the text
mentions, stand in for it (nearest to them, the earlier on a tie).

The main event's date is the one whose sentence carries the cues of
`models/<lang>/date_cues.tsv` (meeting nouns, report/announce verbs), with an
event line, the headline and the lead as tie-breakers; law dates, deadlines,
founding or birth dates, the page's own date, the next meeting, month-long
periods, dates far from the publication and a report's word on later matters lose. A
first day alone runs to a later day the text ties to the event's end (`terminam na
sexta-feira, 16`, an agenda's day headings), else as long as the text says it lasts
(`de două zile`, `двудневен`). Its time is the first clock
time in its sentence, else in a sentence naming its first day again, else in the
next sentences or a later event sentence without a date of its own; when no date
resolves, only a time in its sentence or the next ones, when they speak of an event, counts. The mode
comes from cues in the headline, the lead and the event's sentence and the next
one (in person plus online participation or a live transmission is hybrid; an
event without online cues is in person).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from itertools import chain
from typing import Iterable

from pipeline.article import Article, EventDates
from pipeline.nlp import doc_for
from pipeline.resources import LANGUAGES, read_table

WORDS_FILE = "date_words.tsv"
CUES_FILE = "date_cues.tsv"

BYLINE_LINES = 6            # non-empty lines after the headline searched for the page's date
BYLINE_SHORT_LINE = 80      # a line this short holding a full date is a date line
PROSE_LINE = 250            # a line this long is body text: the date line comes before it
DATELINE_PREFIX = 40        # `Lisboa, 10 de junho de 2022 – ...`: place before the date, at most
RESOLUTION_SLACK = timedelta(days=1)   # tolerance around the publication date for past/future
WEEKDAY_SEARCH_DAYS = 14    # how far from the publication date a bare weekday may lie
WEEKDAY_YEARS = 6           # a day and month fall on each weekday within this many years either side
WEEKDAY_NEAR_DAYS = 183     # a weekday picks among a date's readings this near the publication, not a year away
WEEKDAY_DAY_DAYS = 35       # `terça-feira (10)`: a day agreeing with its weekday this near the publication
DAY_ONLY_MONTHS = 3         # months around the anchor a bare day of the month may fall in
STALE_DAYS = 400            # a date this far from the publication date is background
LONG_SPAN_DAYS = 31         # a range this long is a project's or programme's period, not a meeting
RANGE_SCORE_GAP = 2.0       # a range this much less likely than one of its days still dates the event
EVENT_DAYS = 7              # the longest meeting whose days the text may give one by one
DURATION_BONUS = 2.0        # a range as long as the event is said to last (`durante três dias`)
UPCOMING_PENALTY = 3.0      # a later matter a report announces (`o relatório será votado a 15`)
TIME_SENTENCES = 3          # the event sentence and the next ones searched for its time
MAX_LISTED_DAYS = 8         # `14, 15 e 16 de agosto`: days one date may list
LEAD_SENTENCES = 2          # body sentences after the headline that make its lead
REGISTRATION_WINDOW = 40    # `inscrições online`: characters before an online cue
REGISTRATION_AFTER = 10     # `онлайн регистрация`: characters after its start
ANCHOR_YEARS = range(1900, 2101)   # metadata outside these is not trusted for resolving dates
DATE_WORD_KINDS = ("idiom", "relative_day", "weekday", "weekday_bare", "day_prefix")
SKIP_WINDOWS = {"law": 50, "origin": 40, "publication": 40, "deadline": 25}

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"    # folded to "-"
_SPACE_OR_DASH = r"[\s\-]+"
_LAW_NUMBER = re.compile(r"\d+\s*/\s*\d{2,4}\s*,?\s*(?:\w{1,3}\s*)?$")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_DIGIT = re.compile(r"\d")
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_LINE_TEXT = re.compile(r"\S(?:[^\n]*\S)?")     # a line without the spaces around it
_WEEKDAY_GAP = re.compile(r"[^\S\n]*(?:[,(][^\S\n]*)?")
_NUMBER = re.compile(r"\d{1,2}")


def _unaccent_table() -> dict[str, str]:
    """Lower-case letters with diacritics -> their base letter (`ș` -> `s`, `й` -> `и`)."""
    table = {}
    for code in chain(range(0xC0, 0x250), range(0x370, 0x530), range(0x1E00, 0x1F00)):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if char.lower() == char and base != char:
            table[char] = base
    table.update(dict.fromkeys(_DASHES, "-"))
    return table


_UNACCENT = _unaccent_table()
_ACCENTED = re.compile("[" + "".join(_UNACCENT) + "]")


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one, so offsets stay those of the text."""
    # `İ` is the one letter whose lower case is two characters
    folded = text.replace("\u0130", "I").lower()
    found = _ACCENTED.search(folded)
    while found:        # one replace per distinct letter: quicker than a sub calling back per letter
        folded = folded.replace(found[0], _UNACCENT[found[0]])
        found = _ACCENTED.search(folded, found.end())
    return folded


# ---------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class Lexicon:
    lang: str
    values: dict[str, dict[str, str]]                       # kind -> folded word -> value
    prefix_values: dict[str, tuple[tuple[str, str], ...]]   # kind -> (folded prefix, value)
    textual: re.Pattern          # `14 octombrie 2022`, `de 14 a 16 de agosto`
    numeric: re.Pattern          # `17.03.2021`
    numeric_range: re.Pattern    # `12-14.05.2019`, `17.03 – 17.03 2021`
    iso: re.Pattern
    words: re.Pattern            # idioms, relative words, weekdays, `dia 12`
    paren_day: re.Pattern        # `terça-feira (12)`, `quarta-feira, 4,`
    weekday_list_gap: re.Pattern     # `lunea viitoare, marți și miercuri`
    period_from: re.Pattern      # `de segunda a sexta`, `от понеделник до петък`: weekly hours
    period_to: re.Pattern
    modifier_before: re.Pattern
    modifier_after: re.Pattern
    range_gap: re.Pattern
    time: re.Pattern
    time_prefix: re.Pattern
    strong_time_prefixes: frozenset[str]
    year: re.Pattern
    cues: re.Pattern
    starts: re.Pattern           # runs of digits; one character before where `cues` or `words` may match
    cue_entries: tuple[tuple[str, re.Pattern], ...]         # (kind, one cue) to name what matched
    followup: re.Pattern
    duration: re.Pattern         # `de dois dias`, `двудневен`
    dateline_end: re.Pattern     # `CLUJ, 3 aprilie (Agerpres) -`: an agency's mark, then a dash


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """A matched or listed word without spaces and hyphens, for lookups."""
    return re.sub(_SPACE_OR_DASH, "", fold_same_length(word).rstrip("*"))


# Trie keys besides letters: spaces or hyphens; the rest of a word (`*`); the end of an entry.
_SEPARATOR, _WORD_REST, _END = "\x00", "\x01", "\x02"


def _atoms(word: str) -> list[str]:
    """A listed entry as letters, separators and word rests: `transmitid* ao vivo`."""
    atoms: list[str] = []
    for i, part in enumerate(re.split(_SPACE_OR_DASH, fold_same_length(word.strip()))):
        if i:
            atoms.append(_SEPARATOR)
        if part.endswith("*") and len(part) > 1:
            atoms.extend(part[:-1])
            atoms.append(_WORD_REST)
        else:
            atoms.extend(part)
    return atoms


def _trie(words) -> dict:
    trie: dict = {}
    for word in words:
        node = trie
        for atom in _atoms(word):
            node = node.setdefault(atom, {})
        node[_END] = {}
    return trie


def _alternation(words) -> str:
    """A regex for any of the entries, written as a letter trie so that a scan tries few
    branches; longer entries come before their prefixes (`septembrie` before `sept`)."""
    trie = _trie(words)
    return f"(?:{_render(trie)})" if trie else "(?!)"


def _word_initial(words) -> str:
    """The alternation starting a word only, its look-behind put after each entry's first letter:
    a search then skips ahead to those letters instead of trying every position."""
    trie = _trie(words)
    if not trie or any(atom in _ATOM_PATTERNS for atom in trie):
        return rf"(?<!\w){_alternation(words)}"
    return "(?:" + "|".join(re.escape(a) + r"(?<!\w.)" + _render(trie[a]) for a in sorted(trie)) + ")"


_ATOM_PATTERNS = {_SEPARATOR: r"[\s\-]*", _WORD_REST: r"\w*", _END: ""}


def _render(node: dict) -> str:
    # letters first, then word rests, the end last: the longest entry wins
    atoms = sorted(node, key=lambda a: (a == _END, a == _WORD_REST, a))
    branches = [_ATOM_PATTERNS.get(a) if a in _ATOM_PATTERNS else re.escape(a) for a in atoms]
    branches = [pattern + _render(node[a]) for pattern, a in zip(branches, atoms)]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _bounded(alternation: str) -> str:
    return rf"(?<!\w){alternation}(?!\w)"


def _digits_guard(width: int) -> str:
    """After the first `width` digits of a match: no digit, `/` or `1.` just before them."""
    return rf"(?<![\d/]\d{{{width}}})(?<!\d[.,:]\d{{{width}}})"


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> Lexicon:
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for row in read_table(lang, WORDS_FILE):
        by_kind.setdefault(row["kind"], []).append((row["word"], row.get("value", "")))
    cues_by_kind: dict[str, list[str]] = {}
    for row in read_table(lang, CUES_FILE):
        cues_by_kind.setdefault(row["kind"], []).append(row["cue"])

    def entries(*kinds: str) -> list[str]:
        return [w for k in kinds for w, _ in by_kind.get(k, ())]

    def listed(*kinds: str) -> str:
        return _alternation(entries(*kinds))

    months = listed("month")
    link = rf"(?:{listed('link')}\s+)?"
    not_month = rf"(?!\s+{listed('month_blocker')}(?!\w))"
    year_suffix = rf"(?:\s*{listed('year_suffix')}(?!\w))?"
    day_end = r"\d?(?:\s?(?:º|°|ª|\.º)|-?(?:ви|ри|ти|ми|и)(?!\w))?"     # after a day's first digit
    more_days = rf"(?:\s*(?:[-,]|{_bounded(listed('range_sep'))})\s*\d{day_end}){{0,{MAX_LISTED_DAYS - 1}}}"
    # Matches start with a digit so the scan skips ahead fast; guards come right after it.
    textual = re.compile(
        rf"(?P<days>\d{_digits_guard(1)}{day_end}{more_days})\s*{link}(?P<month>{months})\.?(?!\w){not_month}"
        rf"(?:\s*,?\s*{link}(?P<year>(?:19|20)\d\d)(?!\d){year_suffix})?")
    numeric = re.compile(
        rf"(?P<day>\d{_digits_guard(1)}\d?)(?P<sep>[./-])(?P<month>\d{{1,2}})(?P=sep)"
        rf"(?P<year>(?:19|20)\d\d|(?<!-)\d\d)(?!\d)(?![.,/]\d){year_suffix}")    # `20-11-2023`, not `20-11-23`
    numeric_range = re.compile(
        rf"(?P<day1>\d{_digits_guard(1)}\d?)(?:[./](?P<month1>\d{{1,2}}))?\.?\s*-\s*"
        rf"(?P<day2>\d{{1,2}})[./](?P<month2>\d{{1,2}})(?:[./]\s?|\s+)(?P<year>(?:19|20)\d\d)(?!\d){year_suffix}")
    iso = re.compile(rf"(?P<year>(?:19|20)\d\d){_digits_guard(4)}(?<!-\d{{4}})-(?P<month>\d\d)-(?P<day>\d\d)(?!\d)")
    # `dia 12`, `dia 25/10`, not `dia 12 de maio`
    day_alone = (rf"(?P<day_prefix>{listed('day_prefix')})\s+(?P<days>(?>\d{day_end}{more_days}))"
                 rf"(?:[/.](?P<day_month>\d\d?)(?![/.]?\d))?(?![\d:/h]|[.,]\d)(?!\s*{link}{months}(?!\w))")
    # the kinds opening `words` are DATE_WORD_KINDS
    words = (rf"(?:(?P<idiom>{listed('idiom')})|(?P<relative>{listed('relative_day')})"
             rf"|(?P<weekday>{listed('weekday')})|(?P<bare>{listed('weekday_bare')})|{day_alone})")
    cue_words = [c for cues in cues_by_kind.values() for c in cues]
    cues = _alternation(cue_words)
    # every entry that may open a cue or a date word, in one trie: few branches tried per word
    openers = _alternation(chain(cue_words, (w for k in DATE_WORD_KINDS for w, _ in by_kind.get(k, ()))))
    modifiers = listed("next", "last", "this", "next_week", "last_week")
    events = _alternation(cues_by_kind.get("event", ()))
    return Lexicon(
        lang=lang,
        values={k: {_key(w): v for w, v in rows if not w.endswith("*")} for k, rows in by_kind.items()},
        prefix_values={k: tuple((_key(w), v) for w, v in rows if w.endswith("*")) for k, rows in by_kind.items()},
        textual=textual,
        numeric=numeric,
        numeric_range=numeric_range,
        iso=iso,
        words=re.compile(_bounded(words)),
        paren_day=re.compile(r"\s*(?:\(\s*(?P<day>\d{1,2})(?:\s*[/.]\s*(?P<month>\d{1,2}))?\s*\)"
                             r"|,\s*(?P<comma_day>\d{1,2})(?=\s*(?:,(?!\d)|;|\.(?!\d)|$)))"),
        weekday_list_gap=re.compile(
            rf"(?:\s+(?:\w{{1,3}}\s+)?{modifiers})?\s*(?:,|-|{_bounded(listed('range_sep', 'period_to'))})\s*"),
        period_from=re.compile(rf"(?<!\w){listed('period_from')}\s+$"),
        period_to=re.compile(rf"\s*(?:-|{_bounded(listed('period_to'))})\s*"),
        modifier_before=re.compile(rf"(?<!\w)(?P<mod>{modifiers})\s+(?:{listed('day_prefix')}\s+)?$"),
        modifier_after=re.compile(rf"\s+(?:\w{{1,3}}\s+)?(?P<mod>{modifiers})(?!\w)"),
        range_gap=re.compile(rf"\s*(?:-|{_bounded(listed('range_sep'))})\s*"),
        time=re.compile(
            rf"(?P<hour>\d(?<![\w.,:/]\d)\d?)(?:(?P<sep>[:.,h])(?P<minute>[0-5]\d))?(?!\d)(?![.,:/]\d)"
            rf"(?:\s*(?P<suffix>{listed('time_suffix')})(?!\w))?(?!\s*{listed('number_unit')}(?!\w))"),
        time_prefix=re.compile(rf"(?<!\w)(?P<prefix>{listed('time_prefix')})[\s:]+$"),
        strong_time_prefixes=frozenset(_key(w) for w, v in by_kind.get("time_prefix", ()) if v == "strong"),
        year=re.compile(rf"(?:19|20)\d\d{_digits_guard(4)}(?<![.\-]\d{{4}})(?!\d)(?![.,/]\d)"),
        cues=re.compile(_bounded(cues)),
        # A scan stopping only at characters other than common letters (quicker than a lookbehind
        # tried everywhere): the first digit of a run, or the character before a cue or date word.
        # The words are tried first, the stop's own class last: most stops are spaces before a word.
        starts=re.compile(rf"[^a-z_\u0430-\u044f](?:(?={openers}(?!\w))(?<=\W)|(?<=\d)(?<!\d\d)(?P<digit>))"),
        cue_entries=tuple((kind, re.compile(_alternation([cue])))
                          for kind, cues in cues_by_kind.items() for cue in cues),
        # `a próxima reunião`, `следващата среща`: a later event than the one reported
        followup=re.compile(rf"{_word_initial(entries('next'))}\s+{events}(?!\w)"),
        duration=re.compile(_word_initial(entries("duration")) + r"(?!\w)"),
        dateline_end=re.compile(r"\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/)?\s*-"),
    )


def _lookup(lex: Lexicon, kind: str, matched: str) -> str | None:
    key = _key(matched)
    value = lex.values.get(kind, {}).get(key)
    if value is None:
        value = next((v for p, v in lex.prefix_values.get(kind, ()) if key.startswith(p)), None)
    return value


_LATER_WORD = re.compile(r"(?<=[\s\-])\w")


@lru_cache(maxsize=65536)
def _cue_kinds(lang: str, matched: str) -> frozenset[str]:
    """The kinds of the cue entries a matched cue text is an instance of, and `event` when
    one of its later words is an event cue itself (`au protestat`: a report and a protest)."""
    entries = _lexicon(lang).cue_entries
    kinds = {kind for kind, entry in entries if entry.fullmatch(matched)}
    for word in _LATER_WORD.finditer(matched):
        if any(kind == "event" and entry.fullmatch(matched, word.start()) for kind, entry in entries):
            kinds.add("event")
            break
    return frozenset(kinds)


def _modifier_kind(lex: Lexicon, matched: str) -> str | None:
    return next((k for k in ("next_week", "last_week", "next", "last", "this")
                 if _lookup(lex, k, matched) is not None), None)


# ---------------------------------------------------------------- mentions

@dataclass
class Mention:
    """One date expression; fields the text does not give are None."""
    start: int
    end: int
    day: int | None = None
    month: int | None = None
    year: int | None = None
    end_day: int | None = None
    end_month: int | None = None
    end_year: int | None = None
    weekday: int | None = None       # ISO: 1 = Monday
    end_weekday: int | None = None   # a range's last day's (`joi și vineri (12–13 iunie)`)
    offset: int | None = None        # days from the publication date (`ontem`)
    end_offset: int | None = None    # `hoje e amanhã`: the last day's
    modifier: str | None = None      # next | last | this | next_week | last_week

    @property
    def is_full(self) -> bool:
        return self.year is not None and self.month is not None and self.day is not None

    @property
    def is_range(self) -> bool:
        return self.end_day is not None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _day_list(text: str) -> tuple[int, int | None]:
    """First and last day of `14 a 16`, `24-26`, `14, 15 e 16`; last is None for one day."""
    days = [int(d) for d in _NUMBER.findall(text)]
    first, last = min(days), max(days)
    return first, (last if last != first else None)


def _matches_at(patterns: tuple[re.Pattern, ...], text: str, starts: list[int]) -> list[list[re.Match]]:
    """`list(pattern.finditer(text))` of each pattern, for patterns whose matches can only begin
    where a run of digits does (they all open with a digit guarded against one before it): one
    scan of the text for those places serves every such pattern."""
    found: list[list[re.Match]] = [[] for _ in patterns]
    ends = [0] * len(patterns)
    for start in starts:
        for i, pattern in enumerate(patterns):
            if start >= ends[i] and (m := pattern.match(text, start)):
                ends[i] = m.end()
                found[i].append(m)
    return found


def _find_mentions(folded: str, lex: Lexicon, digit_starts: list[int], date_words: list[re.Match]
                   ) -> tuple[list[Mention], list[int]]:
    """Every date expression of the text, in text order; second, where weekly schedules
    (`de segunda a sexta`) begin."""
    found: list[Mention] = []
    textual, numeric, iso, numeric_range = _matches_at(
        (lex.textual, lex.numeric, lex.iso, lex.numeric_range), folded, digit_starts)
    for m in textual:
        first, last = _day_list(m["days"])
        month = int(_lookup(lex, "month", m["month"]) or 0)
        found.append(Mention(m.start(), m.end(), first, month, _year(m["year"]), last))
    for m in chain(numeric, iso):
        found.append(Mention(m.start(), m.end(), int(m["day"]), int(m["month"]), _year(m["year"])))
    for m in numeric_range:
        year = int(m["year"])
        month2 = int(m["month2"])
        month1 = int(m["month1"]) if m["month1"] else month2
        found.append(Mention(m.start(), m.end(), int(m["day1"]), month1, year, int(m["day2"]), month2, year))
    weekdays, relatives = [], []
    for m in date_words:
        if m["days"]:
            first, last = _day_list(m["days"])
            month = int(m["day_month"]) if m["day_month"] else None
            found.append(Mention(m.start(), m.end(), first, month, end_day=last))
        elif m["relative"]:
            relatives.append(Mention(m.start(), m.end(), offset=int(_lookup(lex, "relative_day", m[0]) or 0)))
        elif m["weekday"] or m["bare"]:
            weekdays.append(m)
    dates = _merge_ranges(folded, _longest_first(found), lex)
    for mention in dates:
        if mention.year is None:
            mention.modifier = _modifier(folded, mention.start, mention.end, lex)
    lone_weekdays, schedules = _attach_weekdays(folded, lex, weekdays, dates)
    mentions = sorted(dates + lone_weekdays + _lone_relatives(_paired_days(folded, lex, relatives)), key=lambda m: m.start)
    return mentions, schedules


def _longest_first(found: list[Mention]) -> list[Mention]:
    """Plausible mentions without overlaps, the longer one kept where two overlap."""
    found = sorted((m for m in found if _plausible(m)), key=lambda m: (m.start, m.start - m.end))
    kept: list[Mention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _plausible(m: Mention) -> bool:
    days_ok = all(d is None or 1 <= d <= 31 for d in (m.day, m.end_day))
    months_ok = all(x is None or 1 <= x <= 12 for x in (m.month, m.end_month))
    return days_ok and months_ok


def _merge_ranges(folded: str, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """`30 de setembro a 2 de outubro de 2023`, `17.03.2021 - 18.03.2021`: one range."""
    merged: list[Mention] = []
    for mention in mentions:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.month and mention.month and not prev.is_range
                and not mention.is_range and lex.range_gap.fullmatch(folded, prev.end, mention.start)):
            year = prev.year
            if year is None and mention.year is not None:
                year = mention.year - ((prev.month, prev.day) > (mention.month, mention.day))
            merged[-1] = replace(prev, end=mention.end, year=year, end_day=mention.day,
                                 end_month=mention.month, end_year=mention.year)
        else:
            merged.append(mention)
    return merged


def _attach_weekdays(folded: str, lex: Lexicon, weekdays: list[re.Match], dates: list[Mention]
                     ) -> tuple[list[Mention], list[int]]:
    """A weekday right before a date joins it (`luni, 19 februarie`); a list of weekdays before
    a range frames it, the first and last naming its first and last days (`quinta e sexta-feira,
    14 e 15 de março`, `lunea viitoare, marți și miercuri (3–5 martie)`). `de segunda a sexta`
    without a date is a weekly schedule, no date. Other weekdays stand alone. Second, where
    the schedules begin."""
    starts = [m.start for m in dates]
    lone: list[Mention] = []
    schedules: list[int] = []
    listed: list[tuple[re.Match, Mention | None]] = []     # the weekdays listed so far, the mentions they made
    for m in weekdays:
        previous = listed[-1] if listed else None
        if previous and not lex.weekday_list_gap.fullmatch(folded, previous[0].end(), m.start()):
            listed, previous = [], None
        weekday = _weekday_value(lex, m)
        modifier = _modifier(folded, m.start(), m.end(), lex)
        i = bisect_left(starts, m.end())
        if i < len(dates) and dates[i].start - m.end() <= 6 and _WEEKDAY_GAP.fullmatch(folded, m.end(), dates[i].start):
            start = m.start()
            if dates[i].is_range and listed:
                for _, made in listed:
                    if made is not None:
                        lone.remove(made)
                opener = listed[0][0]
                dates[i].end_weekday = weekday
                weekday, start = _weekday_value(lex, opener), opener.start()
                modifier = _modifier(folded, opener.start(), opener.end(), lex) or modifier
            dates[i].weekday, dates[i].start = weekday, start
            starts[i] = start
            dates[i].modifier = modifier or dates[i].modifier
            listed = []
            continue
        if previous and _weekly_period(folded, lex, previous, m, modifier):
            if previous[1] is not None:
                lone.remove(previous[1])
            schedules.append(previous[0].start())
            listed.append((m, None))
            continue
        made = None
        after_modifier = lex.modifier_after.match(folded, m.end(), m.end() + 40)
        paren = lex.paren_day.match(folded, m.end()) or (after_modifier and lex.paren_day.match(folded, after_modifier.end()))
        if paren and (paren["day"] or m["weekday"]):    # `terça-feira (12)`, `quinta-feira (25/10)`, `sábado, 20,`
            month = int(paren["month"]) if paren["month"] else None
            day = int(paren["day"] or paren["comma_day"])
            made = Mention(m.start(), paren.end(), day, month, weekday=weekday, modifier=modifier)
            made = made if _plausible(made) else None
        elif m["weekday"] or modifier:
            made = Mention(m.start(), m.end(), weekday=weekday, modifier=modifier)
        if made is not None:
            lone.append(made)
        listed.append((m, made))
    return lone, schedules


def _weekly_period(folded: str, lex: Lexicon, previous: tuple[re.Match, Mention | None], m: re.Match,
                   modifier: str | None) -> bool:
    """`de luni până vineri`, `от понеделник до петък`: opening days, not a date (unless a
    modifier makes it one week's: `da próxima segunda a sexta`)."""
    first, its_mention = previous
    return (modifier is None and (its_mention is None or its_mention.modifier is None)
            and bool(lex.period_to.fullmatch(folded, first.end(), m.start()))
            and bool(lex.period_from.search(folded, max(0, first.start() - 12), first.start())))


def _weekday_value(lex: Lexicon, m: re.Match) -> int:
    return int(_lookup(lex, "weekday" if m["weekday"] else "weekday_bare", m[0]) or 0)


def _modifier(folded: str, start: int, end: int, lex: Lexicon) -> str | None:
    """`próxima terça-feira`, `joia viitoare`, `no próximo dia 12`, `12 de outubro passado`."""
    before = lex.modifier_before.search(folded, max(0, start - 25), start)
    if before:
        return _modifier_kind(lex, before["mod"])
    after = lex.modifier_after.match(folded, end, end + 40)
    return _modifier_kind(lex, after["mod"]) if after else None


def _paired_days(folded: str, lex: Lexicon, relatives: list[Mention]) -> list[Mention]:
    """`hoje e amanhã`, `вчера и днес`: two days in a row joined as a range make one mention."""
    merged: list[Mention] = []
    for mention in relatives:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.end_offset is None and mention.offset == prev.offset + 1
                and lex.range_gap.fullmatch(folded, prev.end, mention.start)):
            merged[-1] = replace(prev, end=mention.end, end_offset=mention.offset)
        else:
            merged.append(mention)
    return merged


def _lone_relatives(relatives: list[Mention]) -> list[Mention]:
    """`de ieri și de azi`, `вчера и днес`: two relative words side by side are no date."""
    def paired(i: int) -> bool:
        neighbours = relatives[max(0, i - 1):i] + relatives[i + 1:i + 2]
        return any(o.offset != relatives[i].offset and abs(o.start - relatives[i].start) < 20 for o in neighbours)
    return [m for i, m in enumerate(relatives) if not paired(i)]


# ---------------------------------------------------------------- resolution

@dataclass(frozen=True)
class Anchor:
    """What year-less dates resolve against: the publication date, else a period."""
    published: date | None
    low: date
    high: date


Span = tuple[date, date]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _span(m: Mention, year: int, month: int) -> Span | None:
    start = _safe_date(year, month, m.day)
    if start is None:
        return None
    if not m.is_range:
        return start, start
    end_month = m.end_month or month
    end_year = m.end_year or year
    end = _safe_date(end_year, end_month, m.end_day)
    if end is not None and end < start and m.end_year is None:
        end = _safe_date(end_year + 1, end_month, m.end_day)
    return (start, end) if end is not None and end >= start else None


def _months_between(low: date, high: date):
    year, month = low.year, low.month
    while (year, month) <= (high.year, high.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _candidates(m: Mention, anchor: Anchor | None) -> list[Span]:
    if m.year is not None and m.month is not None:
        pairs = [(m.year, m.month)]
    elif anchor is None:
        return []
    elif m.month is not None:
        # a weekday fixes the year within a few of them: `quinta-feira, 14 de março` in a text saying `2022`
        margin = WEEKDAY_YEARS if m.weekday and anchor.published is None else 1
        pairs = [(y, m.month) for y in range(anchor.low.year - margin, anchor.high.year + margin + 1)]
    elif anchor.published or (anchor.high - anchor.low).days <= 31 or m.weekday:
        margin = timedelta(days=31 * DAY_ONLY_MONTHS)
        pairs = list(_months_between(anchor.low - margin, anchor.high + margin))
    else:
        return []
    spans = [s for s in (_span(m, y, mo) for y, mo in pairs) if s]
    if m.weekday:
        agreeing = [s for s in spans if _agrees(s, m, anchor.published if anchor else None)]
        if m.month is None and anchor and anchor.published:
            return agreeing     # none: the weekday's own reading (`na próxima terça-feira (11)`)
        spans = agreeing or spans
    return spans


def _agrees(span: Span, m: Mention, published: date | None) -> bool:
    """Whether a reading falls on the weekdays given with it, near enough to the publication
    for them to choose it: a day alone within weeks, a day and month within half a year
    (`joi, 25 februarie` written in a year where it is a Tuesday is that year's, a slip)."""
    if span[0].isoweekday() != m.weekday or (m.end_weekday and span[1].isoweekday() != m.end_weekday):
        return False
    if published is None:
        return True
    return abs((span[0] - published).days) <= (WEEKDAY_DAY_DAYS if m.month is None else WEEKDAY_NEAR_DAYS)


def _distance(span: Span, low: date, high: date) -> int:
    if span[1] < low:
        return (low - span[1]).days
    if span[0] > high:
        return (span[0] - high).days
    return 0


def _pick(spans: list[Span], anchor: Anchor | None, tense: str) -> Span | None:
    if not spans:
        return None
    if len(spans) == 1 or anchor is None:
        return spans[0]
    published = anchor.published
    if published is not None:
        if tense == "future":
            ahead = [s for s in spans if s[1] >= published - RESOLUTION_SLACK]
            if ahead:
                return min(ahead)
        elif tense == "past":
            behind = [s for s in spans if s[0] <= published + RESOLUTION_SLACK]
            if behind:
                return max(behind)
    return min(spans, key=lambda s: (_distance(s, anchor.low, anchor.high), s[0]))


def _weekday_near(published: date, weekday: int, modifier: str | None, tense: str) -> Span | None:
    """A weekday named alone (`nesta sexta-feira`, `joia viitoare`, `в сряда`) near the publication date."""
    days = [published + timedelta(days=k) for k in range(-WEEKDAY_SEARCH_DAYS, WEEKDAY_SEARCH_DAYS + 1)]
    days = [d for d in days if d.isoweekday() == weekday]
    monday = published - timedelta(days=published.weekday())
    if modifier == "next_week":
        days = [d for d in days if 7 <= (d - monday).days < 14]
    elif modifier == "last_week":
        days = [d for d in days if -7 <= (d - monday).days < 0]
    elif modifier == "next":
        days = [d for d in days if d > published][:1]
    elif modifier == "last":
        days = [d for d in days if d < published][-1:]
    elif tense == "future":
        days = [d for d in days if d >= published][:1]
    elif tense == "past":
        days = [d for d in days if d <= published][-1:]
    if not days:
        return None
    best = min(days, key=lambda d: (abs((d - published).days), d))
    return best, best


def resolve(m: Mention, anchor: Anchor | None, tense: str) -> Span | None:
    """The dates a mention stands for, or None when the text does not pin them down."""
    published = anchor.published if anchor else None
    if m.offset is not None:
        if published is None:
            return None
        day = published + timedelta(days=m.offset)
        return day, published + timedelta(days=m.end_offset if m.end_offset is not None else m.offset)
    if m.day is None:
        if published is None or m.weekday is None:
            return None
        return _weekday_near(published, m.weekday, m.modifier, tense)
    if m.modifier in ("next", "next_week"):
        tense = "future"
    elif m.modifier in ("last", "last_week"):
        tense = "past"
    spans = _candidates(m, anchor)
    if not spans and m.weekday and m.month is None and published:
        return _weekday_near(published, m.weekday, m.modifier, tense)
    return _pick(spans, anchor, tense)


def make_anchor(published: date | None, year: int | None, month: int | None,
                hint_years: list[int]) -> Anchor | None:
    """The publication date, else the metadata's year (and month), else the text's likeliest years."""
    if published is not None and published.year in ANCHOR_YEARS:
        return Anchor(published, published, published)
    trusted_year = year is not None and year in ANCHOR_YEARS     # `None in range` would scan it
    if trusted_year and month and 1 <= month <= 12:
        return Anchor(None, date(year, month, 1), date(year, month, monthrange(year, month)[1]))
    if trusted_year:
        return Anchor(None, date(year, 1, 1), date(year, 12, 31))
    if hint_years:
        counts = Counter(hint_years)
        top = max(counts.values())
        likeliest = [y for y, c in counts.items() if c == top]
        return Anchor(None, date(min(likeliest), 1, 1), date(max(likeliest), 12, 31))
    return None


# ---------------------------------------------------------------- article context

@dataclass
class Context:
    text: str
    folded: str
    lex: Lexicon
    sentences: list[tuple[int, int]]
    sentence_starts: list[int]
    cue_starts: dict[str, list[int]]
    cue_positions: list[int]    # where every cue starts, whatever its kinds
    digit_starts: list[int]     # where runs of digits begin: every numeric pattern's only starts
    date_words: list[re.Match]  # matches of `Lexicon.words`
    title_end: int              # the headline is the text's first line
    followups: dict[int, bool] = field(default_factory=dict)
    durations: dict[int, int | None] = field(default_factory=dict)

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    @cached_property
    def about_event(self) -> bool:
        """An event noun in the headline or the lead."""
        return self.has_cue("event", 0, self.sentences[self.lead[-1]][1])

    @cached_property
    def lead(self) -> range:
        """Indices of the first sentences after the headline."""
        first = min(bisect_right(self.sentence_starts, self.title_end), len(self.sentences) - 1)
        return range(first, min(first + LEAD_SENTENCES, len(self.sentences)))

    def has_cue(self, kind: str, start: int, end: int) -> bool:
        starts = self.cue_starts.get(kind, ())
        i = bisect_left(starts, start)
        return i < len(starts) and starts[i] < end

    def nearest_cue(self, kinds: tuple[str, ...], start: int, end: int, offset: int) -> str | None:
        """Of the cues of these kinds in [start, end), the kind of the one nearest to offset."""
        best = None
        for kind in kinds:
            starts = self.cue_starts.get(kind, [])
            i = bisect_left(starts, offset)
            for pos in starts[max(i - 1, 0):i + 1]:
                if start <= pos < end and (best is None or abs(pos - offset) < best[0]):
                    best = (abs(pos - offset), kind)
        return best[1] if best else None

    def opens(self, offset: int) -> bool:
        """Whether offset lies in the headline or the lead."""
        return offset < self.title_end or self.sentence_of(offset) in self.lead

    def stated_duration(self, offset: int) -> int | None:
        """How many days the event lasts, said in the sentence at offset, else the headline or the lead."""
        index = self.sentence_of(offset)
        headline = range(0, bisect_left(self.sentence_starts, self.title_end) or 1)
        for i in chain([index], headline, self.lead):
            if i not in self.durations:
                start, end = self.sentences[i]
                found = self.lex.duration.search(self.folded, start, end)
                self.durations[i] = int(_lookup(self.lex, "duration", found[0]) or 0) if found else None
            if self.durations[i]:
                return self.durations[i]
        return None

    def drop_cues_inside(self, spans: list[tuple[int, int]]) -> None:
        """Cue words inside date expressions are none (`feira` in `segunda-feira`)."""
        inside, i = set(), 0
        for start, end in spans:
            i = bisect_left(self.cue_positions, start, i)
            while i < len(self.cue_positions) and self.cue_positions[i] < end:
                inside.add(self.cue_positions[i])
                i += 1
        if inside:
            for kind, starts in self.cue_starts.items():
                self.cue_starts[kind] = [pos for pos in starts if pos not in inside]

    def has_followup(self, sentence: int) -> bool:
        """`a próxima reunião`: the sentence is about a later event."""
        if sentence not in self.followups:
            start, end = self.sentences[sentence]
            self.followups[sentence] = bool(self.lex.followup.search(self.folded, start, end))
        return self.followups[sentence]


def _sentences(article: Article) -> list[tuple[int, int]]:
    """spaCy's sentences, cut again at line breaks (headlines and date lines have no stop),
    each without the spaces around it."""
    text = article.text
    doc = doc_for(article)
    starts = [sentence.start_char for sentence in doc.sents] if len(doc) else []
    spans, i = [], 0
    for line in _LINE_TEXT.finditer(text):
        start, end = line.span()
        while i < len(starts) and starts[i] < end:
            cut = starts[i]
            i += 1
            if cut > start:
                spans.append((start, start + len(text[start:cut].rstrip())))
                start = end - len(text[cut:end].lstrip())
        spans.append((start, end))
    return spans or [(0, len(text))]


def _context(article: Article, lex: Lexicon) -> Context:
    text = article.text
    folded = fold_same_length(text)
    sentences = _sentences(article)
    digit_starts, cues, date_words = _scan(folded, lex)
    cue_starts: dict[str, list[int]] = {}
    for m in cues:
        for kind in _cue_kinds(lex.lang, m[0]):
            cue_starts.setdefault(kind, []).append(m.start())
    first_break = text.find("\n")
    return Context(text, folded, lex, sentences, [s for s, _ in sentences], cue_starts, [m.start() for m in cues],
                   digit_starts, date_words, len(text) if first_break < 0 else first_break)


def _scan(folded: str, lex: Lexicon) -> tuple[list[int], list[re.Match], list[re.Match]]:
    """Where runs of digits begin, and the matches `lex.cues.finditer` and `lex.words.finditer`
    give, from one scan of the text for the places where any of them may begin."""
    digit_starts: list[int] = []
    word_starts = [0]
    for m in lex.starts.finditer(folded):
        if m.lastgroup:
            digit_starts.append(m.start())
        else:
            word_starts.append(m.end())
    cues: list[re.Match] = []
    words: list[re.Match] = []
    cues_end = words_end = 0
    for start in word_starts:
        if start >= cues_end and (cue := lex.cues.match(folded, start)):
            cues.append(cue)
            cues_end = cue.end()
        if start >= words_end and (word := lex.words.match(folded, start)):
            words.append(word)
            words_end = word.end()
    return digit_starts, cues, words


def _skipped(m: Mention, ctx: Context, floor: int) -> bool:
    """A law's, a deadline's, a founding or the page's own date, by the words just before it."""
    for kind, width in SKIP_WINDOWS.items():
        if ctx.has_cue(kind, max(floor, m.start - width), m.start):
            return True
    return bool(_LAW_NUMBER.search(ctx.folded, max(floor, m.start - 25), m.start))


def _tense(m: Mention, ctx: Context, default: str) -> str:
    start, end = ctx.sentences[ctx.sentence_of(m.start)]
    cue = ctx.nearest_cue(("report", "announce"), start, end, m.start)
    return {"report": "past", "announce": "future"}.get(cue, default)


def _article_tense(ctx: Context) -> str:
    past = len(ctx.cue_starts.get("report", []))
    future = len(ctx.cue_starts.get("announce", []))
    return "past" if past > future else "future" if future > past else "neutral"


# ---------------------------------------------------------------- publication date

@dataclass(frozen=True)
class DateLine:
    """Where the text gives the page's own date."""
    mention: Mention
    span: tuple[int, int]       # what belongs to it (a date line's clock time too)

    @property
    def date(self) -> date | None:
        return _safe_date(self.mention.year, self.mention.month, self.mention.day)


def _date_line(ctx: Context, mentions: list[Mention]) -> DateLine | None:
    """The page's date line under the headline (`14 Mar, 2022 10:05`, `03.11.2019`),
    else a date labelled as the page's anywhere (`Publicado em 14/03/2023`)."""
    for n, line in enumerate(_LINE.finditer(ctx.folded, ctx.title_end)):
        if n == BYLINE_LINES:
            break
        found = _date_of_line(ctx, mentions, line.start(), line.end())
        if found is not None:
            short = len(line[0].strip()) <= BYLINE_SHORT_LINE
            return DateLine(found, line.span() if short else (found.start, found.end))
        if len(line[0].strip()) > PROSE_LINE:
            break       # the body has started
    for m in mentions:
        window = max(0, m.start - SKIP_WINDOWS["publication"])
        if m.is_full and not m.is_range and ctx.has_cue("publication", window, m.start):
            line_start = ctx.text.rfind("\n", window, m.start) + 1
            if ctx.has_cue("publication", max(line_start, window), m.start):
                return DateLine(m, (m.start, m.end))
    return None


def _agency_datelines(ctx: Context, mentions: list[Mention]) -> list[tuple[int, int]]:
    """`CLUJ-NAPOCA, 3 aprilie (Agerpres) -`, `РУСЕ, 21 ноември /БТА/ –`: a news agency's
    dateline opening a paragraph near the top gives the page's date, not the event's."""
    spans = []
    starts = [m.start for m in mentions]
    for n, line in enumerate(_LINE.finditer(ctx.folded, ctx.title_end)):
        if n == BYLINE_LINES:
            break
        i = bisect_left(starts, line.start())
        if i == len(mentions) or mentions[i].start >= line.end():
            continue
        m = mentions[i]
        prefix = ctx.folded[line.start():m.start].strip()
        if (prefix.endswith(",") and len(prefix) <= DATELINE_PREFIX and not _DIGIT.search(prefix)
                and not m.is_range and ctx.lex.dateline_end.match(ctx.folded, m.end)):
            spans.append((m.start, m.end))
    return spans


def _starts_with_event_label(ctx: Context, start: int) -> bool:
    """`Data: 12 de março`, `Дата: 12 март`: a line giving the event's date."""
    label = ctx.lex.cues.match(ctx.folded, start)
    return bool(label and "event_label" in _cue_kinds(ctx.lex.lang, label[0])
                and ctx.folded[label.end():label.end() + 3].lstrip().startswith(":"))


def _date_of_line(ctx: Context, dates: list[Mention], start: int, end: int) -> Mention | None:
    raw = ctx.folded[start:end]
    line = raw.strip()
    if _starts_with_event_label(ctx, start + len(raw) - len(raw.lstrip())):
        return None       # the event's date, not the page's
    first = next((m for m in dates if start <= m.start < end), None)
    if first is None or first.end > end or not first.is_full or first.is_range:
        return None
    prefix = ctx.folded[start:first.start].strip()
    if _CLOCK.search(prefix):
        return None       # `19:30 28.04.2024`: a site clock, not a date line
    if len(line) <= BYLINE_SHORT_LINE:
        return None if ctx.has_cue("report", start, end) or ctx.has_cue("announce", start, end) else first
    labelled = ctx.has_cue("publication", start, first.start)
    dateline = len(prefix) <= DATELINE_PREFIX and not _DIGIT.search(prefix) and (not prefix or prefix.endswith(","))
    return first if labelled or dateline else None


def _html_date(html: str | None) -> date | None:
    if not html:
        return None
    from htmldate import find_date    # heavy import, only for HTML input without metadata

    found = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    return date.fromisoformat(found) if found else None


# ---------------------------------------------------------------- event choice, time, mode

def _merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _bare_years(ctx: Context, mentions: list[Mention]) -> list[int]:
    """Years written alone (`em 2022`), not in law numbers, deadlines or dates."""
    spans = _merged_spans([(m.start, m.end) for m in mentions])
    years = []
    for m in _matches_at((ctx.lex.year,), ctx.folded, ctx.digit_starts)[0]:
        if _overlaps(spans, m.start(), m.end()):
            continue
        floor = ctx.sentences[ctx.sentence_of(m.start())][0]
        if not _skipped(Mention(m.start(), m.end()), ctx, floor):
            years.append(int(m[0]))
    return years


def _score(m: Mention, ctx: Context) -> float:
    """How surely a mention dates the article's event, from the cues around it."""
    index = ctx.sentence_of(m.start)
    start, end = ctx.sentences[index]
    score = 2.0 if _starts_with_event_label(ctx, start) else 0.0
    event_noun = ctx.has_cue("event", start, end)
    if event_noun:
        score += 2
    if ctx.has_cue("report", start, end) or ctx.has_cue("announce", start, end):
        score += 2
    if not (event_noun or ctx.about_event or ctx.has_cue("report", start, end)):
        score -= 2      # neither the sentence nor the article's beginning speaks of an event
    if m.start < ctx.title_end:
        score += 1
    elif index in ctx.lead:
        score += 1
    if m.day is not None and m.month is not None:
        score += 0.5
    if ctx.has_followup(index):
        score -= 3
    return score


def _span_penalty(span: Span, published: date | None) -> float:
    """Dates far from the publication or lasting for months are background, not the event."""
    penalty = 3.0 if published and abs((span[0] - published).days) > STALE_DAYS else 0.0
    return penalty + (2.0 if (span[1] - span[0]).days > LONG_SPAN_DAYS else 0.0)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of spans, which are sorted and do not overlap."""
    i = bisect_right(spans, (start, float("inf")))
    return any(s < end and start < e for s, e in spans[max(i - 1, 0):i + 1])


def _times(ctx: Context, blocked: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Clock times (`às 9 horas`, `ora 09.00`, `от 10:00 ч.`) outside dates and the date line;
    the start of a time range whose end shows it is one (`от 10 до 13 ч.`) too."""
    found, pending = [], None     # (number after a time word, not yet a time; that word)
    for m in _matches_at((ctx.lex.time,), ctx.folded, ctx.digit_starts)[0]:
        if int(m["hour"]) > 23 or _overlaps(blocked, m.start(), m.end()):
            pending = None
            continue
        prefix = ctx.lex.time_prefix.search(ctx.folded, max(0, m.start() - 25), m.start())
        word = prefix["prefix"] if prefix else None
        range_start = pending is not None and bool(
            ctx.lex.range_gap.fullmatch(ctx.folded, pending[0].end(), m.start()))
        if range_start:
            word = word or pending[1]
        if _is_time(m, word, ctx.lex.strong_time_prefixes):
            if range_start:
                found.append((pending[0].start(), _clock(pending[0])))
            found.append((m.start(), _clock(m)))
            pending = None
        else:
            pending = (m, word) if word else None
    return found


def _clock(m: re.Match) -> str:
    return f"{int(m['hour']):02d}:{m['minute'] or '00'}"


def _is_time(m: re.Match, prefix: str | None, strong_prefixes: frozenset[str]) -> bool:
    """A bare number is a time only with time words: `ora 9`, `às 9 horas`, not `2 horas`."""
    if m["minute"] is not None:
        return m["sep"] in ":h" or bool(prefix or m["suffix"])
    if prefix is None:
        return False
    return _key(prefix) in strong_prefixes or m["suffix"] is not None


def _event_time(ctx: Context, times: list[tuple[int, str]], sentence: int,
                same_day: list[int], dated: bool, dated_sentences: set[int]) -> str | None:
    """The first time in the event's sentence, else in a sentence giving its first day again
    (`A abertura é no dia 3, às 9h`), else in the sentences after these (an info block's
    `Horário:` line after its `Data:` line), else in a later sentence about an event that
    gives no other date (`A reunião começa às 14h`). Without a date, only a time in the
    event's sentence or the next ones, when they speak of an event, is the event's."""
    def following(index: int) -> range:
        return range(index + 1, min(index + TIME_SENTENCES, len(ctx.sentences)))

    if not dated:
        about_event = (i for i in chain([sentence], following(sentence)) if ctx.has_cue("event", *ctx.sentences[i]))
        return _first_time(times, about_event, ctx)
    days = [sentence, *sorted(set(same_day) - {sentence})]
    later = (i for i in range(following(sentence).stop, len(ctx.sentences))
             if i not in dated_sentences and ctx.has_cue("event", *ctx.sentences[i]))
    return _first_time(times, chain(days, *map(following, days), later), ctx)


def _first_time(times: list[tuple[int, str]], sentences: Iterable[int], ctx: Context) -> str | None:
    positions = [pos for pos, _ in times]
    for index in sentences:
        start, end = ctx.sentences[index]
        i = bisect_left(positions, start)
        if i < len(times) and times[i][0] < end:
            return times[i][1]
    return None


def _mode(ctx: Context, sentence: int | None, has_event: bool) -> str | None:
    """online / hybrid / in_person from cues in the headline, the lead and the sentence after it
    (a byline often takes a lead sentence's place), the event's sentence and the one after it
    (`A sessão decorre em formato híbrido`)."""
    indices = {0, *ctx.lead, min(ctx.lead[-1] + 1, len(ctx.sentences) - 1)}
    if sentence is not None:
        indices.update(range(sentence, min(sentence + 2, len(ctx.sentences))))
    spans = [ctx.sentences[i] for i in sorted(indices)]

    def cued(kind: str) -> bool:
        return any(ctx.has_cue(kind, s, e) for s, e in spans)

    online = any(
        s <= pos < e
        and not ctx.has_cue("registration", max(s, pos - REGISTRATION_WINDOW), pos + REGISTRATION_AFTER)
        for s, e in spans for pos in ctx.cue_starts.get("online", []))
    if cued("hybrid") or (online and cued("physical")):
        return "hybrid"
    if online:
        return "online"
    if cued("stream"):
        return "hybrid"
    if has_event or cued("event"):
        return "in_person"
    return None


# ---------------------------------------------------------------- entry

def extract(article: Article) -> EventDates:
    if article.language not in LANGUAGES or not article.text:
        return EventDates(published_date=article.published)
    lex = _lexicon(article.language)
    ctx = _context(article, lex)
    mentions, schedules = _find_mentions(ctx.folded, lex, ctx.digit_starts, ctx.date_words)
    ctx.drop_cues_inside(_merged_spans([(m.start, m.end) for m in mentions]))
    date_line = _date_line(ctx, mentions)
    published = article.published or _html_date(article.html) or (date_line.date if date_line else None)
    page_spans = ([date_line.span] if date_line else []) + _agency_datelines(ctx, mentions)
    candidates = _candidates_for_event(ctx, mentions, page_spans)
    hint_years = [m.year for m in candidates if m.year] or _bare_years(ctx, mentions)
    anchor = make_anchor(published, article.published_year, article.published_month, hint_years)

    result = EventDates(published_date=published)
    best, resolved = _main_event(ctx, candidates, anchor)
    sentence = None
    if best is not None:
        mention, span = best
        if span is not None:
            span = _event_days(ctx, mention, span, resolved)
            result.start, result.end = span
        sentence = ctx.sentence_of(mention.start)
        same_day = [ctx.sentence_of(m.start) for m, other in resolved if span and other[0] == span[0]]
        # `de segunda a sexta, das 8h às 17h`: opening hours, not the event's time
        hours = [(start, ctx.sentences[ctx.sentence_of(start)][1]) for start in schedules]
        times = _times(ctx, _merged_spans(page_spans + hours + [(m.start, m.end) for m in mentions]))
        dated_sentences = {ctx.sentence_of(m.start) for m in mentions}
        result.time = _event_time(ctx, times, sentence, same_day, span is not None, dated_sentences)
    result.mode = _mode(ctx, sentence, best is not None)
    return result


def _candidates_for_event(ctx: Context, mentions: list[Mention], page_spans: list[tuple[int, int]]) -> list[Mention]:
    """Mentions that may date the event: not the page's own date, a law's, a deadline's..."""
    kept, previous_end = [], 0
    for m in mentions:
        floor = max(previous_end, ctx.sentences[ctx.sentence_of(m.start)][0])
        if not any(s <= m.start < e for s, e in page_spans) and not _skipped(m, ctx, floor):
            kept.append(m)
        previous_end = m.end
    return kept


Scored = tuple[tuple[float, int], Mention, Span]     # (score, -position), mention, its dates


def _main_event(ctx: Context, candidates: list[Mention], anchor: Anchor | None
                ) -> tuple[tuple[Mention, Span | None] | None, list[tuple[Mention, Span]]]:
    """The mention that dates the event, with its dates; when none can be resolved, the
    likeliest mention still, without dates (its sentence may give the time). Second, every
    candidate that resolved, with its dates."""
    default_tense = _article_tense(ctx)
    published = anchor.published if anchor else None
    best_unresolved, scored = None, []     # scored: list[Scored]
    for m in candidates:
        score = _score(m, ctx)
        tense = _tense(m, ctx, default_tense)
        span = resolve(m, anchor, tense)
        if span is None:
            if best_unresolved is None or score > best_unresolved[0][0]:
                best_unresolved = ((score, -m.start), m, None)
            continue
        score -= _span_penalty(span, published)
        if default_tense == "past" and tense == "future" and _after(span, published) and not ctx.opens(m.start):
            score -= UPCOMING_PENALTY      # a report's word on what comes next
        if span[0] < span[1] and (span[1] - span[0]).days + 1 == ctx.stated_duration(m.start):
            score += DURATION_BONUS
        scored.append(((score, -m.start), m, span))
    resolved = [(m, span) for _, m, span in scored]
    if not scored:
        return (best_unresolved[1:] if best_unresolved else None), resolved
    best = max(scored, key=lambda item: item[0])
    return _enclosing_range(best, scored)[1:], resolved


def _after(span: Span, published: date | None) -> bool:
    return published is not None and span[0] > published + RESOLUTION_SLACK


def _event_days(ctx: Context, mention: Mention, span: Span, resolved: list[tuple[Mention, Span]]) -> Span:
    """The event's first day, extended to its last: a date a few days later given in a
    sentence about its later or last day (`Os trabalhos terminam na sexta-feira, 16`), at
    the head of an agenda line, or as the range of an event line (`Дата: 14–15 октомври`);
    else the length the text gives it (`atelier de două zile`, `двудневен форум`)."""
    first, last = span
    if first != last:
        return span

    def later_day(m: Mention, other: Span) -> bool:
        if m.start <= mention.start or not first < other[1] <= first + timedelta(days=EVENT_DAYS - 1):
            return False
        start, end = ctx.sentences[ctx.sentence_of(m.start)]
        if other[0] == first:
            return _starts_with_event_label(ctx, start)
        return other[0] > first and (ctx.has_cue("closing", start, end) or _heads_line(ctx, m))

    later = [other[1] for m, other in resolved if later_day(m, other)]
    if later:
        return first, max(later)
    days = ctx.stated_duration(mention.start)
    if not days:
        return span
    if ctx.has_cue("closing", *ctx.sentences[ctx.sentence_of(mention.start)]):
        return first - timedelta(days=days - 1), first      # `o encontro de dois dias terminou ontem`
    return first, first + timedelta(days=days - 1)


def _heads_line(ctx: Context, m: Mention) -> bool:
    """`14 октомври` over an agenda's sessions: a date opening a short line with no other
    numbers (a byline's date has its clock after it)."""
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    line_end = ctx.text.find("\n", m.start)
    line_end = len(ctx.text) if line_end < 0 else line_end
    return (not ctx.folded[line_start:m.start].strip(" -*\u2022") and line_end - line_start <= BYLINE_SHORT_LINE
            and not _DIGIT.search(ctx.folded, m.end, line_end))


def _enclosing_range(best: Scored, scored: list[Scored]) -> Scored:
    """`de 30 de setembro a 4 de outubro` ... `na segunda-feira (30), a abertura`: a day of a
    short range given before it (its opening, one session) stands for the whole range; a
    range given after the day (`integra a semana de 1 a 7 de junho`) is its background."""
    (score, _), day_mention, (start, end) = best
    if start != end:
        return best
    ranges = [(key, m, (first, last)) for key, m, (first, last) in scored
              if m.start < day_mention.start and first <= start <= last and first < last
              and (last - first).days <= LONG_SPAN_DAYS and key[0] >= score - RANGE_SCORE_GAP]
    return max(ranges, key=lambda item: item[0]) if ranges else best
