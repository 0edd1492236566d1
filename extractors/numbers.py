"""Numeric facts: participants, targets, counts, money and percentages.

A number (digits with the local separators, or number words with scale words)
is a fact when it counts something: a noun phrase right after it, a currency
or a per-cent sign. Dates, times, years, ordinals, codes, addresses, phone
numbers, durations and page clutter are left out. People are participants
when a participant noun, an attendance cue or an event they are held for says
so; a goal needs a plan word, someone's expectation, or the future with a
result, `new` things or a deadline in the number's own clause; anything else
counts what exists. Which
words count as what is data in `models/<lang>/`: number_words.tsv,
qualifiers.tsv, currencies.tsv and number_kinds.tsv (the cues deciding the
kind and the exclusions).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.article import Article, NumberFact
from pipeline.nlp import blank
from pipeline.resources import LANGUAGES, read_table
from pipeline.textnorm import fold

# Words (UAT-uri, s-au); digits with inner separators (1.500, 2,5, 20.02.2020, 11:55, 264/2005,
# 24-26) or a thousands group split by spaces (1 500); line breaks; any other single character
# (%, €, $, №, quotes, punctuation). Words come first only because they are the commonest token.
_TOKEN = re.compile(
    r"(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
    r"|(?P<num>\d{1,3}(?: \d{3})+(?:,\d+)?(?![\d.,:/-]?\d)|\d+(?:[.,:/-]\d+)*)"
    r"|(?P<nl>\n)"
    r"|(?P<sym>\S)"
)
_PLAIN = re.compile(r"\d+(?:,\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_CLOCK_IN_LINE = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
_STARTS_WITH_DIGIT = re.compile(r"\s*\d")
_WORD = re.compile(r"[^\W\d_]+")
_YEAR_IN_TEXT = re.compile(r"(?<![\w.,:/-])(?:19\d\d|20\d\d|2100)(?![\w/]|[.,:-]\d)")
_LIST_MARK = re.compile(r"[ \t]*(?:[•●▪◦·∙‣*–—-]|\d{1,2}[.)])[ \t]")

_SENTENCE_END = frozenset(".!?;…")
_OPENING_QUOTES = frozenset("„\"«“'")
_UNIT_WORDS_MAX = 4
_FRAGMENT_MAX = 300
_YEAR_RANGE = range(1900, 2101)
_CLUTTER_LINE_WORDS_MAX = 12
_PHRASE_MEMO_MAX = 100_000


@dataclass(frozen=True)
class _Phrases:
    """Lower-case token sequences (one-word entries may carry a `*` wildcard) mapped to a value."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    by_last: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    wildcards: tuple[tuple[re.Pattern[str], str], ...]
    any_wildcard: re.Pattern[str]     # all wildcards at once, to skip the loop on most words
    # word -> the entries it may start / end, a wildcard entry matching it written as that word alone
    starting_memo: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict)
    ending_memo: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: list[tuple[str, str]], stop_words: frozenset[str]) -> _Phrases:
        firsts: dict[str, list] = {}
        lasts: dict[str, list] = {}
        wildcards = []
        for phrase, value in entries:
            for spelling in _spellings(phrase, stop_words):
                if "*" in spelling and " " not in spelling:
                    pattern = re.escape(spelling).replace(r"\*", r"\w*")
                    wildcards.append((re.compile(pattern), value))
                    continue
                words = tuple(_tokens_of(spelling))
                if words:
                    firsts.setdefault(words[0], []).append((words, value))
                    lasts.setdefault(words[-1], []).append((words, value))
        return cls(
            {k: _longest_first(v) for k, v in firsts.items()},
            {k: _longest_first(v) for k, v in lasts.items()},
            tuple(wildcards),
            re.compile("|".join(f"(?:{p.pattern})" for p, _ in wildcards) or "(?!)"),
        )

    def at(self, low: list[str], i: int) -> tuple[int, str | None]:
        """The longest entry starting at token i: (its length in tokens, its value), or (0, None)."""
        if not 0 <= i < len(low):
            return 0, None
        for words, value in self._entries(low[i], self.starting_memo, self.by_first):
            if tuple(low[i:i + len(words)]) == words:
                return len(words), value
        return 0, None

    def ending(self, low: list[str], i: int) -> tuple[int, str | None]:
        """The longest entry ending at token i (inclusive)."""
        if not 0 <= i < len(low):
            return 0, None
        for words, value in self._entries(low[i], self.ending_memo, self.by_last):
            first = i - len(words) + 1
            if first >= 0 and tuple(low[first:i + 1]) == words:
                return len(words), value
        return 0, None

    def all_in(self, low: list[str], tokens: range) -> Iterator[tuple[int, int, str]]:
        """Every entry starting inside the token range, as (start, length in tokens, value)."""
        memo, by_first = self.starting_memo, self.by_first
        for i in tokens:
            word = low[i]
            entries = memo.get(word)
            if entries is None:
                entries = self._entries(word, memo, by_first)
            for words, value in entries:
                if tuple(low[i:i + len(words)]) == words:
                    yield i, len(words), value

    def ends_in(self, low: list[str], tokens: range) -> Iterator[int]:
        """Every token of the range where an entry ends."""
        memo, by_last = self.ending_memo, self.by_last
        for i in tokens:
            word = low[i]
            entries = memo.get(word)
            if entries is None:
                entries = self._entries(word, memo, by_last)
            for words, _ in entries:
                first = i - len(words) + 1
                if first >= 0 and tuple(low[first:i + 1]) == words:
                    yield i
                    break

    def _entries(self, word: str, memo: dict, by_word: dict) -> tuple[tuple[tuple[str, ...], str], ...]:
        """The entries listed under the word, longest first, then the wildcard entries matching it."""
        entries = memo.get(word)
        if entries is None:
            entries = by_word.get(word, ())
            if self.wildcards and self.any_wildcard.fullmatch(word):
                entries += tuple(((word,), value) for pattern, value in self.wildcards if pattern.fullmatch(word))
            if len(memo) >= _PHRASE_MEMO_MAX:
                memo.clear()
            memo[word] = entries
        return entries


def _longest_first(entries: list) -> tuple:
    return tuple(sorted(entries, key=lambda entry: -len(entry[0])))


@dataclass(frozen=True)
class _Lexicon:
    number_words: _Phrases        # value "<number>\t<role>"
    qualifiers: _Phrases
    currencies: _Phrases
    cues: dict[str, _Phrases]     # role -> cues
    clause_cues: _Phrases         # the cues read anywhere in a clause or sentence, valued by their role
    deadline_ends: _Phrases       # what an `until` word reaches: this year, a month, the end of a term
    stop_words: frozenset[str]
    candidates: re.Pattern[str]   # where a number may start in lower-case text: digits, number words, "o sută"
    candidates_any_case: re.Pattern[str]

    def cue(self, role: str) -> _Phrases:
        return self.cues.get(role) or _NO_PHRASES


_NO_PHRASES = _Phrases({}, {}, (), re.compile("(?!)"))
_NO_CUES: tuple[list[int], list[int]] = ([], [])
_CUE_ROLES = (
    "participants", "person", "counted", "attend", "event", "event_link", "target", "future", "result", "new",
    "deadline", "stock", "year_this", "year_next", "percent", "generic", "vague", "anaphoric", "duration",
    "month", "date_before", "time_before", "code_before", "ratio_before", "number_link", "number_of", "unit_link",
    "unit_skip", "unit_word", "unit_stop", "clause_break", "whole_before", "others_before", "capacity",
    "deadline_end", "ordinal", "place_before", "scope", "forecast", "awaited", "done", "of_them", "possessive",
    "copula_before",
)
_CLAUSE_ROLES = (
    "attend", "target", "future", "result", "new", "deadline", "stock", "year_this", "year_next", "clause_break",
    "number_of", "whole_before", "capacity", "scope", "forecast", "awaited", "done",
)
_DEADLINE_END_ROLES = ("year_this", "year_next", "month", "deadline_end")
_DASHES = frozenset("–—")
_FOLDED_WILDCARD_MIN = 4        # letters a wildcard cue needs to be matched without diacritics too
_DEADLINE_REACH = 5             # tokens from `until` to its year: até 20 de março de 2024
_NEW_AFTER_UNIT = 2             # `new` right before the number (още пет) or 2 tokens after its noun (servicii noi)
_NEAR_WINDOW = 3                # tokens either side of a number and its noun where `stock` and `new` cues count
_SUBJECT_REACH = 4              # tokens from a subject to its copula: Лекторите от АКСУ ще бъдат двама
_CAPACITY_REACH = 3             # words from a capacity cue to its number: va putea acorda servicii pentru 30


def _tokens_of(text: str) -> list[str]:
    return [m.group().lower() for m in _TOKEN.finditer(text) if m.lastgroup != "nl"]


def _spellings(phrase: str, stop_words: frozenset[str]) -> set[str]:
    """The phrase in lower case, and without diacritics unless that makes a function word (às -> as)
    or a short ending matching common words (`*irá` -> `*ira` would match primeira)."""
    low = phrase.lower()
    folded = fold(low)
    if folded == low or folded in stop_words or ("*" in low and len(low.strip("*")) < _FOLDED_WILDCARD_MIN):
        return {low}
    return {low, folded}


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    stop_words = frozenset(w.lower() for w in blank(lang).Defaults.stop_words)
    number_rows = read_table(lang, "number_words.tsv")
    candidates = _candidates(number_rows, stop_words)
    by_role: dict[str, list[tuple[str, str]]] = {role: [] for role in _CUE_ROLES}
    for row in read_table(lang, "number_kinds.tsv"):
        if row.get("role") in by_role and row.get("cue"):
            by_role[row["role"]].append((row["cue"], row["role"]))
    return _Lexicon(
        number_words=_Phrases.build(
            [(r["word"], f"{r['value']}\t{r['role']}") for r in number_rows if r.get("word")], stop_words
        ),
        qualifiers=_Phrases.build(
            [(r["phrase"], r["qualifier"]) for r in read_table(lang, "qualifiers.tsv") if r.get("phrase")],
            stop_words,
        ),
        currencies=_Phrases.build(
            [(r["written"], r["code"]) for r in read_table(lang, "currencies.tsv") if r.get("written")],
            stop_words,
        ),
        cues={role: _Phrases.build(entries, stop_words) for role, entries in by_role.items()},
        clause_cues=_Phrases.build([e for role in _CLAUSE_ROLES for e in by_role[role]], stop_words),
        deadline_ends=_Phrases.build([e for role in _DEADLINE_END_ROLES for e in by_role[role]], stop_words),
        stop_words=stop_words,
        candidates=re.compile(candidates),
        candidates_any_case=re.compile(candidates, re.IGNORECASE),
    )


def _candidates(number_rows: tuple[dict[str, str], ...], stop_words: frozenset[str]) -> str:
    def first_words(roles: tuple[str, ...]) -> set[str]:
        return {
            _tokens_of(spelling)[0]
            for row in number_rows if row.get("role") in roles and _tokens_of(row.get("word", ""))
            for spelling in _spellings(row["word"], stop_words)
        }

    def alternation(words: set[str]) -> str:
        return _trie_pattern(words) if words else "(?!)"

    starts, articles = first_words(("number", "number_if_counted", "scale_alone")), first_words(("article",))
    scales = first_words(("scale", "scale_alone"))
    # The look-ahead at the first character lets the regex engine skip most positions at once.
    first_chars = re.escape("".join(sorted({word[0] for word in starts | articles})))
    return (
        rf"(?=[\d{first_chars}])"
        rf"(?:\d+|\b(?:{alternation(starts)}|(?:{alternation(articles)})\s+(?:{alternation(scales)}))\b)"
    )


def _trie_pattern(words: set[str]) -> str:
    """One regex for many words, shared prefixes factored out: much faster than a flat alternation."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return pattern(trie)


class _Line:
    """One line's tokens as parallel lists (offsets into the article text) and what the line is."""

    def __init__(self, article_text: str, number: int, start: int, text: str):
        self.number = number
        matches = list(_TOKEN.finditer(text))
        self.kind: list[str] = [m.lastgroup or "sym" for m in matches]
        self.low: list[str] = [m.group().lower() for m in matches]
        self.start: list[int] = [start + m.start() for m in matches]
        self.end: list[int] = [start + m.end() for m in matches]
        self.n = len(matches)
        self.text = article_text
        self.sentence_first = [0] + [
            i for i in range(1, self.n)
            if self.low[i - 1] in _SENTENCE_END and _opens_sentence(article_text[self.start[i]])
        ]
        self.is_list_item = bool(_LIST_MARK.match(text))
        self.all_caps = text.isupper() and len(_WORD.findall(text)) > 1
        self._cues: dict[int, dict[str, tuple[list[int], list[int]]]] = {}    # by sentence, then role
        self._deadlines: dict[range, bool] = {}

    def cues(self, lex: _Lexicon, role: str, i: int) -> tuple[list[int], list[int]]:
        """Where the cues of a clause role start in the sentence holding token i, and their lengths.

        Each sentence is read once, for all roles, and only when a number in or near it needs it."""
        sentence_number = bisect_right(self.sentence_first, i) - 1
        found = self._cues.get(sentence_number)
        if found is None:
            found = self._cues[sentence_number] = {}
            for j, length, cue_role in lex.clause_cues.all_in(self.low, self.sentence(i)):
                if cue_role == "result" and lex.cue("event").at(self.low, j)[0]:
                    continue                                # the event noun (обучението), not training people
                if self.kind[j] != "num":
                    starts, lengths = found.setdefault(cue_role, ([], []))
                    if not starts or starts[-1] != j:        # the longest cue of a role at j comes first
                        starts.append(j)
                        lengths.append(length)
        return found.get(role, _NO_CUES)

    def has_cue(self, lex: _Lexicon, role: str, tokens: range) -> bool:
        """A cue of a clause role starts inside the token range."""
        i = tokens.start
        while i < tokens.stop:
            starts = self.cues(lex, role, i)[0]
            k = bisect_left(starts, i)
            if k < len(starts) and starts[k] < tokens.stop:
                return True
            i = self.sentence(i).stop
        return False

    def has_deadline(self, lex: _Lexicon, tokens: range) -> bool:
        """A year, `this year`, a month or the end of a term shortly after an `until` word in the token range."""
        found = self._deadlines.get(tokens)
        if found is None:
            found = self._deadlines[tokens] = _deadline_in(lex, self.low, tokens)
        return found

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j (i < j) touch without a space."""
        return 0 <= i < j < self.n and self.end[i] == self.start[j]

    def token_at(self, offset: int) -> int | None:
        i = bisect_right(self.start, offset) - 1
        return i if i >= 0 and offset < self.end[i] else None

    def sentence(self, i: int) -> range:
        s = bisect_right(self.sentence_first, i)
        stop = self.sentence_first[s] if s < len(self.sentence_first) else self.n
        return range(self.sentence_first[s - 1], stop)

    def surface(self, first: int, last: int) -> str:
        return self.text[self.start[first]:self.end[last]]


def _opens_sentence(first_char: str) -> bool:
    return first_char.isupper() or first_char in _OPENING_QUOTES


class _Text:
    """The article split in lines, each tokenised only when a number is found in it."""

    def __init__(self, text: str):
        self.text = text
        self.raw_lines = text.split("\n")
        self.line_starts = [0]
        for line in self.raw_lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self._lines: dict[int, _Line] = {}

    def line(self, number: int) -> _Line:
        line = self._lines.get(number)
        if line is None:
            line = _Line(self.text, number, self.line_starts[number], self.raw_lines[number])
            self._lines[number] = line
        return line

    def line_number_at(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def is_clutter(self, number: int) -> bool:
        """A header line of clocks and counters: `14 Mar, 2022 10:05 2371 Marime text`."""
        raw = self.raw_lines[number]
        return (
            bool(_STARTS_WITH_DIGIT.match(raw))
            and bool(_CLOCK_IN_LINE.search(raw))
            and len(_WORD.findall(raw)) <= _CLUTTER_LINE_WORDS_MAX
        )

    def lead_in(self, number: int) -> int | None:
        """For a list item, the line introducing the list when it ends with a colon."""
        if not _LIST_MARK.match(self.raw_lines[number]):
            return None
        for previous in range(number - 1, -1, -1):
            raw = self.raw_lines[previous]
            if raw.strip() and not _LIST_MARK.match(raw):
                return previous if raw.rstrip().endswith(":") else None
        return None

    def first_year_of_body(self) -> int | None:
        """The first year written after the headline, outside clutter lines."""
        for number in range(1, len(self.raw_lines)):
            if self.is_clutter(number):
                continue
            year = _YEAR_IN_TEXT.search(self.raw_lines[number])
            if year:
                return int(year.group())
        return None


@dataclass
class _Number:
    value: float
    first: int                 # first and last token of the number (with its scale word)
    last: int
    year_like: bool = False
    needs_counted_noun: bool = False


@dataclass
class _Mention:
    fact: NumberFact
    line: _Line
    token: int
    unit: tuple[int, int]       # first and last token of the counted noun phrase


def extract(article: Article) -> list[NumberFact]:
    if article.language not in LANGUAGES or not article.text:
        return []
    return find_numbers(article.text, article.language, _publication_year(article))


def _publication_year(article: Article) -> int | None:
    if article.published_year:
        return article.published_year
    for day in (article.published, article.event.published_date, article.event.start):
        if day is not None:
            return day.year
    return None


def find_numbers(text: str, lang: str, publication_year: int | None = None) -> list[NumberFact]:
    """The quantitative facts of `text` in order of appearance, one per distinct fact."""
    lex = _lexicon(lang)
    doc = _Text(text)
    mentions: list[_Mention] = []
    consumed_until = 0
    lowered = text.lower()
    if len(lowered) == len(text):
        candidates = lex.candidates.finditer(lowered)
    else:                                           # lower() changed offsets (İ): search ignoring case
        candidates = lex.candidates_any_case.finditer(text)
    for candidate in candidates:
        if candidate.start() < consumed_until:
            continue
        line_number = doc.line_number_at(candidate.start())
        if doc.is_clutter(line_number):
            continue
        line = doc.line(line_number)
        i = line.token_at(candidate.start())
        if i is None:
            continue
        number = _read_number(line, i, lex)
        consumed_until = line.end[number.last if number else i]
        mention = number and _judge(doc, line, number, lex, mentions[-1] if mentions else None)
        if mention:
            mentions.append(mention)
    fact_tokens = {(m.line.number, m.token) for m in mentions}
    targets = [m for m in mentions if m.fact.kind == "target"]
    if targets:
        reference_year = publication_year or doc.first_year_of_body()
        for mention in targets:
            mention.fact.year = _target_year(doc, mention, fact_tokens, reference_year, lex)
    return _distinct(mentions)


def _is_year(low: str) -> bool:
    return len(low) == 4 and low.isdigit() and int(low) in _YEAR_RANGE


def _digits_value(low: str) -> float | None:
    """1.500 / 1 500 -> 1500, 2,5 -> 2.5; None for dates, times, codes and ranges (20.02, 9:30, 264/2005)."""
    if low.startswith("0") and not low.startswith("0,"):
        return None                         # phone numbers, 04 in a date
    if not (_PLAIN.fullmatch(low) or _THOUSANDS.fullmatch(low)):
        return None
    return float(low.replace(".", "").replace(" ", "").replace(",", "."))


def _number_word(lex: _Lexicon, low: list[str], i: int) -> tuple[int, float, str]:
    length, value = lex.number_words.at(low, i)
    if not length or value is None:
        return 0, 0.0, ""
    amount, role = value.split("\t")
    return length, float(amount), role


def _read_number(line: _Line, i: int, lex: _Lexicon) -> _Number | None:
    """The number starting at token i, digits or words, with any scale word after it."""
    if line.kind[i] != "num":
        return _read_number_words(line, i, lex)
    value = _digits_value(line.low[i])
    if value is None:
        return None
    number = _Number(value, i, i, year_like=_is_year(line.low[i]))
    j = i + 1
    length, scale, role = _number_word(lex, line.low, j)
    if role == "connector":                           # 300 de mii
        j += length
        length, scale, role = _number_word(lex, line.low, j)
    if role.startswith("scale"):                      # 2,5 milioane, 1,2 млн., 10 mil
        number.value *= scale
        number.last = j + length - 1
        number.year_like = False
    return number


def _read_number_words(line: _Line, i: int, lex: _Lexicon) -> _Number | None:
    total = current = 0.0
    counted = False                 # a word giving a count (not an article alone)
    article_only = True
    needs_counted_noun = False
    j = last = i
    while j < line.n:
        length, value, role = _number_word(lex, line.low, j)
        if not length:
            break
        if role == "connector":
            next_role = _number_word(lex, line.low, j + length)[2]
            if j == i or not next_role or next_role == "connector":
                break
            j += length
            continue
        if role.startswith("scale"):
            if j == i and role != "scale_alone":
                return None                         # "mii de oameni": thousands, no number
            if value < 1000:
                current = (current or 1) * value
            else:
                total += (current or 1) * value
                current = 0
            counted = True
        elif role == "article":
            if j != i:
                break
            current = 1
        else:
            if j != i and article_only and not counted:
                return None                         # "o nouă etapă": article + adjective
            current += value
            counted = True
            needs_counted_noun = needs_counted_noun or role == "number_if_counted"
        article_only = article_only and role == "article"
        last = j + length - 1
        j += length
    if not counted:
        return None
    return _Number(total + current, i, last, needs_counted_noun=needs_counted_noun)


def _judge(doc: _Text, line: _Line, number: _Number, lex: _Lexicon, previous: _Mention | None) -> _Mention | None:
    """The fact this number states, or None when it is no fact (date, code, clutter, bare number);
    `previous` is the fact found just before it."""
    low = line.low
    first, last = number.first, number.last
    if first and line.kind[first - 1] == "num" and _CLOCK.fullmatch(low[first - 1]):
        return None                                 # a view counter after a clock
    currency_len, currency = lex.currencies.ending(low, first - 1)
    before = first - currency_len                   # first token of currency + number
    if not currency_len and _attached_before(line, first):
        return None
    if _attached_after(line, last):
        return None
    if lex.cue("ordinal").ending(low, last)[0] > last - first + 1:
        return None                                 # "a doua etapă": an ordinal built on the cardinal
    qualifier_len, qualifier = lex.qualifiers.ending(low, before - 1)
    if not qualifier_len and not currency_len and _labels_number(line, before - 1, lex):
        return None

    after = last + 1
    if low[after:after + 1] == ["("] and low[after + 2:after + 3] == [")"] and (
        line.kind[after + 1] == "num" or _number_word(lex, low, after + 1)[0]
    ):
        after += 3                                  # "cinco (5) municípios"
    percent_len = lex.cue("percent").at(low, after)[0]
    if percent_len:
        return _mention(doc, line, number, "percent", qualifier, (after, after + percent_len - 1), None)
    after_de = after + lex.cue("number_link").at(low, after)[0]     # 200 de persoane
    currency_after_len, currency_after = lex.currencies.at(low, after_de)
    if currency_after_len:
        unit = (after_de, after_de + currency_after_len - 1)
        return _mention(doc, line, number, "money", qualifier, unit, currency_after)
    if currency_len:
        return _mention(doc, line, number, "money", qualifier, (before, first - 1), currency)
    if lex.cue("month").at(low, after_de)[0] or lex.cue("duration").at(low, after_de)[0]:
        return None

    after_de += lex.cue("unit_skip").at(low, after_de)[0]                # três outras escolas
    if lex.cue("of_them").at(low, after)[0]:
        unit = _previous_unit(line, before, previous)                   # 700 deles: of what was just counted
    else:
        unit = _counted_phrase(line, after_de, lex) or _counted_by_whole(line, after, lex)
    if unit is None and not number.year_like:
        unit = (
            _counted_earlier(line, before, previous, lex)
            or _counted_before(line, before - qualifier_len, previous, lex)
            or _counted_subject(line, before - qualifier_len, after, lex)
        )
    if unit is None:
        return None
    unit_end = max(unit[1], last)
    head = unit[0]
    if lex.cue("generic").at(low, head)[0]:
        return None
    is_vague = bool(lex.cue("vague").at(low, head)[0])
    if is_vague and _is_anaphoric(line, number, before, lex):
        return None                                 # "as duas áreas": the two already named
    is_participant = bool(lex.cue("participants").at(low, head)[0])
    head_is_person = bool(lex.cue("person").at(low, head)[0])
    is_person = head_is_person or any(                                          # нови социални работници
        lex.cue("person").at(low, k)[0] for k in range(head + 1, unit[1] + 1)
    )
    known_noun = is_participant or head_is_person or bool(lex.cue("counted").at(low, head)[0])
    if number.needs_counted_noun and not known_noun:
        return None
    if number.year_like and not (known_noun or qualifier_len):
        return None                                 # a year: "în 2021 Primăria", "2019 г."
    context = _context(doc, line, first)
    if not is_vague and _states_forecast(doc, line, first, previous, lex):
        kind = "target"
    elif is_participant or (is_person and (
        _any_cue(lex, "attend", context) or _after_event(line, before - qualifier_len - 1, lex)
    )):
        kind = "participants"
    elif (
        is_vague or _states_stock(line, first, unit_end, lex) or _beside_goal(line, before - qualifier_len, previous, lex)
    ):
        kind = "count"
    elif _states_target(doc, line, first, unit_end, lex):
        kind = "target"
    else:
        kind = "count"
    return _mention(doc, line, number, kind, qualifier, unit, None)


def _beside_goal(line: _Line, j: int, previous: _Mention | None, lex: _Lexicon) -> bool:
    """After a goal read from a future verb or people taking part in the same sentence, a number behind a place,
    origin or feature preposition says where, from where or with what: `vai equipar 40 salas em 12 escolas`,
    `vor participa 70 de asistenți din 37 de primării`. A plan word (meta, цел) makes the whole clause the goal:
    `a meta é chegar a 500 famílias em 20 bairros`."""
    return (
        previous is not None and previous.line is line and previous.fact.kind in ("target", "participants")
        and line.sentence(previous.token) == line.sentence(j)
        and bool(lex.cue("place_before").ending(line.low, j - 1)[0])
        and not line.has_cue(lex, "target", _clause(line, j, lex))
    )


def _states_forecast(doc: _Text, line: _Line, first: int, previous: _Mention | None, lex: _Lexicon) -> bool:
    """Someone expects the number to come, the first number after the cue in its clause: a goal, even of people
    (organizatorii se așteaptă la 800 de vizitatori din 12 localități). People announced as expected (sunt
    așteptați 70 de participanți) take part."""
    context = _clause_context(doc, line, first, lex)
    starts = line.cues(lex, "forecast", first)[0]
    k = bisect_left(starts, first) - 1
    if k < 0 or starts[k] < context[0][1].start:
        return False
    if previous is not None and previous.line is line and starts[k] < previous.token < first:
        return False
    return not _any_cue(lex, "awaited", context)


def _attached_before(line: _Line, i: int) -> bool:
    """COVID-19, H1N1, +40 21…, Бюджет`2019: a number glued to what precedes it is part of a name or code."""
    j = i - 1
    if not line.adjacent(j, i):
        return False
    if line.kind[j] in ("word", "num"):
        return True
    return line.low[j] in "+#№" or (line.kind[j] == "sym" and line.adjacent(j - 1, j) and line.kind[j - 1] != "sym")


def _attached_after(line: _Line, i: int) -> bool:
    """10h, 1º, 3-a, 5-lea, 2-ри, 3.º, 25°: a number glued to letters is a time, an ordinal or a measure."""
    j = i + 1
    if not line.adjacent(i, j):
        return False
    if line.kind[j] in ("word", "num") or line.low[j] == "°":
        return True
    return line.low[j] in "-." and line.adjacent(j, j + 1) and line.kind[j + 1] == "word"


def _labels_number(line: _Line, j: int, lex: _Lexicon) -> bool:
    """The words just before the number make it an id, date, time or label (cod, nr., dia, ora, Sala 3, POCU)."""
    if j < 0:
        return False
    for role in ("code_before", "date_before", "time_before"):
        if lex.cue(role).ending(line.low, j)[0]:
            return True
    ratio_len = lex.cue("ratio_before").ending(line.low, j)[0]
    if ratio_len and j - ratio_len >= 0 and line.kind[j - ratio_len] == "num":
        return True                                 # 1 din 3 comune, 1 em cada 5 famílias
    if line.kind[j] != "word" or line.all_caps:
        return False
    word = line.surface(j, j)
    if sum(c.isupper() for c in word) >= 2:
        return True                                 # an acronym: POCU 123456, HG 123
    opens_speech = j > 0 and (line.low[j - 1] in _OPENING_QUOTES or line.low[j - 1] == ":")
    return word[0].isupper() and line.sentence(j).start != j and not opens_speech     # Sala 3, Etapa 2


def _is_unit_word(line: _Line, i: int, lex: _Lexicon, allow_capital: bool, head: bool = False) -> bool:
    if i >= line.n or line.kind[i] != "word":
        return False
    low = line.low
    if _number_word(lex, low, i)[0]:
        return False
    if low[i] in lex.stop_words and not lex.cue("unit_word").at(low, i)[0]:
        return False
    if lex.cue("future").at(low, i)[0]:
        return False                                # "outros 350 deverão ser": a verb, not the counted noun
    if not head and (
        lex.qualifiers.at(low, i)[0]
        or any(lex.cue(role).at(low, i)[0] for role in ("unit_stop", "attend", "target"))
    ):
        return False                                # the verb after the noun: "persoane participă"
    return allow_capital or not line.text[line.start[i]].isupper()


def _counted_phrase(line: _Line, i: int, lex: _Lexicon) -> tuple[int, int] | None:
    """First and last token of the noun phrase counted by a number, starting at token i."""
    if not _is_unit_word(line, i, lex, allow_capital=True, head=True):
        return None
    head_capital = line.text[line.start[i]].isupper()
    last, words = i, 1
    k = i + 1
    while k < line.n and words < _UNIT_WORDS_MAX:
        if lex.cue("unit_link").at(line.low, k)[0] and _is_unit_word(line, k + 1, lex, head_capital):
            last, k, words = k + 1, k + 2, words + 1
        elif _is_unit_word(line, k, lex, head_capital):
            last, k, words = k, k + 1, words + 1
        else:
            break
    return i, last


def _is_anaphoric(line: _Line, number: _Number, before: int, lex: _Lexicon) -> bool:
    """A determiner before the number, or a definite numeral (двете), points back to things already named."""
    anaphoric = lex.cue("anaphoric")
    return bool(anaphoric.ending(line.low, before - 1)[0] or anaphoric.at(line.low, number.first)[0])


def _after_event(line: _Line, j: int, lex: _Lexicon) -> bool:
    """People an event (with at most one adjective after it) is held for or with: `uma capacitação para 120
    profissionais`, `среща с 50 кметове`, `un curs intensiv pentru 30 de primari`."""
    link_len = lex.cue("event_link").ending(line.low, j)[0]
    if not link_len:
        return False
    event = lex.cue("event")
    noun_end = j - link_len
    return bool(event.ending(line.low, noun_end)[0] or (
        line.kind[noun_end] == "word" and line.low[noun_end] not in lex.stop_words
        and event.ending(line.low, noun_end - 1)[0]
    ))


def _states_stock(line: _Line, first: int, unit_last: int, lex: _Lexicon) -> bool:
    """`todos os 295 municípios`, `trei beneficii existente`, `copii aflați în prezent`: things that exist now."""
    return _any_cue(lex, "stock", [(line, _near(line, first, unit_last))])


def _near(line: _Line, first: int, unit_last: int) -> range:
    """The number and its counted noun phrase with a few tokens either side, within the sentence."""
    sentence = line.sentence(first)
    return range(max(sentence.start, first - _NEAR_WINDOW), min(sentence.stop, unit_last + 1 + _NEAR_WINDOW))


def _states_target(doc: _Text, line: _Line, first: int, unit_last: int, lex: _Lexicon) -> bool:
    """A goal or plan: a plan word (meta, цел), what a plan contains by a deadline (prevede ... până în 2026),
    a capacity to come before the number (va putea găzdui 30 de copii), or a future verb with a result verb,
    a deadline or `new` things (vor fi create cinci servicii noi). Without a deadline, what a plan contains
    is a count: `proiectul prevede 12 km de conducte`.

    The future alone is no goal: `vor locui 300 de copii`, `ще работят 12 души` count what will be there.
    """
    context = _clause_context(doc, line, first, lex)
    if _any_cue(lex, "target", context):
        return True
    if _after_capacity(line, first, lex):
        return True
    # A deadline fronted in the sentence governs its later clauses; one in a later clause governs only that clause.
    up_to_clause = range(line.sentence(first).start, context[0][1].stop)
    has_deadline = _has_deadline(lex, [(line, up_to_clause)] + context[1:])
    if has_deadline and _any_cue(lex, "scope", context):
        return True
    if not _any_cue(lex, "future", context):
        return False
    return (
        (_any_cue(lex, "result", context) and not _any_cue(lex, "done", context))
        or has_deadline
        or _any_cue(lex, "new", [(line, range(max(0, first - 1), min(line.n, unit_last + _NEW_AFTER_UNIT + 1)))])
    )


def _after_capacity(line: _Line, first: int, lex: _Lexicon) -> bool:
    """A capacity cue and its verb (with an object or qualifier) right before the number: `va putea găzdui
    zilnic peste 30 de copii`; not a later number of the clause, nor people able to take part (ще могат да
    участват и в два уебинара)."""
    clause = _clause(line, first, lex)
    starts, lengths = line.cues(lex, "capacity", first)
    k = bisect_left(starts, first) - 1
    if k < 0 or starts[k] < clause.start:
        return False
    gap = range(starts[k] + lengths[k], first)
    words = [j for j in gap if not lex.qualifiers.ending(line.low, j)[0]]
    return (
        len(words) <= _CAPACITY_REACH and all(line.kind[j] == "word" for j in gap)
        and not line.has_cue(lex, "attend", gap)
    )


def _has_deadline(lex: _Lexicon, context: list[tuple[_Line, range]]) -> bool:
    """A deadline in the context: até 2026, până la sfârșitul anului, до края на 2025 г., até ao fim do mandato,
    până în martie."""
    return any(line.has_deadline(lex, tokens) for line, tokens in context)


def _deadline_in(lex: _Lexicon, low: list[str], tokens: range) -> bool:
    ends = lex.deadline_ends
    for k in lex.cue("deadline").ends_in(low, tokens):
        for j in range(k + 1, min(k + 1 + _DEADLINE_REACH, tokens.stop)):
            if _is_year(low[j]) or ends.at(low, j)[0]:
                return True
    return False


def _clause_context(doc: _Text, line: _Line, i: int, lex: _Lexicon) -> list[tuple[_Line, range]]:
    """Like `_context`, but only the clause of the sentence holding token i (`..., iar ...`, `... и че ...`)."""
    return [(line, _clause(line, i, lex))] + _context(doc, line, i)[1:]


def _clause(line: _Line, i: int, lex: _Lexicon) -> range:
    """The tokens of the clause holding token i: its sentence cut at `clause_break` cues."""
    sentence = line.sentence(i)
    start, stop = sentence.start, sentence.stop
    for at, length in zip(*line.cues(lex, "clause_break", i)):
        if at >= stop:
            break
        if at < start or not _breaks_clause(line, at):
            continue
        if at + length <= i:
            start = at
        elif at > i:
            stop = at
            break
    return range(start, stop)


def _counted_earlier(line: _Line, before: int, previous: _Mention | None, lex: _Lexicon) -> tuple[int, int] | None:
    """For a bare number, the noun after `the number of` earlier in its clause (numărul beneficiarilor a
    ajuns la 4.500, o número de inscritos passou de 300), or the noun of a whole it is part of (Dintre cele
    20 de școli, doar 7 au ...). `Their number` counts what the fact before it in the sentence counts
    (lucrează 80 de mediatori, iar numărul lor va ajunge la 120)."""
    clause_start = _clause(line, before, lex).start
    latest, unit = -1, None
    for role, read_from in (("number_of", _counted_phrase), ("whole_before", _counted_after_number)):
        starts, lengths = line.cues(lex, role, before)
        k = bisect_left(starts, before) - 1
        if k >= 0 and latest < starts[k] and starts[k] >= clause_start:
            latest, unit = starts[k], read_from(line, starts[k] + lengths[k], lex)
            if role == "number_of" and unit is None and lex.cue("possessive").at(line.low, starts[k] + lengths[k])[0]:
                unit = _previous_unit(line, before, previous)
    return unit


def _counted_by_whole(line: _Line, i: int, lex: _Lexicon) -> tuple[int, int] | None:
    """The part of a whole counts what the whole counts: `12 dos 40 concelhos`, `5 от общо 28 общини`."""
    length = lex.cue("whole_before").at(line.low, i)[0]
    return _counted_after_number(line, i + length, lex) if length else None


def _counted_after_number(line: _Line, i: int, lex: _Lexicon) -> tuple[int, int] | None:
    """The noun phrase counted by the number starting at token i."""
    if i >= line.n:
        return None
    number = _read_number(line, i, lex)
    if number is None:
        return None
    after = number.last + 1
    after += lex.cue("number_link").at(line.low, after)[0]
    return _counted_phrase(line, after + lex.cue("unit_skip").at(line.low, after)[0], lex)


def _counted_before(line: _Line, j: int, previous: _Mention | None, lex: _Lexicon) -> tuple[int, int] | None:
    """`outros 250`, `alte 30`, `още 15` with no noun: more of what the fact just before in the sentence counts."""
    return _previous_unit(line, j, previous) if lex.cue("others_before").ending(line.low, j - 1)[0] else None


def _previous_unit(line: _Line, j: int, previous: _Mention | None) -> tuple[int, int] | None:
    """The noun counted by the fact just before token j in its sentence, unless that fact is money or a percent."""
    if (
        previous is None or previous.line is not line or previous.fact.kind in ("money", "percent")
        or line.sentence(previous.token) != line.sentence(j)
    ):
        return None
    return previous.unit


def _counted_subject(line: _Line, j: int, after: int, lex: _Lexicon) -> tuple[int, int] | None:
    """A number stated of its clause's subject after a copula, ending the clause: `Formatorii vor fi trei.`,
    `Лекторите ще бъдат двама – ...`: it counts the subject."""
    copula_len = lex.cue("copula_before").ending(line.low, j - 1)[0]
    if not copula_len:
        return None
    clause = _clause(line, j, lex)
    if after < clause.stop and not (line.low[after] in _SENTENCE_END or line.kind[after] == "sym"):
        return None
    copula = j - copula_len
    for k in range(clause.start, copula):
        if line.kind[k] == "num" or (line.kind[k] == "word" and line.low[k] not in lex.stop_words):
            break
    else:
        return None
    subject = _counted_phrase(line, k, lex) if line.kind[k] == "word" else None
    if subject is None or copula - subject[1] > _SUBJECT_REACH:
        return None
    return subject


def _breaks_clause(line: _Line, j: int) -> bool:
    """A dash breaks a clause when spaced (`– ajutorul social`), not inside a range (`2024–2027`)."""
    return line.low[j] not in _DASHES or not (line.adjacent(j - 1, j) or line.adjacent(j, j + 1))


def _context(doc: _Text, line: _Line, i: int) -> list[tuple[_Line, range]]:
    """Where the kind is decided: the sentence, and for a list item the line introducing the list."""
    context = [(line, line.sentence(i))]
    lead_in = doc.lead_in(line.number)
    if lead_in is not None:
        lead_line = doc.line(lead_in)
        context.append((lead_line, range(lead_line.n)))
    return context


def _any_cue(lex: _Lexicon, role: str, context: list[tuple[_Line, range]]) -> bool:
    return any(line.has_cue(lex, role, tokens) for line, tokens in context)


def _mention(
    doc: _Text, line: _Line, number: _Number, kind: str, qualifier: str | None,
    unit: tuple[int, int], currency: str | None,
) -> _Mention:
    fact = NumberFact(
        value=number.value,
        unit=line.surface(*unit),
        kind=kind,
        qualifier=qualifier or "exact",
        currency=currency,
        text=_fragment(line, number.first),
        start=line.start[number.first],
        end=line.end[number.last],
    )
    return _Mention(fact, line, number.first, unit)


def _fragment(line: _Line, i: int) -> str:
    sentence = line.sentence(i)
    start, end = line.start[sentence.start], line.end[sentence.stop - 1]
    if end - start > _FRAGMENT_MAX:
        half = _FRAGMENT_MAX // 2
        start, end = max(start, line.start[i] - half), min(end, line.start[i] + half)
    return line.text[start:end].strip()


def _target_year(
    doc: _Text, mention: _Mention, fact_tokens: set[tuple[int, int]], reference_year: int | None, lex: _Lexicon,
) -> int | None:
    """The year a target refers to: one written near it in its clause, else this or next year by the cue words."""
    context = _clause_context(doc, mention.line, mention.token, lex)
    for line, tokens in context:
        nearby = [
            (abs(j - mention.token) if line is mention.line else j, int(line.low[j]))
            for j in tokens
            if _is_year(line.low[j]) and (line.number, j) not in fact_tokens
        ]
        if nearby:
            return min(nearby)[1]
    if reference_year is None:
        return None
    if _any_cue(lex, "year_this", context):
        return reference_year
    if _any_cue(lex, "year_next", context):
        return reference_year + 1
    return None


def _distinct(mentions: list[_Mention]) -> list[NumberFact]:
    """One row per fact: a fact restated (headline and body) is kept once, distinct list items each.

    A restatement counts the same value of the same head noun (`120 profissionais` ~ `120 profissionais da
    rede`), or the same number of people taking part however they are named (`peste 300 de participanți` in
    the headline ~ `peste 300 de primari și experți` in the body; `circa 300` is another statement); when one of them says the people took part, the
    fact is about participants. A headline's bare count that the body states as a goal is that goal.
    """
    kept: list[tuple[tuple[float, str], _Mention]] = []
    for mention in mentions:
        key = _fact_key(mention.fact)
        same = next((
            other for other_key, other in kept
            if (other_key == key or _same_attendance(other.fact, mention.fact))
            and not (other.line.is_list_item and mention.line.is_list_item and other.line is not mention.line)
        ), None)
        if same is None:
            kept.append((key, mention))
        elif mention.fact.kind == "participants" and same.fact.kind == "count":
            same.fact.kind = "participants"     # the key stays: it depends on the kind only for money
        elif mention.fact.kind == "target" and same.fact.kind == "count" and same.line.number == 0:
            same.fact.kind, same.fact.year = "target", mention.fact.year    # the body tells a headline's goal
    return [mention.fact for _, mention in kept]


def _same_attendance(a: NumberFact, b: NumberFact) -> bool:
    return a.kind == b.kind == "participants" and (a.value, a.qualifier) == (b.value, b.qualifier)


def _fact_key(fact: NumberFact) -> tuple[float, str]:
    unit = fold(fact.unit or "")
    return fact.value, (fact.currency or unit if fact.kind == "money" else unit.split(" ", 1)[0])
