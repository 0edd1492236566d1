"""Places: the locality where the article's main event happens, and its venue.

Localities are found by looking up capitalised word sequences (and Romanian
case forms: `Constanței`, `Bucureștiului`) in the gazetteer
(`extractors.gazetteer`). A name counts as a place only when its context says
so: a locative preposition or settlement word before it (`în orașul`, `в`,
`município de`), a region beside it (`(MG)`, `jud. Arad`), a dateline, or,
for a sizeable town, nothing against it (not inside a person's or a body's
name, not after a street word). Context words live in `models/<lang>/places.tsv`.

Each mention gets an evidence score: near an event phrase (`a avut loc`,
`се провежда`, `acontece em`) is best, unless its sentence is about another
event of a series (`Următoarea sesiune`, `No ano passado`); then the dateline
(`Lages (SC) –`, `ПЛОВДИВ, 12 март.`, `Гр. Елхово /`; best of all for an
online event), the headline, a settlement named with its municipality after a
locative (`в село X, община Y`; then the organiser's name counts for nothing),
the organiser's name (`Câmara Municipal de X`), and plain mentions. A name shared by several localities is resolved by the
regions and countries the text names, the language's country prior and the
localities' size. The venue rule is described at `_venue` below.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from extractors.gazetteer import Gazetteer, Locality, load, name_key
from pipeline.article import Article, Organisation, Place
from pipeline.resources import read_list, read_table
from pipeline.textnorm import fold, to_latin

BARE_MIN_POPULATION = 50_000   # a town named with no place context must be at least this big
CONTEXT_WORDS = 4              # longest context phrase looked for before a name
EVENT_WINDOW_WORDS = 25        # how far from an event phrase a place still counts as the event's
OTHER_YEAR_REACH = 30           # characters after an event phrase and its place where another year still belongs
UNLISTED_MAX_WORDS = 3         # words of a name after a settlement word that no gazetteer lists
UNLISTED_ADMIN_GAP = 30        # `с. X, община Y`: most characters to a municipality giving X's region
VENUE_AFTER_VERB_WORDS = 8     # most words from an event verb to its building (`decorreu, pelas 15h00, no Salão`)
VENUE_MODIFIERS = 3            # lower-case words between a room's head and its building (`sala de conferințe a`)
VENUE_NAME_REACH = 80          # most characters from a building's head word to the place after its name
ATTACHED_ADMIN_GAP = 20        # `Ciugud, jud. Alba`, `Foz do Iguaçu (PR)`: most characters between name and region

# Evidence scores; the event's place is the mention with the highest.
EVENT_CUE_SCORE = 100.0
EVENT_NOUN_PENALTY = 30.0      # an event noun (`conferința`) says less than an event verb (`a avut loc`)
# How much less an event phrase counts for a place by the context before the place.
EVENT_CONTEXT_PENALTY = {
    "typed": 0.0, "locative": 0.0, "listed": 0.0, "seat": 40.0, "origin": 45.0, "bare": 40.0, "embedded": 60.0,
}
DATELINE_SCORE = 80.0
ONLINE_DATELINE_SCORE = 150.0
HEADLINE_SCORE = 60.0
ORGANISER_SCORE = 50.0
# `в село X, община Y`, `na freguesia de X, concelho de Y`: the text says where; a municipality's event
# often happens in one of its villages, so this beats the organiser's seat, which then counts for nothing.
PLACED_SETTLEMENT_SCORE = 55.0
# `embedded`: a big town inside a body's name (`Consiliul Județean Iași`), the last resort.
CONTEXT_SCORES = {"typed": 30.0, "locative": 40.0, "seat": 25.0, "origin": 20.0, "bare": 10.0, "embedded": 5.0}
COUNTRY_CUE_WEIGHT = 0.75     # each cue word (`prefeito`, `concelho`, `raionul`) adds this to its country's prior
REPEAT_BONUS, MAX_REPEAT_BONUS = 3.0, 12.0


class _FoldTable(dict):
    """str.translate table folding each character to ONE character, so offsets survive."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = fold(char)
        value = folded if len(folded) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()
_UPPER = "".join(c for c in map(chr, range(0x530)) if c.isupper())
# `(?<!\w.)` after the first letter, not `(?<!\w)` before it: re then skips fast to upper-case letters.
_CAPITALISED = re.compile(rf"[{re.escape(_UPPER)}](?<!\w.)\w*(?:['’]\w+)*")
_NEXT_WORD = re.compile(r"[ -]\w+(?:['’]\w+)*")
_NAME_GOES_ON = re.compile(rf" (?:de|do|da|dos|das) [{re.escape(_UPPER)}]\w*")
# A `.` ends a sentence after a word of four letters or more (also one ending the line before), not
# after `jud.`, `Bd.`, `nr.`. The class of all ends comes first: re then skips fast to them.
_SENTENCE_END = re.compile(
    r"[\n.!?…](?:(?<=\n)|(?:(?<=[!?…])|(?<=\w{4}\.)|(?<=\w{4}\n\.))"
    rf"(?=\s+[\"„“«(]?[{re.escape(_UPPER)}0-9]))"
)
# After a dateline's locality: a state code, a date, then a dash, a slash or a full stop
# (`Lages (SC) –`, `Iași, 12 martie 2024 –`, `ПЛОВДИВ, 12 март.`, `Враца / `), or a date alone.
_DATELINE_TAIL = re.compile(
    r"\s*(?:\(\s*[A-Z]{2}\s*\)|/\s*[A-Z]{2}\b)?"
    r"(?:(?:\s*,[^\n–—]{0,45}?)?(?:\s*[–—-]\s|\s+/\s)"
    rf"|(?:\s*,[^\n–—.]{{0,20}}\d[^\n–—]{{0,20}}?)?\.[ \t]+(?=[\"„“«]?[{re.escape(_UPPER)}])"
    r"|\s*,[^\n]{0,30}?\d[^\n]{0,25}(?=\n))"        # alone on its line: `София, 13 октомври 2025 г.`
)
_YEAR = re.compile(r"(?:19|20)(?<!\d\d\d)\d\d(?!\d|\s*[-–/]\s*\d)")     # `(?<!...)` after `19`: a fast scan
_DATELINE_HEAD = re.compile(r"[ \t]*(?:\w{1,4}\.[ \t]*)?")     # before a dateline's locality: nothing, or `гр.`
# `(MG)`, `/MG`, ` - MG` (this one found from its dash, re then skips fast to the first characters).
_UF_CODE = re.compile(r"[(/\-–](?:(?<=\()\s*([A-Z]{2})\s*\)|(?<=/)([A-Z]{2})\b|(?<=\s[-–])\s?([A-Z]{2})\b)")
_QUOTED = re.compile(r"[„“\"«][^„“”\"«»\n]{1,80}[”“\"»]")
_HOUSE_NUMBER = re.compile(r"\s*,?\s*(?:(?:nr|n[º°o]|№|no)\.?\s*)?\d+[A-Za-z]?(?:/\d+)?(?!\w)")
_BEFORE_PLACE = re.compile(r"\s*,?\s*(?:\w{1,3}\s+)?")     # between a venue and its town: `, `, ` din `
_ADDRESS_LINK = re.compile(r"\s*,\s*(?:\w{1,3}\s+)?")      # between a venue and its street: `, `, `, na `
_ABBREVIATION_DOT = re.compile(rf"\.(?= [{re.escape(_UPPER)}])")
_WORD = re.compile(r"\S+")
_NAME_WORD = re.compile(r"[ \t]+(\w+(?:['’.-]\w+)*)")


_OPENING = "([„\"«'"                  # stripped from a context phrase's first word


def fold_same_length(text: str) -> str:
    return text.translate(_FOLD_TABLE)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


# ---------------------------------------------------------------- language data

@dataclass(frozen=True)
class _Lexicon:
    countries: dict[str, float]                  # country -> prior weight
    before: dict[str, str]                       # folded context phrase -> its kind
    before_last_words: frozenset[str]            # the last word of each context phrase
    scanner: re.Pattern | None                   # event phrases, aliases and country cues in one pass
    scanned_kinds: tuple[str, ...]               # the scanner's capture group -> its kind
    venue: re.Pattern | None
    locality_links: frozenset[str]               # `din` in `Hotel X din Vaslui`: the locality is not in the name
    venue_base: dict[str, str]                   # folded oblique venue head -> its base form (`hotelului` -> `hotelul`)
    street_at: re.Pattern | None
    street_after_space: re.Pattern | None        # ` str.`, `\nRua`: re skips fast to the space
    ambiguous: dict[str, frozenset[str]]         # key -> prepositions that license it
    not_place: frozenset[str]
    aliases: dict[str, str]                      # key -> the gazetteer name's key
    alias_words_by_first: dict[str, int]
    inflections: tuple[tuple[str, str], ...]
    first_names: frozenset[str]
    place_endings: tuple[str, ...]               # endings of place names made from a person's (`Даново`)


@lru_cache(maxsize=1)
def _letter_variants() -> dict[str, str]:
    """Folded letter -> the lower-case letters folding to it (`a` -> `aăâáàã`)."""
    variants: dict[str, set[str]] = defaultdict(set)
    for code in range(0x20, 0x530):
        char = chr(code)
        if char == char.lower():
            variants[_FOLD_TABLE[code]].add(char)
    return {k: "".join(sorted(v)) for k, v in variants.items()}


def _phrase_atoms(phrase: str) -> list[str]:
    """A phrase as regex pieces over lower-cased text, one per letter, blind to diacritics;
    `word*` is a prefix."""
    variants = _letter_variants()
    atoms: list[str] = []
    for i, word in enumerate(phrase.split()):
        if i:
            atoms.append(r"\s+")
        atoms += [
            f"[{re.escape(variants[c])}]" if len(variants.get(c, "")) > 1 else re.escape(c)
            for c in fold_same_length(word.removesuffix("*"))
        ]
        if word.endswith("*"):
            atoms.append(r"\w*")
    return atoms


def _compile(groups: dict[str, list[str]], template: str = r"(?<!\w)(?:{})(?!\w)") -> tuple[re.Pattern | None, tuple[str, ...]]:
    """One pattern for phrase groups, and the group name of each capture group (`match.lastindex`).

    Phrases are grouped by their first letter (`[aăâ](?:(...)|(...))`): Python's re then tries only
    the phrases that can start at a position, not every phrase everywhere.
    """
    by_first: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, phrases in groups.items():
        # Longest first, so multi-word phrases win over their first word.
        for atoms in sorted({tuple(_phrase_atoms(p)) for p in phrases}, key=lambda a: (-len("".join(a)), a)):
            by_first[atoms[0]][name].append("".join(atoms[1:]))
    names: list[str] = [""]
    branches = []
    for first, rests in by_first.items():
        alternatives = []
        for name in groups:
            if rests.get(name):
                alternatives.append(f"({'|'.join(rests[name])})")
                names.append(name)
        branches.append(f"{first}(?:{'|'.join(alternatives)})")
    return (re.compile(template.format("|".join(branches))) if branches else None), tuple(names)


def _words_by_first(keys) -> dict[str, int]:
    longest: dict[str, int] = {}
    for key in keys:
        words = key.split()
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


# Context kinds in the order they win when one phrase is listed under two.
_BEFORE_KINDS = ("street", "admin1_type", "seat", "locality_type", "locative", "origin")


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in read_table(lang, "places.tsv"):
        by_kind[row["kind"]].append((row["phrase"], row.get("value", "")))
    phrases = lambda kind: [p for p, _ in by_kind[kind]]
    before = {}
    for kind in reversed(_BEFORE_KINDS):
        before.update({" ".join(fold_same_length(p).split()): kind for p in phrases(kind)})
    groups = {
        "event_cue": phrases("event_cue"), "event_noun": phrases("event_noun"),
        "other_event": phrases("other_event"), "alias": phrases("alias"),
    }
    for phrase, country in by_kind["country_cue"]:
        groups.setdefault(f"country_{country}", []).append(phrase)
    scanner, scanned_kinds = _compile(groups)
    return _Lexicon(
        countries={p: float(v) for p, v in by_kind["country_prior"]},
        before=before,
        before_last_words=frozenset(phrase.split()[-1] for phrase in before),
        scanner=scanner,
        scanned_kinds=scanned_kinds,
        venue=_compile({"venue": phrases("venue")})[0],
        locality_links=frozenset(fold(p) for p in phrases("locality_link")),
        venue_base={" ".join(fold(p).split()): base for p, base in by_kind["venue"] if base},
        street_at=_compile({"street": phrases("street")}, r"(?:{})(?!\w)")[0],
        street_after_space=_compile({"street": phrases("street")}, r"[ \n](?:{})(?!\w)")[0],
        ambiguous={
            name_key(p): frozenset(fold(v) for v in value.split("|") if v)
            for p, value in by_kind["ambiguous"]
        },
        not_place=frozenset(name_key(p) for p in phrases("not_place")),
        aliases={name_key(p): name_key(v) for p, v in by_kind["alias"]},
        alias_words_by_first=_words_by_first(name_key(p) for p in phrases("alias")),
        inflections=tuple((fold(p), fold(v)) for p, v in by_kind["inflection"]),
        first_names=frozenset(name_key(n) for n in read_list(lang, "first_names.txt")),
        place_endings=tuple(fold(p) for p in phrases("place_ending")),
    )


# ---------------------------------------------------------------- the text

@lru_cache(maxsize=65536)
def _folded_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=65536)
def _may_end_context(lang: str, word: str) -> bool:
    """Whether a lower-case word can end a context phrase (most cannot: `context_before` stops there)."""
    last, last_words = _folded_word(word), _lexicon(lang).before_last_words
    return last in last_words or last.lstrip(_OPENING) in last_words or " " in last


@dataclass
class Mention:
    start: int
    end: int
    key: str
    candidates: tuple[Locality, ...]             # localities of this name in the language's countries
    regions: frozenset[str] = frozenset()        # regions (admin1) of this name, if it is one
    context: str = "bare"                        # typed | locative | seat | origin | bare | embedded
    attached_admin1: frozenset[str] = frozenset()
    dateline: bool = False
    in_headline: bool = False
    evidence: float = 0.0
    resolved: Locality | None = None
    unlisted: bool = False                       # named after a settlement word but not in the gazetteer


class _Text:
    """An article's text with what every step needs computed once."""

    def __init__(
        self, text: str, lang: str, organisations: list[Organisation] = (), year: int | None = None,
        year_is_events: bool = False,
    ):
        self.text = text
        self.lang = lang
        # The names of the event's organisers and hosts: a locality in them is their seat.
        self.seats = [
            (o.start, o.end) for o in organisations
            if o.relation in ("organiser", "host") and 0 <= o.start < o.end <= len(text)
        ]
        lower = text.lower()
        # Patterns read lower-cased text (same offsets); names and context are folded where looked up.
        self.lower = lower if len(lower) == len(text) else fold_same_length(text)
        self.lex = _lexicon(lang)
        self.gaz: Gazetteer = load()
        self.sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self.cues: list[tuple[int, int, float]] = []        # event phrases: start, end, penalty
        self.aliases: list[tuple[int, int]] = []
        self.other_events: list[int] = []                   # `the next session`, `last year`: another event
        self.country_cues: Counter[str] = Counter()
        for m in self.lex.scanner.finditer(self.lower) if self.lex.scanner else ():
            kind = self.lex.scanned_kinds[m.lastindex]
            if kind == "event_cue" or kind == "event_noun":
                self.cues.append((m.start(), m.end(), EVENT_NOUN_PENALTY if kind == "event_noun" else 0.0))
            elif kind == "other_event":
                self.other_events.append(m.start())
            elif kind == "alias":
                self.aliases.append((m.start(), m.end()))
            else:
                self.country_cues[kind.removeprefix("country_")] += 1
        self.cue_starts = [start for start, _, _ in self.cues]
        # Years of other events (`realizado em Braga em 2023`; after the event's own year, `decorrerá em
        # Viseu em 2026`), not in a range or a number (`2021-2027`, `nr. 292/2011`).
        self.other_years = [
            y.start() for y in _YEAR.finditer(text) if year and text[y.start() - 1:y.start()] not in ("-", "–", "/", ".")
            and (int(y.group()) < year or year_is_events and int(y.group()) > year)
        ]
        first_break = text.find("\n")
        self.title_end = len(text) if first_break < 0 else first_break

    def cues_in(self, start: int, end: int) -> list[tuple[int, int, float]]:
        """The event phrases starting between `start` and `end`."""
        return self.cues[bisect.bisect_left(self.cue_starts, start):bisect.bisect_left(self.cue_starts, end)]

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[i], end

    def context_before(self, start: int) -> str | None:
        """The kind of context phrase (`în`, `comuna`, `jud.`, `Bd.`) right before `start`."""
        end_char = self.lower[start - 1:start] if start > 0 else ""
        if not end_char.isspace() and end_char != ".":
            return None
        window_start = max(0, start - 60)
        window = self.lower[max(window_start, self.lower.rfind("\n", window_start, start) + 1):start]
        last = window.rsplit(None, 1)[-1:]
        if not last or not _may_end_context(self.lang, last[0]):
            return None
        words = [_folded_word(w) for w in window.rsplit(None, CONTEXT_WORDS)[-CONTEXT_WORDS:]]
        for n in range(len(words), 0, -1):
            phrase = words[-n:]
            phrase[0] = phrase[0].lstrip(_OPENING)
            kind = self.lex.before.get(" ".join(phrase))
            if kind:
                return kind
        return None

    def settlement_word_after_locative(self, start: int) -> bool:
        """Whether a settlement word after a locative comes right before `start` (`в село `, `na freguesia de `)."""
        window_start = max(0, start - 60, self.lower.rfind("\n", 0, start) + 1)
        words = list(_WORD.finditer(self.lower, window_start, start))
        for n in range(min(CONTEXT_WORDS, len(words)) - 1, 0, -1):
            if self.lex.before.get(" ".join(_folded_word(w.group()) for w in words[-n:])) == "locality_type":
                return self.context_before(words[-n].start()) == "locative"
        return False

    def previous_word(self, start: int) -> str:
        match = re.search(r"(\w+)\W*$", self.text[max(0, start - 30):start])
        return fold(match.group(1)) if match else ""

    def starts_sentence(self, pos: int) -> bool:
        before = self.text[max(0, pos - 20):pos].rstrip(" \t")
        return not before and pos <= 20 or before[-1:] in tuple("\n.!?:;\"„“«(–—-•")


# ---------------------------------------------------------------- finding names

def _lookup(lex: _Lexicon, key: str) -> tuple[str, tuple[Locality, ...]]:
    key = lex.aliases.get(key, key)
    if key in lex.not_place:
        return key, ()
    return key, tuple(p for p in load().by_key.get(key, ()) if p.country in lex.countries)


def _regions(lex: _Lexicon, key: str) -> frozenset[str]:
    return frozenset(a for c, a in load().admin1_by_key.get(key, ()) if c in lex.countries)


@lru_cache(maxsize=131072)
def _name(lang: str, raw_key: str) -> tuple[str, tuple[Locality, ...], frozenset[str]]:
    """(base key, localities, regions) a name stands for, trying case endings (`constantei`)."""
    lex = _lexicon(lang)
    regions = _regions(lex, raw_key)
    key, places = _lookup(lex, raw_key)
    if not places:
        for suffix, replacement in lex.inflections:
            if raw_key.endswith(suffix) and len(raw_key) - len(suffix) >= 3:
                key, places = _lookup(lex, raw_key[: -len(suffix)] + replacement)
                if places:
                    break
    return key, places, regions


def _word_ends(t: _Text, end: int, longest: int) -> list[int]:
    """Ends of the 1..longest-word sequences whose first word ends at `end`."""
    ends = [end]
    while len(ends) < longest:
        nxt = _NEXT_WORD.match(t.text, ends[-1])
        if nxt is None:
            break
        ends.append(nxt.end())
    return ends


def _longest_name(t: _Text, word: re.Match) -> Mention | None:
    """The longest locality or region name starting with `word` (`Foz do Iguaçu`, `Велико Търново`)."""
    start, first_end = word.span()
    longest, found = _first_word(t.lang, word.group())
    if longest > 1:
        ends = _word_ends(t, first_end, longest)
        found = _span_name(t.lang, t.text[start:ends[-1]], tuple(end - start for end in ends))
    return None if found is None else Mention(start, start + found[0], *found[1:])


@lru_cache(maxsize=131072)
def _first_word(lang: str, word: str) -> tuple[int, tuple | None]:
    """Most words (at least 1) of a gazetteer name or alias starting with `word`, and, when that is 1,
    what `_span_name` finds for `word` alone."""
    first = fold(word)
    longest = max(load().words_by_first.get(first, 0), _lexicon(lang).alias_words_by_first.get(first, 0), 1)
    return longest, _span_name(lang, word, (len(word),)) if longest == 1 else None


@lru_cache(maxsize=131072)
def _span_name(lang: str, span: str, ends: tuple[int, ...]) -> tuple[int, str, tuple[Locality, ...], frozenset[str]] | None:
    """(end, key, localities, regions) of the longest name among the prefixes of `span` ending at `ends`."""
    for end in reversed(ends):
        key, places, regions = _name(lang, name_key(span[:end]))
        if places or regions:
            return end, key, places, regions
    return None


def _find_names(t: _Text) -> list[Mention]:
    """Capitalised word sequences that name a locality or a region, longest first."""
    mentions: list[Mention] = []
    resume = 0
    for word in _CAPITALISED.finditer(t.text):
        start = word.start()
        if start < resume:
            continue
        hit = _longest_name(t, word)
        if (hit is None or _NAME_GOES_ON.match(t.text, hit.end)) and t.context_before(start) == "locality_type":
            # `с. Равнище`, `freguesia de Santo Amaro de Oeiras`: a locality no package lists.
            end = _unlisted_name_end(t, word)
            key = name_key(t.text[start:end])
            unlikely = key in t.lex.not_place or key in t.lex.ambiguous or _looks_like_person(t.lex, key)
            hit = None if unlikely else Mention(start, end, key, (), unlisted=True)
        if hit is not None:
            mentions.append(hit)
            resume = hit.end
    taken = [(m.start, m.end) for m in mentions]
    for start, end in t.aliases:                 # lower-case ones: `capital mineira`, `столицата`
        if not any(s < end and start < e for s, e in taken):
            key, places = _lookup(t.lex, name_key(t.text[start:end]))
            if places:
                mentions.append(Mention(start, end, key, places))
    mentions += _unlisted_repeats(t, [m for m in mentions if m.unlisted], taken)
    return sorted(mentions, key=lambda m: m.start)


def _unlisted_repeats(t: _Text, unlisted: list[Mention], taken: list[tuple[int, int]]) -> list[Mention]:
    """The other mentions of a locality the text introduced with a settlement word (`с. Равнище`
    ... `в Равнище`): the text has said what the name is."""
    repeats = []
    for name, key in {t.text[m.start:m.end]: m.key for m in unlisted}.items():
        start = t.text.find(name)
        while start >= 0:
            end = start + len(name)
            if (
                not t.text[start - 1:start].isalnum() and not t.text[end:end + 1].isalnum()
                and not any(s < end and start < e for s, e in taken)
            ):
                repeats.append(Mention(start, end, key, (), unlisted=True))
            start = t.text.find(name, end)
    return repeats


def _looks_like_person(lex: _Lexicon, key: str) -> bool:
    """A first name and more (`кметът на общината Иван Петров`): a person, unless the last word
    ends like a place (`с. Христо Даново`)."""
    words = key.split()
    return len(words) >= 2 and words[0] in lex.first_names and not words[-1].endswith(lex.place_endings)


def _unlisted_name_end(t: _Text, first: re.Match) -> int:
    """End of a name of capitalised words (`Горна Малина`, `Nova Esperança`) starting at `first`."""
    end = first.end()
    for _ in range(UNLISTED_MAX_WORDS - 1):
        nxt = _NAME_GOES_ON.match(t.text, end) or _NEXT_WORD.match(t.text, end)
        if nxt is None or not _is_capitalised(nxt.group().split()[-1]):
            break
        end = nxt.end()
    return end


def _uf_codes(t: _Text) -> list[tuple[int, int, frozenset[str]]]:
    """Regions given by code after a name: `Campo Grande (MS)`, `Curitiba/PR`."""
    found = []
    for match in _UF_CODE.finditer(t.text):
        regions = _regions(t.lex, (match.group(1) or match.group(2) or match.group(3)).lower())
        if regions:
            found.append((match.start() - (match.lastindex == 3), match.end(), regions))    # ` - MG` from its space
    return found


def _classify(t: _Text, names: list[Mention]) -> tuple[list[Mention], list[tuple[int, int, frozenset[str]]]]:
    """Split names into locality mentions (with their context) and region mentions."""
    regions = _uf_codes(t)
    candidates = []
    for m in names:
        context = t.context_before(m.start)
        if context == "street":
            continue
        if m.regions and context not in ("locality_type", "seat") and not _names_a_locality(m, context):
            regions.append((m.start, m.end, m.regions))    # `județul Constanța`, `Minas Gerais`
            continue
        if context == "admin1_type" or not (m.candidates or m.unlisted):
            continue
        m.context = {"locality_type": "typed", None: "bare"}.get(context, context)
        candidates.append(m)
    # A name that starts a longer one somewhere (`Aurora dos Campos`) may stand for it elsewhere (`na Aurora`).
    name_heads = {m.key for m in names if _NAME_GOES_ON.match(t.text, m.end)}
    localities = []
    for m in candidates:
        m.attached_admin1 = frozenset().union(*(r for s, _, r in regions if _is_attached(t, m.end, s)))
        line_start = t.text.rfind("\n", 0, m.start) + 1
        m.dateline = bool(_DATELINE_HEAD.fullmatch(t.text, line_start, m.start) and _DATELINE_TAIL.match(t.text, m.end))
        m.in_headline = m.start < t.title_end
        if _is_place(t, m, name_heads):
            localities.append(m)
    return localities, regions


def _names_a_locality(m: Mention, context: str | None) -> bool:
    """A name shared by a region and localities means the locality when it is the region's
    namesake seat (`la Constanța`, `em São Paulo`) or a big city; else the region (`em Mato Grosso`)."""
    return context != "admin1_type" and any(p.admin1 in m.regions or p.rank == 1 for p in m.candidates)


def _is_attached(t: _Text, end: int, region_start: int) -> bool:
    """A region right after a name: `Foz do Iguaçu (PR)`, `Ciugud, jud. Alba`."""
    gap = t.text[end:region_start]
    if end > region_start or len(gap) > ATTACHED_ADMIN_GAP:
        return False
    if t.context_before(region_start) == "admin1_type":
        gap = re.sub(r"[\w.]+(?:\s+[\w.]+)?\s*$", "", gap)    # drop `jud.`, `estado de`
    return re.fullmatch(r"[\s,(/–-]*", gap) is not None


def _is_place(t: _Text, m: Mention, name_heads: set[str]) -> bool:
    strong = m.context in ("typed", "seat") or m.attached_admin1 or m.dateline
    licensed = t.lex.ambiguous.get(m.key)
    if licensed is not None:
        return bool(strong) or t.previous_word(m.start) in licensed
    if not strong and _NAME_GOES_ON.match(t.text, m.end):
        return False                         # the start of a longer name: `Paços do Concelho`
    if not strong and m.key in name_heads and not _is_big(m):
        return False                         # a short form of a longer name given elsewhere
    if strong or m.context == "locative":
        return True
    if m.context == "origin":
        if _follows_venue(t, m.start):
            m.context = "locative"           # `la Hotel Central din Vaslui`: where the building is
            return True
        # `Maria de Oliveira`, `Secretaria de Saúde`: after a capitalised word `de` joins a name,
        # so only a big town counts; elsewhere (`prefeitos de Janaúba`) any locality does.
        return not _follows_name(t, m.start) or _is_big(m)
    # No context: a town big enough to be named alone; inside a longer capitalised name
    # (`Ana Maria Lisboa`, `Consiliul Județean Iași`) only a big town, as a last resort,
    # or any locality ending the name of the event's organiser (`Consiliul Raional Cahul`).
    prev = re.search(r"(\w+) $", t.text[max(0, m.start - 40):m.start])
    nxt = re.match(r" (\w+)", t.text[m.end:m.end + 40])
    if (
        prev and _is_capitalised(prev.group(1)) and not t.starts_sentence(m.start - len(prev.group(0)))
        or nxt and _is_capitalised(nxt.group(1))
    ):
        m.context = "embedded"
    return _is_big(m) or _in_seat_name(t, m)


def _in_seat_name(t: _Text, m: Mention) -> bool:
    return any(s <= m.start and m.end <= e for s, e in t.seats)


def _is_big(m: Mention) -> bool:
    return any(p.population >= BARE_MIN_POPULATION or p.rank == 1 for p in m.candidates)


def _follows_venue(t: _Text, start: int) -> bool:
    """Whether a building's name and one preposition come right before `start` (`Hotel Central din `)."""
    if t.lex.venue is None:
        return False
    line_start = t.text.rfind("\n", 0, start) + 1
    for head in t.lex.venue.finditer(t.lower, max(line_start, start - VENUE_NAME_REACH), start):
        name_end = _venue_name_end(t, head, start, {})
        if name_end is not None and re.fullmatch(r" \w+ ", t.text[name_end:start]):
            return True
    return False


def _follows_name(t: _Text, start: int) -> bool:
    """Whether the word before the preposition before `start` is capitalised mid-sentence."""
    before = re.search(r"(\w+)\s+\w+\s+$", t.text[max(0, start - 60):start])
    return bool(before) and _is_capitalised(before.group(1)) and not t.starts_sentence(start - len(before.group(0)))


# ---------------------------------------------------------------- evidence and resolution

def _event_evidence(t: _Text, m: Mention) -> float:
    """How strongly an event phrase in the mention's sentence makes it the event's place."""
    best = 0.0
    s_start, s_end = t.sentence(m.start)
    if any(s_start <= pos < s_end for pos in t.other_events):
        return best
    for cue_start, cue_end, penalty in t.cues_in(s_start, s_end):
        context = m.context
        if context == "bare" and cue_end <= m.start and t.text[max(0, m.start - 5):m.start].rstrip().endswith(","):
            context = "listed"               # `a avut loc la Hotel X, București`
        lo, hi = (cue_end, m.start) if cue_end <= m.start else (m.end, cue_start)
        clause_end = min(s_end, max(cue_end, m.end) + OTHER_YEAR_REACH)
        if any(min(cue_start, m.start) <= pos < clause_end for pos in t.other_years):
            continue                         # `a avut loc în mai 2023, la Brașov`: another event
        distance = len(t.text[lo:hi].split())
        if distance <= EVENT_WINDOW_WORDS:
            best = max(best, EVENT_CUE_SCORE - penalty - EVENT_CONTEXT_PENALTY[context] - distance)
    return best


def _placed_settlement(t: _Text, m: Mention, nxt: Mention) -> bool:
    """A settlement named after a locative and a settlement word, with the municipality it lies in
    (`в село X, община Y`, `în satul X din comuna Y`), outside sentences about another event."""
    if m.context != "typed" or nxt.context != "typed" or nxt.key == m.key:
        return False
    gap = t.text[m.end:nxt.start]
    link = gap.split(None, 1)[0] if gap.strip() else ""
    if len(gap) > UNLISTED_ADMIN_GAP or "\n" in gap or not (link[:1] == "," or fold(link) in t.lex.locality_links):
        return False
    s_start, s_end = t.sentence(m.start)
    return t.settlement_word_after_locative(m.start) and not any(s_start <= pos < s_end for pos in t.other_events)


def _score(t: _Text, mentions: list[Mention], online: bool) -> None:
    pairs = [(m, nxt) for m, nxt in zip(mentions, mentions[1:]) if _placed_settlement(t, m, nxt)]
    placed = {id(m) for m, _ in pairs}
    # The municipality after such a settlement is its address, not where the event is.
    addresses = {id(nxt) for _, nxt in pairs}
    for m in mentions:
        m.evidence = CONTEXT_SCORES[m.context]
        if id(m) not in addresses:
            m.evidence = max(m.evidence, _event_evidence(t, m))
        if m.dateline:
            m.evidence = max(m.evidence, ONLINE_DATELINE_SCORE if online else DATELINE_SCORE)
        # A headline's `em X` makes X the event's place when the gazetteer or a settlement word vouches for X.
        if m.in_headline and (m.context == "typed" or m.context == "locative" and not m.unlisted):
            m.evidence = max(m.evidence, HEADLINE_SCORE)
        if id(m) in placed:
            m.evidence = max(m.evidence, PLACED_SETTLEMENT_SCORE)
        elif not placed and _in_seat_name(t, m):
            m.evidence = max(m.evidence, ORGANISER_SCORE)


def _country_weights(t: _Text) -> dict[str, float]:
    return {c: prior + COUNTRY_CUE_WEIGHT * min(t.country_cues[c], 4) for c, prior in t.lex.countries.items()}


def _resolve(t: _Text, mentions: list[Mention], regions: list[tuple[int, int, frozenset[str]]]) -> None:
    """Pick each mention's locality among those of its name."""
    countries = _country_weights(t)
    named_regions = Counter(a for _, _, found in regions for a in found)
    for m in mentions:
        if len({p.admin1 for p in m.candidates}) == 1:
            named_regions[m.candidates[0].admin1] += 1

    def score(p: Locality) -> float:
        return (
            2.0 * countries.get(p.country, 0.0)
            + 1.5 * min(named_regions.get(p.admin1, 0), 3)
            + 0.7 * (4 - p.rank)
            + 0.4 * math.log10(p.population + 1)
        )

    for m in mentions:
        if m.candidates:
            attached = [p for p in m.candidates if p.admin1 in m.attached_admin1]
            m.resolved = max(attached or m.candidates, key=score)
    # Repeats of an unlisted name are the locality its settlement word introduced.
    unlisted = sorted((i for i, m in enumerate(mentions) if m.unlisted), key=lambda i: mentions[i].context != "typed")
    localities: dict[str, Locality] = {}
    for i in unlisted:
        m = mentions[i]
        if m.key not in localities:
            localities[m.key] = _unlisted_locality(t, m, mentions[i + 1:], max(countries, key=countries.get))
        m.resolved = localities[m.key]


def _unlisted_locality(t: _Text, m: Mention, later: list[Mention], country: str) -> Locality:
    """A locality the gazetteer lacks, in the text's country and the region named beside it."""
    admin1 = min(m.attached_admin1, default="")
    if not admin1:
        # `с. Равнище, община Брезник`: the region of the municipality named right after.
        nxt = next((n for n in later if n.resolved is not None and n.start - m.end <= UNLISTED_ADMIN_GAP), None)
        if nxt is not None and nxt.resolved.country == country:
            admin1 = nxt.resolved.admin1
    name = t.text[m.start:m.end]
    return Locality(name, to_latin(name, t.lang), admin1, country, None, None, 0, 4)


def _event_place(mentions: list[Mention]) -> Mention | None:
    repeats = Counter(m.resolved for m in mentions)

    def total(m: Mention) -> tuple[float, int]:
        return (m.evidence + min(REPEAT_BONUS * (repeats[m.resolved] - 1), MAX_REPEAT_BONUS), -m.start)

    return max(mentions, key=total, default=None)


# ---------------------------------------------------------------- venue
# The venue is the room or building as the text names it: from its head word to the end of the
# proper name, with the words linking a room to its building (`sala mare a Consiliului Județean`,
# `auditório do Centro Cultural`, `зала „Искър“ на хотел „Рила“`). A head in an oblique case is
# put in its base form (`în incinta Hotelului Dacia` -> `Hotelul Dacia`). The locality after the
# name is left out; a street address right after it is added (`Hotel Dacia, str. Mare nr. 4`).
# With no building named, a street address with a house number (`na Rua das Flores, 120`) is the venue.

def _proper_name_end(t: _Text, pos: int, limit: int, places: dict[int, int], named: bool = False) -> int | None:
    """End of the capitalised, quoted or numbered words from `pos` (`Palatul Culturii`, `„Рила“`),
    with short links inside (`Casa da Cultura`, `Centro Cultural de Cascais`); a locality after a
    locality link ends it (`Hotel X din Vaslui`). `named`: the words before `pos` are a name already."""
    end = pos if named else None
    while pos < limit:
        quoted = _QUOTED.match(t.text, pos + 1) if t.text[pos:pos + 1] == " " else None
        if quoted and quoted.end() <= limit:
            pos = end = quoted.end()
            continue
        word = _NAME_WORD.match(t.text, pos)
        if word is None or word.end() > limit or end is None and word.start(1) in places:
            break
        if _is_capitalised(word.group(1)) or word.group(1).isdigit():
            pos = end = word.end()
            if len(word.group(1)) <= 4 and _ABBREVIATION_DOT.match(t.text, pos):
                pos = end = pos + 1          # `Rua Dr. Alves`, `Bd. Gen. Magheru`
            continue
        following = _NAME_WORD.match(t.text, word.end())
        links = (
            end is not None and len(word.group(1)) <= 3 and following is not None and following.end() <= limit
            and _is_capitalised(following.group(1)) and t.lex.before.get(fold(word.group(1))) != "locative"
            and not (following.start(1) in places and fold(word.group(1)) in t.lex.locality_links)
        )
        if not links:
            break
        pos = word.end()                     # `Centro de Convenções`, `Casa da Cultura`
    return end


def _venue_name_end(t: _Text, head: re.Match, limit: int, places: dict[int, int]) -> int | None:
    """End of a room's or building's name after its head (`Hotel Continental`, `sala de conferințe
    a Primăriei`), None without a proper name."""
    # A capitalised head of several words is a name itself: `Centro de Convenções`.
    own_name = _is_capitalised(t.text[head.start()]) and " " in head.group()
    pos = head.end()
    for _ in range(VENUE_MODIFIERS + 1):
        end = _proper_name_end(t, pos, limit, places, named=own_name)
        if end is not None:
            return end
        # A room's description before the building it belongs to: `sala mare a`, `salão nobre da`.
        word = _NAME_WORD.match(t.text, pos)
        if (
            word is None or word.end() > limit or word.start(1) in places
            or not word.group(1).isalpha() or t.lex.before.get(fold(word.group(1))) == "locative"
        ):
            return None
        link = _NAME_WORD.match(t.text, word.end())
        if link is not None and link.start(1) in places:
            return None                      # `sala din Vaslui`, `sala de Cascais`
        pos = word.end()
    return None


def _street_end(t: _Text, word_end: int, limit: int) -> tuple[int, bool] | None:
    """End of a street address from the end of its street word (`str. Vasile Lupu nr. 5`, `Rua das
    Flores, 120`, `ул. „Искър“ № 3`) and whether it gives a house number."""
    end = _proper_name_end(t, word_end, limit, {})
    if end is None:
        return None
    number = _HOUSE_NUMBER.match(t.text, end, limit)
    return (number.end(), True) if number else (end, False)


def _address_after(t: _Text, pos: int, limit: int, places: dict[int, int]) -> str | None:
    """A street address after a venue, past a locality between: `, București, Bd. X nr. 4`,
    ` din Cluj-Napoca, str. Traian Vuia nr. 1`, `, na Rua das Flores, 120`."""
    if t.lex.street_at is None:
        return None
    for _ in range(2):
        locality = _BEFORE_PLACE.match(t.text, pos, limit)
        if locality and locality.end() in places:
            pos = places[locality.end()]
        link = _ADDRESS_LINK.match(t.text, pos, limit)
        if not link:
            return None
        street = t.lex.street_at.match(t.lower, link.end())
        if street:
            address = _street_end(t, street.end(), limit)
            return t.text[link.end():address[0]] if address else None
        pos = link.end()
    return None


def _bare_address(t: _Text, s_start: int, s_end: int) -> str | None:
    """A street address with a house number after a preposition: `на ул. „Искър“ № 3`."""
    for street in t.lex.street_after_space.finditer(t.lower, s_start, s_end) if t.lex.street_after_space else ():
        street_start = street.start() + 1
        if not re.search(r"(?<!\w)\w{1,3} $", t.lower[max(s_start, street_start - 5):street_start]):
            continue
        address = _street_end(t, street.end(), s_end)
        if address and address[1]:
            return t.text[street_start:address[0]]
    return None


def _venue_text(t: _Text, head: re.Match, name_end: int) -> str:
    """The venue from its head, the head in its base form (`Hotelului X` -> `Hotelul X`)."""
    base = t.lex.venue_base.get(" ".join(fold(head.group()).split()))
    if base is None:
        return t.text[head.start():name_end]
    if _is_capitalised(t.text[head.start()]):
        base = base[:1].upper() + base[1:]
    return base + t.text[head.end():name_end]


def _venue(t: _Text, place: Mention | None, mentions: list[Mention], places: dict[int, int]) -> str | None:
    if t.lex.venue is None:
        return None
    # A building right after an event verb and a preposition (`decorreu no Salão Nobre`), then the place's
    # sentence, then those naming the event or the same locality, in text order.
    starts = t.cue_starts + [m.start for m in mentions if place and m.resolved == place.resolved]
    sentences = [t.sentence(place.start)] if place is not None else []
    sentences += [
        (s, e) for s, e in sorted(set(map(t.sentence, starts)))
        if not any(s <= pos < e for pos in t.other_events)
    ]
    for _, cue_end, penalty in t.cues:
        s_start, s_end = t.sentence(cue_end)
        if penalty or any(s_start <= pos < s_end for pos in t.other_events):
            continue
        venue = _venue_in(t, cue_end, s_end, places, locative_only=True, max_words=VENUE_AFTER_VERB_WORDS)
        if venue:
            return venue
    sentences = list(dict.fromkeys(sentences))
    for s_start, s_end in sentences:
        venue = _venue_in(t, s_start, s_end, places)
        if venue:
            return venue
    return next(filter(None, (_bare_address(t, s, e) for s, e in sentences)), None)


def _venue_in(
    t: _Text, start: int, end: int, places: dict[int, int], locative_only: bool = False, max_words: int | None = None,
) -> str | None:
    """The first building named between `start` and `end` with the address after it."""
    for head in t.lex.venue.finditer(t.lower, start, end):
        if max_words is not None and len(t.text[start:head.start()].split()) > max_words:
            return None
        context = t.context_before(head.start())
        if locative_only and context != "locative":
            continue
        if context in ("origin", "seat") or context != "locative" and not _is_capitalised(t.text[head.start()]):
            continue                         # `a diretora do Centro Distrital`: someone's workplace
        name_end = _venue_name_end(t, head, end, places)
        if name_end is not None:
            address = _address_after(t, name_end, end, places)
            venue = _venue_text(t, head, name_end)
            return f"{venue}, {address}" if address else venue
    return None


# ---------------------------------------------------------------- entry

def find_place(
    text: str, lang: str, online: bool = False, organisations: list[Organisation] | None = None,
    event_year: int | None = None, published_year: int | None = None,
) -> tuple[Locality | None, str | None]:
    """The event's locality and venue in `text`: the pure heart of `extract`. An event phrase near
    another year than `event_year`, or, without it, a year before `published_year`, is another event's."""
    if lang not in ("pt", "ro", "bg") or not text.strip():
        return None, None
    t = _Text(text, lang, organisations or [], event_year or published_year, year_is_events=event_year is not None)
    mentions, regions = _classify(t, _find_names(t))
    _score(t, mentions, online)
    _resolve(t, mentions, regions)
    best = _event_place(mentions)
    places = {m.start: m.end for m in mentions} | {start: end for start, end, _ in regions}
    return (best.resolved if best else None), _venue(t, best, mentions, places)


def extract(article: Article) -> Place:
    published = article.event.published_date or article.published
    place, venue = find_place(
        article.text or "", article.language,
        online=article.event.mode == "online", organisations=article.organisations,
        event_year=article.event.start.year if article.event.start else None,
        published_year=published.year if published else article.published_year,
    )
    if place is None:
        return Place(venue=venue)
    return Place(
        name=place.name, name_latin=place.name_latin, admin1=place.admin1 or None,
        country=place.country, lat=place.lat, lon=place.lon, venue=venue,
    )
