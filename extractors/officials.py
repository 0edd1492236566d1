"""Officials: people named with a function, their role code and the body they serve.

The text is cut into word tokens, on which three kinds of spans are found:
role titles (`models/<lang>/roles.tsv`, matched on words or their lemmas,
longest title first), honorifics (`honorifics.tsv`) and person names (runs of
capitalised words with name particles, backed by a first name, a surname
ending, an honorific or at least by not being a dictionary word; one that starts with a
dictionary word, `Rosa Leal`, counts only in the apposition `TITLE, NAME,`). Each title is
extended with the body it is held in (`în cadrul Ministerului …`, `на община
Смолян`, `, дирекция „…“, МОН`). Titles then link to names in the appositions
press releases use:

    NAME, TITLE [BODY]      TITLE [BODY] NAME      TITLE [BODY], NAME
    NAME, care ocupă din 2021 funcția de TITLE      NAME, que dirige BODY (a verb title)
    TITLE BODY, o enfermeiro NAME (a profession between)

Titles joined by `în calitate de`, `, doamna`, `и` are one person's functions;
the one earliest in SPEC.md's role list is the `role` (but presiding a council
outranks sitting on it), all go to `role_raw`.
A function without a body takes the body of its neighbour in a list of people.
One row per person: a surname-only mention merges with the full name.
The linking words are data too (`official_cues.tsv`).
"""
from __future__ import annotations

import gettext
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from operator import attrgetter

import pycountry
import simplemma

from extractors.gazetteer import load as load_gazetteer
from extractors.gazetteer import name_key
from pipeline.article import Article, Official
from pipeline.morph import nominative
from pipeline.nlp import lemma
from pipeline.resources import LANGUAGES, read_list, read_table
from pipeline.textnorm import fold

# SPEC.md's role list, most senior first: the order decides between two functions.
ROLE_CODES = (
    "head_of_state", "prime_minister", "deputy_prime_minister", "minister", "deputy_minister",
    "secretary_of_state", "secretary_general", "deputy_secretary_general", "governor",
    "deputy_governor", "mayor", "deputy_mayor", "councillor", "member_of_parliament",
    "president", "vice_president", "director", "deputy_director", "executive_director",
    "deputy_executive_director", "head_of_department", "secretary", "coordinator", "manager",
    "expert", "representative", "adviser", "ambassador", "other",
)


_SENIORITY = {code: rank for rank, code in enumerate(ROLE_CODES)}
# Functions held in a town or region: what follows their link is a place (`prefeito de Pedro Teixeira`).
_PLACE_ROLES = frozenset(("mayor", "deputy_mayor", "governor", "deputy_governor"))
_PRESIDING = frozenset(("president", "vice_president"))

MAX_NAME_WORDS = 6
MAX_BODY_LOWER_WORDS = 4        # lower-case words a Bulgarian body name may go on with
MAX_COMPLEMENT_WORDS = 5        # `на труда и социалната политика`
MAX_QUOTE_TOKENS = 40
MAX_LISTED = 8                  # people one plural title names
MAX_LINK_GAP = 8                # tokens between a title and its name (`, conf. univ. dr.`)
MAX_BEFORE_GAP = 10             # tokens between a name and its title (`, care ocupă din 2021 funcția de`)
MAX_TIME_WORDS = 4              # a time phrase before a verb title (`que desde 2019 dirige`)

_TOKEN = re.compile(r"\w+(?:[-‐‑'’]\w+)*|\S")
_TOKEN_SPLIT = re.compile("(" + _TOKEN.pattern + ")")      # tokens between the white space around them
_LINE_BREAK = re.compile("\n")
_HYPHEN = re.compile(r"[-‐‑'’]")
_OPEN_QUOTES = frozenset("„«“\"‚")
_CLOSE_QUOTES = frozenset("“”»\"‘’")
# `,,` opens too; one leading character class lets the regex engine skip ahead quickly
_OPENER = re.compile("[" + re.escape("".join(sorted(_OPEN_QUOTES))) + ",](?:(?<=,)(?=,)|(?<!,))")
_DASHES = frozenset("–—-")
# `… Social (CRAS)`, `… инспекция (РЗИ) – Сливен`: the acronym is no part of the name
_BRACKETED_ACRONYM = re.compile(r"\s*\(\w+\)(?=$|\s+[–—-]\s)")


class Token:
    """A written form and what the rules ask of it, built once per process and shared by
    all its occurrences; where an occurrence lies is in `Context.starts` / `Context.ends`."""
    __slots__ = ("text", "keys", "is_word", "folded", "name_shaped", "all_capitals", "first_name",
                 "title_first", "honorific_first", "cue_kinds", "particle")

    def __init__(self, text: str, lang: str, lex: Lexicon):
        self.text = text
        self.keys = _keys(text, lang)      # folded written form and lemma
        self.is_word = text[:1].isalpha()
        self.folded = fold(text)
        self.name_shaped = _name_shaped(text)
        self.all_capitals = _all_capitals(text)
        self.first_name = any(fold(part) in lex.first_names for part in _HYPHEN.split(text))
        self.title_first = not lex.titles.firsts.isdisjoint(self.keys)
        self.honorific_first = not lex.honorifics.firsts.isdisjoint(self.keys)
        self.cue_kinds = _word_cue_kinds(text, lang)
        self.particle = text.islower() and "particle" in lex.single_cues.get(_match_form(text, lang), ())


@dataclass(frozen=True)
class Entry:
    words: tuple[str, ...]         # folded words of a title / honorific / cue
    payload: tuple[str, ...]       # (role, body_head) for titles, (kind,) for cues


class PhraseIndex:
    """Multi-word entries indexed by their first word; the longest match wins."""

    def __init__(self, entries: list[Entry]):
        by_first: dict[str, list[Entry]] = {}
        for entry in entries:
            by_first.setdefault(entry.words[0], []).append(entry)
        self._by_first = {k: sorted(v, key=lambda e: -len(e.words)) for k, v in by_first.items()}
        self.firsts = frozenset(self._by_first)
        self._longest = max((len(e.words) for e in entries), default=1)
        # Token forms are shared objects, so a window of them is a cheap key for its matches.
        self._by_window: dict[tuple[Token, ...], list[tuple[int, Entry]]] = {}

    def matches(self, tokens: list[Token], i: int, stop: int | None = None) -> list[tuple[int, Entry]]:
        """(end, entry) for every entry matching at token i, longest first."""
        if self.firsts.isdisjoint(tokens[i].keys):
            return []
        stop = len(tokens) if stop is None else stop
        window = tuple(tokens[i:min(stop, i + self._longest)])
        found = self._by_window.get(window)
        if found is None:
            found = self._window_matches(window)
            if len(self._by_window) < 100_000:
                self._by_window[window] = found
        return [(i + length, entry) for length, entry in found]

    def _window_matches(self, window: tuple[Token, ...]) -> list[tuple[int, Entry]]:
        """(length, entry) for every entry matching at the start of the window, longest first."""
        found, seen = [], set()
        for key in window[0].keys:
            for entry in self._by_first.get(key, ()):
                length = len(entry.words)
                if id(entry) in seen or length > len(window):
                    continue
                if all(w in window[n].keys for n, w in enumerate(entry.words[1:], 1)):
                    seen.add(id(entry))
                    found.append((length, entry))
        return sorted(found, key=lambda m: -m[0])

    def match(self, tokens: list[Token], i: int, stop: int | None = None) -> tuple[int, Entry] | None:
        found = self.matches(tokens, i, stop)
        return found[0] if found else None


@dataclass(frozen=True)
class Lexicon:
    titles: PhraseIndex
    honorifics: PhraseIndex
    cues: PhraseIndex
    single_cues: dict[str, frozenset[str]]     # one-word cue -> kinds
    first_names: frozenset[str]
    surname_endings: tuple[str, ...]
    plural_endings: tuple[str, ...]            # of an inflected title (`-ii`, `-ите`, `-es`)
    definite_endings: tuple[str, ...]          # (bg) of an adjective with the article (`-ната`, `-ския`)
    connectors: frozenset[str]                 # words inside a body name (`din`, `на`, `da`)
    org_heads: frozenset[str]                  # first words of organisation names (`Ministerul`)
    lower_case_bodies: bool                    # body names go on in lower case (bg: `Столична община`)


@dataclass
class Title:
    start: int                     # token indexes
    end: int
    role: str
    body_head: str
    raw_end: int = 0               # end of the title with its body and qualifiers
    body: str | None = None        # the body as written
    unit: str | None = None        # a sub-unit as written, when no body is given
    implied_body: str | None = None
    portfolio: bool = False        # a lower-case field follows (`secretária de assistência social`)
    verb: bool = False             # a verb that gives the role (`que dirige o Centro …`)


@dataclass
class Person:
    start: int                     # token indexes
    end: int
    strong: bool                   # a first name, surname ending or honorific backs it
    text: str = ""
    apposed_only: bool = False     # starts with a dictionary word: a name only in `TITLE, NAME,`


@dataclass
class Occurrence:
    """One person linked to one group of titles at one place in the text."""
    person: Person
    titles: list[Title]
    organisation: str | None = None
    first: int = 0                 # token span covering the person and the titles
    last: int = 0


@dataclass
class Context:
    lang: str
    text: str
    tokens: list[Token]
    starts: list[int]                                 # offsets of each token
    ends: list[int]
    line_starts: set[int]                             # tokens after a line break
    lex: Lexicon
    quote_end: dict[int, int]                         # opening quote index -> closing index
    quoted: set[int]
    honorific_end: dict[int, int]                     # start -> end of an honorific
    honorific_tokens: set[int]
    after_honorific: set[int]                         # tokens right after an honorific
    title_at: dict[int, Title] = field(default_factory=dict)
    title_tokens: set[int] = field(default_factory=set)
    person_at: dict[int, Person] = field(default_factory=dict)
    apposed_at: dict[int, Person] = field(default_factory=dict)  # names only in an apposition
    known_bodies: dict[str, str] = field(default_factory=dict)   # folded name/acronym -> output form


# ---------------------------------------------------------------- resources

@lru_cache(maxsize=None)
def _lexicon(lang: str) -> Lexicon:
    titles = [
        Entry(_entry_words(row["title"], lang), (row["role"], row.get("body_head", ""), row.get("form", "")))
        for row in read_table(lang, "roles.tsv") if row.get("role") in _SENIORITY
    ]
    honorifics = [Entry(_entry_words(row["honorific"], lang), ("honorific",))
                  for row in read_table(lang, "honorifics.tsv")]
    cue_rows = read_table(lang, "official_cues.tsv")
    cues, single = [], {}
    endings: dict[str, list[str]] = {"surname_ending": [], "plural_ending": [], "definite_ending": []}
    for row in cue_rows:
        cue, kind = row["cue"], row["kind"]
        if kind in endings:
            endings[kind].append(fold(cue))
            continue
        words = _entry_words(cue, lang)
        cues.append(Entry(words, (kind,)))
        if len(words) == 1:
            single[words[0]] = single.get(words[0], frozenset()) | {kind}
    connectors = {fold(r["word"]) for r in read_table(lang, "org_connectors.tsv")}
    connectors |= {w for w, kinds in single.items() if "body_link" in kinds or "body_tail" in kinds}
    return Lexicon(
        titles=PhraseIndex(titles),
        honorifics=PhraseIndex(honorifics),
        cues=PhraseIndex(cues),
        single_cues=single,
        first_names=frozenset(fold(n) for n in read_list(lang, "first_names.txt")),
        surname_endings=tuple(endings["surname_ending"]),
        plural_endings=tuple(endings["plural_ending"]),
        definite_endings=tuple(endings["definite_ending"]),
        connectors=frozenset(connectors),
        lower_case_bodies=any("body_tail" in kinds for kinds in single.values()),
        org_heads=frozenset(
            fold(form.split()[0]) for row in read_table(lang, "org_heads.tsv")
            for form in [row["head"], *row.get("forms", "").split("|")] if form.strip()),
    )


def _entry_words(phrase: str, lang: str) -> tuple[str, ...]:
    return tuple(_match_form(w, lang) for w in _TOKEN.findall(phrase))


def _match_form(word: str, lang: str) -> str:
    """The form titles and cues are compared on: folded, except that Portuguese keeps
    its accents (`secretária` the official, `Secretaria` the department; `e`, `é`)."""
    return word.lower() if lang == "pt" else fold(word)


_KEYS: dict[str, dict[str, frozenset[str]]] = {lang: {} for lang in LANGUAGES}


def _keys(word: str, lang: str) -> frozenset[str]:
    """Folded form and lemma of a word (of a hyphenated word's last part too), memoised."""
    cache = _KEYS[lang]
    keys = cache.get(word)
    if keys is None:
        if not word[:1].isalpha():
            keys = frozenset((word,))
        else:
            found = {_match_form(word, lang), _match_form(lemma(word, lang), lang)}
            parts = _HYPHEN.split(word)
            if len(parts) > 1:
                found.add(_match_form("-".join(parts[:-1] + [lemma(parts[-1], lang)]), lang))
            keys = frozenset(found)
        if len(cache) < 500_000:
            cache[word] = keys
    return keys


@lru_cache(maxsize=None)
def _country_keys(lang: str) -> frozenset[str]:
    """Country names in the language (pycountry's translations): `България`, `Noruega`."""
    keys = set()
    for locale in {"pt": ("pt", "pt_BR")}.get(lang, (lang,)):
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True).gettext
        for country in pycountry.countries:
            for name in (country.name, getattr(country, "common_name", None)):
                if name:
                    keys.add(name_key(translate(name).split(",")[0]))
    return frozenset(keys)


@lru_cache(maxsize=262144)
def _is_dictionary_word(word: str, lang: str) -> bool:
    return simplemma.is_known(word.lower(), lang=lang)


class _Forms(dict):
    """Written form -> Token for one language, filled on first sight."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __missing__(self, text: str) -> Token:
        token = Token(text, self.lang, _lexicon(self.lang))
        if len(self) < 200_000:         # bounded memory on a long run
            self[text] = token
        return token


_FORMS = {lang: _Forms(lang) for lang in LANGUAGES}


def _tokenize(text: str, lang: str) -> tuple[list[Token], list[int], list[int]]:
    """Tokens with their start and end offsets; map() keeps the per-token work in C.
    The split alternates white space and tokens, so running lengths are the offsets."""
    parts = _TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, parts)))
    tokens = list(map(_FORMS[lang].__getitem__, parts[1::2]))
    return tokens, offsets[0:-1:2], offsets[1::2]


def _where(tokens: list[Token], flag: str) -> compress:
    """Indexes of the tokens whose form has the flag, in order."""
    return compress(range(len(tokens)), map(attrgetter(flag), tokens))


# ---------------------------------------------------------------- entry point

def extract(article: Article) -> list[Official]:
    lang = article.language
    if lang not in LANGUAGES or not article.text:
        return []
    ctx = _context(article)
    _find_titles(ctx)
    _find_people(ctx, article)
    for title in sorted(ctx.title_at.values(), key=lambda t: t.start):
        if ctx.title_at.get(title.start) is title:     # not absorbed by the title before it
            _attach_body(ctx, title)
    occurrences = _link(ctx)
    _resolve_organisations(ctx, occurrences)
    return _rows(ctx, occurrences)


def _context(article: Article) -> Context:
    lex = _lexicon(article.language)
    tokens, starts, ends = _tokenize(article.text, article.language)
    # Text between tokens is all white space, so one bisection per line break finds the tokens after one.
    line_starts = {bisect_right(starts, m.start()) for m in _LINE_BREAK.finditer(article.text)} - {0}
    quote_end = _quotes(article.text, tokens, starts, line_starts)
    quoted = {i for a, b in quote_end.items() for i in range(a, b + 1)}
    honorific_end = {}
    for i in _where(tokens, "honorific_first"):
        found = lex.honorifics.match(tokens, i)
        if found:
            end = found[0]
            if end < len(tokens) and tokens[end].text == "." and starts[end] == ends[end - 1]:
                end += 1
            honorific_end[i] = end
    honorific_tokens = {k for a, b in honorific_end.items() for k in range(a, b)}
    ctx = Context(article.language, article.text, tokens, starts, ends, line_starts, lex, quote_end, quoted,
                  honorific_end, honorific_tokens, set(honorific_end.values()))
    for org in article.organisations:
        for form in (org.name, org.acronym):
            if form:
                ctx.known_bodies[fold(form)] = org.acronym if form == org.acronym else org.name
    return ctx


def _quotes(text: str, tokens: list[Token], starts: list[int], line_starts: set[int]) -> dict[int, int]:
    """Opening quote index -> closing quote index, for quotes closed on the same line."""
    spans: dict[int, int] = {}
    resume = 0
    for opener in _OPENER.finditer(text):
        i = bisect_left(starts, opener.start())      # an opener is a token of its own
        if i < resume:
            continue
        tok = tokens[i]
        first = i + (2 if tok.text == "," else 1)
        close = None
        for j in range(first, min(len(tokens), first + MAX_QUOTE_TOKENS)):
            if j in line_starts:
                break
            if tokens[j].text in _CLOSE_QUOTES:
                close = j
                break
        if close is None:
            resume = first
            continue
        spans[i] = close
        resume = close + 1
    return spans


# ---------------------------------------------------------------- titles and names

def _find_titles(ctx: Context) -> None:
    resume = 0
    for i in _where(ctx.tokens, "title_first"):
        if i < resume or i in ctx.quoted:
            continue
        found = ctx.lex.titles.match(ctx.tokens, i)
        if found is None or _inside_proper_name(ctx, i):
            continue
        end, entry = found
        verb = entry.payload[2] == "verb"
        if verb and not _relative_before(ctx, i):
            continue
        ctx.title_at[i] = Title(i, end, entry.payload[0], entry.payload[1], raw_end=end, verb=verb)
        ctx.title_tokens.update(range(i, end))
        resume = end


def _relative_before(ctx: Context, i: int) -> bool:
    """A relative pronoun, maybe with a time phrase, before token i: a verb there is a
    function (`Ana Lima, que desde 2019 dirige …`, `Иван Петров, който ръководи …`)."""
    k = i - 1
    while k >= 0 and i - k <= MAX_TIME_WORDS and _time_word(ctx, k):
        k -= 1
    return k >= 0 and "relative" in ctx.tokens[k].cue_kinds


def _time_word(ctx: Context, k: int) -> bool:
    """A word of a time phrase (`din 2021`, `от 2020 г.`, `desde`), or a comma around it."""
    tok = ctx.tokens[k]
    return tok.text in ",." or _is_year(tok.text) or "time" in tok.cue_kinds


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and text[:2] in ("19", "20")


def _inside_proper_name(ctx: Context, i: int) -> bool:
    """A capitalised word inside a name (`Direcția de Asistență Socială`, `Asociația
    Directorilor`) is no title, though it looks like one."""
    tokens = ctx.tokens
    if not tokens[i].text[:1].isupper() or i == 0:
        return False
    k = i - 1
    if tokens[k].folded in ctx.lex.connectors and k > 0:
        k -= 1
    return (tokens[k].name_shaped and k not in ctx.honorific_tokens
            and ctx.text[ctx.ends[k]:ctx.starts[k + 1]] == " ")


def _name_shaped(text: str) -> bool:
    if len(text) < 2 or not text[0].isalpha():
        return False
    return all(p and p[0].isupper() and (p[1:].islower() or p.isupper() or len(p) == 1)
               for p in _HYPHEN.split(text))


def _all_capitals(text: str) -> bool:
    return len(text) > 1 and text.isupper()


def _find_people(ctx: Context, article: Article) -> None:
    tokens, text, starts, ends = ctx.tokens, ctx.text, ctx.starts, ctx.ends
    excluded = ctx.title_tokens | ctx.quoted | ctx.honorific_tokens
    not_people = {fold(o.name) for o in article.organisations} | {
        fold(o.acronym) for o in article.organisations if o.acronym}
    if article.place.name:
        not_people.add(fold(article.place.name))

    def name_token(k: int) -> bool:
        return k < len(tokens) and k not in excluded and tokens[k].name_shaped

    def joined(k: int) -> bool:
        """Token k follows token k-1 on the same line, separated by one or two spaces."""
        return 0 < starts[k] - ends[k - 1] <= 2 and k not in ctx.line_starts

    spans, resume = [], 0
    for i in _where(tokens, "name_shaped"):
        if i < resume or i in excluded:
            continue
        words, j = [i], i + 1
        while j < len(tokens) and len(words) < MAX_NAME_WORDS:
            tok = tokens[j]
            if tok.name_shaped:
                if j in excluded or not joined(j):
                    break
                words.append(j)
                j += 1
            elif (len(tok.text) == 1 and tok.text.isupper() and j + 2 < len(tokens) and tokens[j + 1].text == "."
                  and name_token(j + 2) and joined(j) and joined(j + 2)):
                words += [j, j + 2]          # an initial: `Ion I. Popescu`
                j += 3
            elif tok.particle and name_token(j + 1) and joined(j) and joined(j + 1):
                words.append(j + 1)
                j += 2
            else:
                break
        spans.append(words)
        resume = j

    multi: list[Person] = []
    single: list[Person] = []
    lone_words: list[int] = []         # one plain capitalised word: a person only as a known surname
    for words in spans:
        if len(words) == 1 and words[0] not in ctx.after_honorific:
            if tokens[words[0]].folded not in ctx.lex.org_heads:
                lone_words.append(words[0])
            continue
        person = _judge_name(ctx, words)
        if person is None:
            continue
        person.text = text[starts[person.start]:ends[person.end - 1]]
        if fold(person.text) in not_people:
            continue
        if person.apposed_only:
            ctx.apposed_at[person.start] = person
            continue
        (multi if person.end - person.start > 1 else single).append(person)
    surnames = {tokens[p.end - 1].folded for p in multi}
    for person in multi + single:
        if person.end - person.start > 1 or person.strong or fold(person.text) in surnames:
            ctx.person_at[person.start] = person
    for k in lone_words:
        if tokens[k].folded in surnames and tokens[k].folded not in not_people:
            ctx.person_at[k] = Person(k, k + 1, strong=False, text=tokens[k].text)


def _judge_name(ctx: Context, words: list[int]) -> Person | None:
    """A person from a run of capitalised words, or None when it does not look like one."""
    tokens, lex = ctx.tokens, ctx.lex

    def first_name(k: int) -> bool:
        return tokens[k].first_name

    def plain_word(k: int) -> bool:
        return _is_dictionary_word(tokens[k].text, ctx.lang)

    def leading_word(k: int) -> bool:
        """A word before the name proper: `Participă Ion Pop`, `в Благоевград Ивайло Георгиев`."""
        word = tokens[k].text
        return plain_word(k) and (
            lemma(word, ctx.lang) != word.lower()
            or (k > 0 and ctx.tokens[k - 1].cue_kinds & {"body_link", "body_head", "unit"}))

    def body_word_before_first_name(k: int, after_body_word: bool) -> bool:
        """The end of a body's name before a first name: `da Fiocruz Helena Prado`,
        `Parlamento Europeu Nuno Melo`."""
        return (not first_name(k) and first_name(k + 1) and k not in ctx.after_honorific
                and (after_body_word or k > 0 and "body_link" in ctx.tokens[k - 1].cue_kinds))

    def place_before_name(k: int, after_body_word: bool) -> bool:
        """A town or country before the name: `община Омуртаг Несрин Узун`, `ДСП – Бургас Галя Петрова`,
        `CJ Constanța Mihai Lupu`, `UNICEF за България Ян Мартенс` (not `Sra. Cláudia Regina Lopes`,
        Cláudia being a town too)."""
        key = name_key(tokens[k].text)
        gazetteer = load_gazetteer()
        country = key in _country_keys(ctx.lang)
        if not (any(p.rank <= 3 for p in gazetteer.by_key.get(key, ())) or key in gazetteer.admin1_by_key
                or country):
            return False
        if k in ctx.after_honorific:
            return False
        return (after_body_word or country and not first_name(k) or tokens[k - 1].text in _DASHES
                or bool(ctx.tokens[k - 1].cue_kinds & {"body_link", "body_head", "unit"})
                or (first_name(k + 1) and not first_name(k)))

    after_body_word = False
    while len(words) > 1:
        head = words[0]
        if not first_name(head) and (
                tokens[head].all_capitals or tokens[head].folded in lex.org_heads):
            after_body_word = True
        elif not ((not first_name(head) and len(words) > 2 and leading_word(head))
                  or (len(words) > 2 and head > 0 and place_before_name(head, after_body_word))
                  or (len(words) > 2 and body_word_before_first_name(head, after_body_word))):
            break
        words = words[1:]
    while words and tokens[words[0]].text.islower():      # a particle left in front
        words = words[1:]
    if not words:
        return None
    first, last = words[0], words[-1]
    if first in ctx.after_honorific:
        return Person(first, last + 1, strong=True)
    if tokens[first].folded in lex.org_heads:
        return None
    if len(words) == 1 or (tokens[first].all_capitals and not first_name(first)):
        return Person(first, last + 1, strong=False) if len(words) == 1 else None
    if (len(words) == 2 and not first_name(first)
            and name_key(ctx.text[ctx.starts[first]:ctx.ends[last]]) in load_gazetteer().by_key):
        return None          # `Campo Grande`, `Стара Загора` (but `Ion Creangă`)
    surname = tokens[last].folded
    second_name = first_name(words[1]) and (len(words) > 2 or not plain_word(first))
    if first_name(first) or second_name or any(
            surname.endswith(e) and len(surname) > len(e) + 2 for e in lex.surname_endings):
        return Person(first, last + 1, strong=True)
    # Backed by nothing but being no dictionary word: no capitals-only word (`Conferinta SCI`),
    # not right after a body link or head (`al Directoratului General`, `comunei Vințu de Jos`).
    if any(tokens[k].all_capitals for k in words) or (
            first > 0 and ctx.tokens[first - 1].cue_kinds & {"body_link", "body_head", "unit"}):
        return None
    if plain_word(first):
        # `Rosa Feitosa Leal`: a name only where an apposition after a title places it.
        return Person(first, last + 1, strong=False, apposed_only=True) if not all(map(plain_word, words)) else None
    return Person(first, last + 1, strong=False)


# ---------------------------------------------------------------- bodies

@lru_cache(maxsize=65536)
def _word_cue_kinds(word: str, lang: str) -> frozenset[str]:
    """Kinds of the one-word cues a word is, by its form or its lemma."""
    single = _lexicon(lang).single_cues
    return frozenset(kind for key in _keys(word, lang) | {_match_form(word, lang)} for kind in single.get(key, ()))


def _line_break_before(ctx: Context, k: int) -> bool:
    return k in ctx.line_starts


def _body_phrase(ctx: Context, q: int) -> int | None:
    """End of a body name starting at token q (`Ministerului Sănătății`, `община Смолян`,
    `дирекция „Социална политика“`, `Агенцията за социално подпомагане`), or None."""
    tokens, lex = ctx.tokens, ctx.lex
    j, good, content, lower_left, in_tail = q, q, False, 0, False
    while j < len(tokens):
        if (j != q and _line_break_before(ctx, j)) or j in ctx.person_at or j in ctx.title_at:
            break
        tok = tokens[j]
        if j in ctx.honorific_end and not tok.name_shaped:
            break                         # `… в България Н. Пр. Ян Берг` (but `Escola Professor …`)
        if j in ctx.quote_end:
            j = good = ctx.quote_end[j] + 1
            content = True
            continue
        initials_end = _dotted_initials_end(ctx, j + 1) if tok.text == "," and content else None
        if initials_end:
            j = good = initials_end       # a legal form: `Instituto da Água, I.P.`, `Metalurgica, S.A.`
            continue
        if tok.text == "," and content and _enumeration_after(ctx, j + 1):
            j += 1               # `Ocuparea Forței de Muncă, Afaceri Sociale și Incluziune`
            continue
        if (tok.text == "(" and content and j + 2 < len(tokens) and tokens[j + 2].text == ")"
                and tokens[j + 1].is_word and tokens[j + 1].text[:1].isupper()):
            j = good = j + 3              # `Centro de Referência de Assistência Social (CRAS)`, `(Amvale)`
            continue
        if (tok.text[:1].isdigit() and not tok.text.isdigit() and j + 1 < len(tokens)
                and tokens[j + 1].text[:1].isupper()):
            j += 1                        # an ordinal: `5-и МИР`
            continue
        if (tok.text in _DASHES and content and j + 1 < len(tokens) and j + 1 not in ctx.person_at
                and j + 1 not in ctx.title_at and tokens[j + 1].text[:1].isupper()):
            j += 1                        # `ДСП – Бургас`
            continue
        kinds = ctx.tokens[j].cue_kinds
        if "number_sign" in kinds and content:
            k = j + 1 + (j + 1 < len(tokens) and tokens[j + 1].text == ".")
            if k < len(tokens) and tokens[k].text.isdigit():
                j = good = k + 1          # `Școala Gimnazială nr. 1`
                continue
        if not tok.is_word and not tok.text.isdigit():
            break
        if tok.text[0].isupper() or (tok.text.isdigit() and content):
            j = good = j + 1          # `Sector 3`
            content, in_tail = True, False
        elif kinds & {"body_head", "unit"} or tok.folded in lex.org_heads:
            j += 1
            if content:
                good = j
        elif tok.folded in lex.connectors and content:
            if "body_tail" in kinds and content:
                lower_left, in_tail = MAX_BODY_LOWER_WORDS, True
            j += 1
            if ("coord" not in kinds and j + 1 < len(tokens) and "article" in ctx.tokens[j].cue_kinds
                    and tokens[j + 1].text[:1].isupper()):
                j += 1                    # `Fundo das Nações Unidas para a Infância`
        elif in_tail and lower_left > 0 and tok.text.islower():
            lower_left -= 1
            j = good = j + 1
        elif (lex.lower_case_bodies and tok.text.islower() and j > q and tokens[j - 1].text[:1].isupper()
              and (lower_end := _lower_case_rest(ctx, j)) is not None):
            j = good = lower_end      # `Народното събрание`, `Националния център по …`
        else:
            break
    return good if content and good > q else None


def _lower_case_rest(ctx: Context, j: int) -> int | None:
    """(bg) End of the lower-case rest of a noun phrase from token j that reaches the end of the
    phrase: one word (`Народното събрание`), or two after an adjective with the article
    (`Регионалната здравна инспекция`), or None."""
    tokens = ctx.tokens
    if j in ctx.honorific_tokens:
        return None
    limit = 2 if tokens[j - 1].folded.endswith(ctx.lex.definite_endings) else 1
    for end in range(j + 1, min(j + limit, len(tokens)) + 1):
        last = tokens[end - 1]
        if end > j + 1 and not (last.is_word and last.text.islower() and not ctx.tokens[end - 1].cue_kinds
                                and last.folded not in ctx.lex.connectors):
            return None
        if _ends_phrase(ctx, end):
            return end
    return None


def _dotted_initials_end(ctx: Context, k: int) -> int | None:
    """End of two or more dotted capital initials from token k (`I.P.`, `S.A.`), or None."""
    tokens, j = ctx.tokens, k
    while (j + 1 < len(tokens) and len(tokens[j].text) == 1 and tokens[j].text.isupper()
           and tokens[j + 1].text == "." and ctx.starts[j + 1] == ctx.ends[j]):
        j += 2
    return j if j - k >= 4 else None


def _ends_phrase(ctx: Context, k: int) -> bool:
    """Token k ends a noun phrase: the text ends, or punctuation, a name, a title, an honorific or a
    linking word follows."""
    if (k >= len(ctx.tokens) or k in ctx.person_at or k in ctx.title_at or k in ctx.honorific_end
            or not ctx.tokens[k].is_word):
        return True
    return ctx.tokens[k].folded in ctx.lex.connectors or bool(ctx.tokens[k].cue_kinds & {"coord", "also"})


def _enumeration_after(ctx: Context, k: int) -> bool:
    """True when capitalised words from token k run up to `și`/`и`/`e` and one more
    capitalised word: the last items of an enumeration inside one body name."""
    tokens = ctx.tokens
    seen_word = False
    while k < len(tokens) and k not in ctx.person_at and k not in ctx.title_at:
        tok = tokens[k]
        if (seen_word and tok.folded in ctx.lex.connectors and "coord" not in ctx.tokens[k].cue_kinds
                and k + 1 < len(tokens) and tokens[k + 1].text[:1].isupper()):
            k += 1               # `Gestão da Informação e Cadastro Único`
            continue
        if not tok.text[:1].isupper() or tok.all_capitals or tok.folded in ctx.lex.org_heads:
            if seen_word and "coord" in ctx.tokens[k].cue_kinds and k + 1 < len(tokens):
                nxt = tokens[k + 1]
                return nxt.text[:1].isupper() and k + 1 not in ctx.person_at and not _starts_named_body(ctx, k + 1)
            return False
        seen_word = True
        k += 1
    return False


def _starts_named_body(ctx: Context, k: int) -> bool:
    """An organisation head with a name after it (`și Agenția Națională …`), not one
    that ends the list as a field of work (`…, Lucrărilor Publice și Administrației,`)."""
    tokens = ctx.tokens
    if tokens[k].folded not in ctx.lex.org_heads:
        return False
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    return nxt is not None and (nxt.text[:1].isupper() or nxt.folded in ctx.lex.connectors)


def _attach_body(ctx: Context, title: Title) -> None:
    """Extend a title with its body, sub-units and place qualifiers."""
    tokens, lex = ctx.tokens, ctx.lex
    j = title.end = _after_modifiers(ctx, title.end)
    if title.verb and j + 1 < len(tokens) and "article" in tokens[j].cue_kinds:
        j += 1                            # `dirige o Centro …`, `preside a Comissão …`
    if "{}" in title.body_head and j + 1 < len(tokens) and tokens[j].text in _DASHES:
        # `председател на Общинския съвет – Ямбол`: the title names the body, the dash its town
        place_end = _body_phrase(ctx, j + 1)
        if place_end is not None and _is_place(_span_text(ctx, j + 1, place_end)):
            title.implied_body = _implied_body(ctx, title.body_head, "", _span_text(ctx, j + 1, place_end))
            title.raw_end = place_end
            return
    link_end = j
    found = lex.cues.matches(tokens, j) if j < len(tokens) else []
    link = next(((end, e) for end, e in found if e.payload[0] == "body_link"), None)
    if link:
        link_end = link[0]
        place = ctx.person_at.get(link_end)
        if title.role in _PLACE_ROLES and place is not None and _is_place(place.text):
            del ctx.person_at[link_end]
    inner = ctx.title_at.get(link_end) if link else None
    if inner is not None:
        # `consilier al ministrului …`, `съветник на министъра на …`: the inner title
        # names whose adviser or deputy this is; its body is the body.
        del ctx.title_at[link_end]
        _attach_body(ctx, inner)
        title.raw_end, title.body, title.unit = inner.raw_end, inner.body, inner.unit
        title.implied_body = _implied(inner)
        return
    end = _body_phrase(ctx, link_end) if link_end < len(tokens) else None
    if end is None and link_end != j:
        end = _body_phrase(ctx, j)       # `a` / `de` that turned out to be no link
        link_end = j if end is not None else link_end
    segments: list[tuple[int, int, str]] = []
    if end is not None:
        segments.append((link_end, end, _segment_kind(ctx, link_end)))
        j = end
    else:
        complement = _complement(ctx, link_end) if (link or title.body_head or title.verb) else None
        if complement is not None:
            words = _span_text(ctx, link_end, complement)
            if not title.body_head:
                title.portfolio = True
            elif "{}" not in title.body_head:      # (`кметът на общината` names no place)
                link_words = _span_text(ctx, title.end, link_end) if link else ""
                title.implied_body = _implied_body(ctx, title.body_head, link_words.lower(), words,
                                                   capitalise=True)
            j = complement
            if j in ctx.quote_end:
                j = ctx.quote_end[j] + 1      # the field's name: `по направление „Социални дейности“`
            # `secretária municipal de assistência social de Janaúba`
            found = lex.cues.matches(tokens, j) if j < len(tokens) else []
            link = next(((e, x) for e, x in found if x.payload[0] == "body_link"), None)
            end = _body_phrase(ctx, link[0]) if link and link[0] < len(tokens) else None
            if end is not None and title.implied_body and _is_place(_span_text(ctx, link[0], end)):
                title.implied_body += " " + _span_text(ctx, j, end)
                j = end
            elif end is not None:
                segments.append((link[0], end, _segment_kind(ctx, link[0])))
                j = end
    # Further comma-separated qualifiers: `, дирекция „…“, МОН`, `, jud. Arad`.
    while j + 1 < len(tokens) and tokens[j].text == "," and not _line_break_before(ctx, j + 1):
        k = j + 1
        if k in ctx.person_at or k in ctx.title_at:
            break
        kinds = ctx.tokens[k].cue_kinds
        if "place" in kinds:
            m = k + 1 + (k + 1 < len(tokens) and tokens[k + 1].text == ".")
            if m < len(tokens) and tokens[m].text[:1].isupper():
                end = _body_phrase(ctx, m)
                if end is not None:
                    segments.append((k, end, "place"))
                    j = end
                    continue
            break
        starts_body = bool(kinds & {"body_head", "unit"}) or k in ctx.quote_end or tokens[k].all_capitals \
            or tokens[k].folded in ctx.known_bodies
        end = _body_phrase(ctx, k) if starts_body else None
        if end is None:
            break
        segments.append((k, end, _segment_kind(ctx, k)))
        j = end
    title.raw_end = max(j, title.end)
    bodies = [s for s in segments if s[2] == "body"]
    units = [s for s in segments if s[2] == "unit"]
    if bodies and "portfolio" in tokens[title.end - 1].cue_kinds:
        title.portfolio = True            # `vereadora com o pelouro da Ação Social`: a field, no body
    elif bodies:
        a, b, _ = bodies[-1]
        title.body = _span_text(ctx, a, b)
        if (title.body_head and a == link_end and tokens[a].folded not in lex.org_heads
                and ("{}" not in title.body_head or _is_place(title.body))):
            # `ministrul Muncii` -> `Ministerul Muncii`, `ministra da Saúde` -> `Ministério da Saúde`,
            # `кметът на Плевен` -> `Община Плевен`
            link_words = _span_text(ctx, title.end, link_end).lower() if link_end > title.end else ""
            title.implied_body = _implied_body(ctx, title.body_head, link_words, title.body)
            title.body = None
    elif units:
        title.unit = _span_text(ctx, *units[0][:2])


def _implied_body(ctx: Context, head: str, link_words: str, words: str, capitalise: bool = False) -> str:
    """The body a title implies: `Ministério` + `da` + `saúde`; a head with `{}` takes the
    place as it stands (`Община {}`: `Община Плевен`). Where body names are capitalised
    (pt, ro) a lower-case field becomes one (`Secretaria Municipal de Assistência Social`)."""
    if capitalise and not ctx.lex.lower_case_bodies:
        words = " ".join(w if fold(w) in ctx.lex.connectors else w[:1].upper() + w[1:] for w in words.split())
    if "{}" in head:
        return head.replace("{}", words)
    return " ".join(filter(None, (head, link_words, words)))


def _is_place(phrase: str) -> bool:
    return name_key(phrase) in load_gazetteer().by_key


def _implied(title: Title) -> str | None:
    return title.implied_body if title.body is None else None


def _after_modifiers(ctx: Context, j: int) -> int:
    """Skip up to two lower-case words that qualify a title (`expertul regional,`,
    `assessor jurídico da`, `prefectul județului,`) when a link, punctuation or a name follows them."""
    tokens = ctx.tokens
    if j >= len(tokens) or not _qualifier(ctx, j):
        return j
    for end in ((j + 2, j + 1) if j + 1 < len(tokens) and _qualifier(ctx, j + 1) else (j + 1,)):
        if (end == len(tokens) or end in ctx.person_at or tokens[end].text in ",;:)"
                or "body_link" in tokens[end].cue_kinds):
            return end
    return j


def _qualifier(ctx: Context, k: int) -> bool:
    """A lower-case word that may qualify a title: no cue word, no body link."""
    tok = ctx.tokens[k]
    if not tok.is_word or not tok.text.islower() or k in ctx.title_at or k in ctx.person_at:
        return False
    kinds = tok.cue_kinds
    return kinds == {"body_head"} or not kinds and tok.folded not in ctx.lex.connectors


def _segment_kind(ctx: Context, k: int) -> str:
    return "unit" if "unit" in ctx.tokens[k].cue_kinds else "body"


def _complement(ctx: Context, q: int) -> int | None:
    """End of a short lower-case complement (`на труда и социалната политика`) that
    reaches a boundary: punctuation, a name, a title, a linking word or the end of the text."""
    tokens = ctx.tokens
    j = q
    while j < len(tokens) and j - q < MAX_COMPLEMENT_WORDS:
        tok = tokens[j]
        if j in ctx.person_at or j in ctx.title_at or not tok.is_word or not tok.text.islower():
            break
        j += 1
    for end in range(j, q, -1):
        last_kinds = ctx.tokens[end - 1].cue_kinds
        if (tokens[end - 1].folded in ctx.lex.connectors and "body_head" not in last_kinds
                or last_kinds & {"coord", "also"}):
            continue
        if (end == len(tokens) or end in ctx.person_at or end in ctx.title_at or not tokens[end].is_word
                or ctx.tokens[end].cue_kinds & {"coord", "also", "body_link"}):
            return end
    return None


def _span_text(ctx: Context, a: int, b: int) -> str:
    return ctx.text[ctx.starts[a]:ctx.ends[b - 1]]


# ---------------------------------------------------------------- linking

def _gap(ctx: Context, a: int, b: int) -> list[frozenset[str]] | None:
    """What lies between tokens a and b (punctuation, honorifics, cue words), or None
    when something else does."""
    cats: list[frozenset[str]] = []
    k = a
    while k < b:
        text = ctx.tokens[k].text
        if text in ",;:(":
            cats.append(frozenset((text,)))
            k += 1
        elif text in _DASHES:
            cats.append(frozenset(("dash",)))
            k += 1
        elif k in ctx.honorific_end and ctx.honorific_end[k] <= b:
            cats.append(frozenset(("honorific",)))
            k = ctx.honorific_end[k]
        elif _is_year(text):
            cats.append(frozenset(("time",)))
            k += 1
        else:
            found = ctx.lex.cues.matches(ctx.tokens, k, b)
            if not found:
                return None
            end = found[0][0]
            cats.append(frozenset(e.payload[0] for e_end, e in found if e_end == end))
            k = end
    return cats


def _gap_within(cats: list[frozenset[str]] | None, allowed: set[str]) -> bool:
    return cats is not None and all(c & allowed for c in cats)


def _link(ctx: Context) -> list[Occurrence]:
    """Each group of titles with its person. Tight links (`TITLE NAME`, `NAME, TITLE`) win;
    loose ones (`NAME, o TITLE`, `TITLE …, NAME`) only count for a person without a tight one."""
    groups = _title_groups(ctx)
    person_end = {p.end: p for p in ctx.person_at.values()}
    chosen: list[tuple[Person, list[Title], bool]] = []       # (person, group, tight)
    titled_before: set[int] = set()          # people a title right before them names (`TITLE NAME`)
    for group in groups:
        before = after = None
        head, tail = group[0], group[-1].raw_end
        for end in range(head.start, max(-1, head.start - MAX_BEFORE_GAP), -1):
            if end in person_end:
                tight = _name_before_title(ctx, person_end[end], head)
                before = None if tight is None else (person_end[end], tight)
                break
        for start in range(tail, min(len(ctx.tokens), tail + MAX_LINK_GAP + 1)):
            if head.verb:
                break                     # a verb's person comes before it
            if start in ctx.person_at:
                cats = _gap(ctx, tail, start)
                if _gap_within(cats, {",", ":", "honorific", "dash"}):
                    after = (ctx.person_at[start], not any(c & {",", ":", "dash"} for c in cats))
                elif _profession_apposition(cats):
                    after = (ctx.person_at[start], False)
                break
            if start in ctx.apposed_at and _apposition(ctx, tail, ctx.apposed_at[start]):
                person = ctx.person_at[start] = ctx.apposed_at.pop(start)      # a person from now on
                person_end[person.end] = person
                after = (person, False)
                break
        # `NAME, TITLE of BODY NAME2` keeps NAME: NAME2 may belong to the body
        # (`Escola Estadual Professor Ana Lima`); a bare `TITLE NAME2` takes NAME2, and so does
        # a list of `TITLE NAME` pairs (`TITLE0 NAME, TITLE of BODY NAME2`).
        bare = group[-1].raw_end == group[-1].end
        before_titled = before is not None and id(before[0]) in titled_before
        direct_after = after if after and after[1] and (bare or not (before and before[1]) or before_titled) \
            else None
        if direct_after:
            titled_before.add(id(direct_after[0]))
        for candidate in (direct_after, before, after):
            if candidate:
                chosen.append((candidate[0], group, candidate[1]))
                if _plural(ctx, head):
                    chosen += [(person, group, False) for person in
                               _listed_with(ctx, candidate[0], forward=candidate is not before, person_end=person_end)]
                break
    tightly_linked = {id(person) for person, _, tight in chosen if tight}
    occurrences = [
        Occurrence(person, group, first=min(person.start, group[0].start), last=max(person.end, group[-1].raw_end))
        for person, group, tight in chosen
        if tight or id(person) not in tightly_linked     # `директорите …, Мария Иванова, изпълнителен директор`
    ]
    occurrences.sort(key=lambda o: o.first)
    return occurrences


def _profession_apposition(cats: list[frozenset[str]] | None) -> bool:
    """`TITLE BODY, o enfermeiro NAME`, `TITLE BODY, psihologul NAME`: a profession between a
    function and its holder."""
    return (_gap_within(cats, {",", "article", "profession", "honorific"}) and _gap_has(cats, "profession")
            and cats[0] == frozenset((",",)))


def _apposition(ctx: Context, tail: int, person: Person) -> bool:
    """`TITLE BODY, NAME,` (or `.`): the name stands alone between commas right after the title."""
    tokens = ctx.tokens
    return (person.start == tail + 1 and tokens[tail].text == ","
            and person.end < len(tokens) and tokens[person.end].text in ",.;")


def _plural(ctx: Context, title: Title) -> bool:
    """The title's head word is an inflected plural (`consilierii`, `заместник-кметовете`, `vereadores`)."""
    token = ctx.tokens[title.start]
    word = fold(token.text)
    return len(token.keys) > 1 and word.endswith(ctx.lex.plural_endings)


def _listed_with(ctx: Context, person: Person, forward: bool, person_end: dict[int, Person]) -> list[Person]:
    """The people listed after (or before) a person, joined by commas and `and`: those a
    plural title names together (`consilierii locali A, B și C`, `A e B, vereadores`)."""
    listed: list[Person] = []
    while len(listed) < MAX_LISTED:
        span = range(person.end, min(len(ctx.tokens), person.end + 3)) if forward else \
            range(person.start, max(-1, person.start - 3), -1)
        found = [k for k in span if (k in ctx.person_at if forward else k in person_end)]
        if not found:
            break
        nxt = ctx.person_at[found[0]] if forward else person_end[found[0]]
        gap = _gap(ctx, person.end, nxt.start) if forward else _gap(ctx, nxt.end, person.start)
        if not gap or not _gap_within(gap, {",", "coord"}):
            break
        listed.append(nxt)
        person = nxt
    return listed


def _name_before_title(ctx: Context, person: Person, title: Title) -> bool | None:
    """Whether `NAME, TITLE`, `NAME – TITLE`, `NAME (TITLE`, `NAME, care este TITLE`,
    `NAME title` links tightly (True), loosely through an article (`Ana Costa, a
    secretária`: False), or not at all (None)."""
    cats = _gap(ctx, person.end, title.start)
    if cats is None:
        return None
    if not cats:
        return True if person.strong and ctx.tokens[title.start].text[:1].islower() else None
    marks = {",", "dash", ":", "("}
    if not _gap_within(cats, marks | {"copula", "article", "relative", "holding", "time", "frame"}):
        return None
    if _gap_has(cats, "relative") and not (title.verb or _gap_has(cats, "holding") or _gap_has(cats, "copula")):
        return None          # `Ana Costa, que a secretária elogiou`
    if (_gap_has(cats, "time") or _gap_has(cats, "frame")) and not _gap_has(cats, "holding") \
            and not title.verb:
        return None
    if not (any(c & marks for c in cats) or _gap_has(cats, "copula") and person.strong):
        return None
    return not _gap_has(cats, "article")


def _gap_has(cats: list[frozenset[str]] | None, cat: str) -> bool:
    return bool(cats) and any(cat in c for c in cats)


def _title_groups(ctx: Context) -> list[list[Title]]:
    """Titles in text order, consecutive ones that belong to one person grouped:
    `primarul comunei X, în calitate de vicepreședinte`, `expertul, doamna asistent social`."""
    titles = sorted(ctx.title_at.values(), key=lambda t: t.start)
    person_end = {p.end: p for p in ctx.person_at.values()}
    groups: list[list[Title]] = []
    for title in titles:
        if groups:
            prev = groups[-1][-1]
            cats = _gap(ctx, prev.raw_end, title.start) if prev.raw_end <= title.start else None
            # `NAME, TITLE and TITLE2, NAME2` are two people; `TITLE and TITLE2, NAME` is one.
            # `O coordenador do X, o assistente social NAME`: a comma and an article join too;
            # a plural title names other people (`NAME, diretor do X, e representantes das …`).
            if (_gap_within(cats, {",", "also", "honorific"}) or _comma_article(cats)) and not _plural(ctx, title) \
                    and not (
                    _gap_has(cats, "coord") and not _gap_has(cats, "honorific")
                    and _title_has_own_person(ctx, title) and _has_person_before(ctx, groups[-1][0], person_end)):
                groups[-1].append(title)
                continue
        groups.append([title])
    return groups


def _comma_article(cats: list[frozenset[str]] | None) -> bool:
    return cats is not None and len(cats) == 2 and cats[0] == frozenset((",",)) and "article" in cats[1]


def _has_person_before(ctx: Context, title: Title, person_end: dict[int, Person]) -> bool:
    for end in range(title.start, max(-1, title.start - MAX_BEFORE_GAP), -1):
        if end in person_end:
            return _name_before_title(ctx, person_end[end], title) is not None
    return False


def _title_has_own_person(ctx: Context, title: Title) -> bool:
    for start in range(title.raw_end, min(len(ctx.tokens), title.raw_end + 4)):
        if start in ctx.person_at:
            return _gap_within(_gap(ctx, title.raw_end, start), {",", ":", "honorific"})
    return False


# ---------------------------------------------------------------- organisations and rows

def _resolve_organisations(ctx: Context, occurrences: list[Occurrence]) -> None:
    own = [_own_body(ctx, o) for o in occurrences]
    for n, occ in enumerate(occurrences):
        if own[n] is not None:
            occ.organisation = own[n]
            continue
        prev = occurrences[n - 1] if n else None
        nxt = occurrences[n + 1] if n + 1 < len(occurrences) else None
        if all(t.portfolio for t in occ.titles):
            occ.organisation = None      # a field of work, not a body shared with the list
        elif prev and prev.organisation and _listed_together(ctx, prev, occ):
            occ.organisation = prev.organisation
        elif nxt and own[n + 1] and _listed_together(ctx, occ, nxt):
            occ.organisation = own[n + 1]
        else:
            unit = next((t.unit for t in _by_seniority(ctx, occ.titles) if t.unit), None)
            occ.organisation = _base_form(ctx, unit) if unit else None


def _listed_together(ctx: Context, a: Occurrence, b: Occurrence) -> bool:
    return a.last <= b.first and _gap_within(_gap(ctx, a.last, b.first), {",", ";", "coord", "honorific"})


def _own_body(ctx: Context, occ: Occurrence) -> str | None:
    for title in _by_seniority(ctx, occ.titles):
        if title.body:
            return _base_form(ctx, _without_place_tail(ctx, title.body))
        if title.implied_body:
            return _without_place_tail(ctx, title.implied_body)
    return None


def _without_place_tail(ctx: Context, phrase: str) -> str:
    """A body without the place it works in (`Reino da Noruega em Portugal` -> `Reino da Noruega`,
    `Comuna Albești din județul Vaslui` -> `Comuna Albești`); a unit with the body it sits in
    gives that body (`отдел „Х“ в община Тетевен` -> `Община Тетевен`)."""
    words = phrase.split()
    for i in range(len(words) - 2, 0, -1):
        kinds = _word_cue_kinds(words[i], ctx.lang)
        named_before = words[i - 1][:1].isupper() and i > 1      # `Comuna Albești`, not `Областна администрация`
        if "locative" not in kinds and not ("body_link" in kinds and named_before
                                            and "place" in _word_cue_kinds(words[i + 1], ctx.lang)):
            continue
        tail = words[i + 1:]
        tail_kinds = _word_cue_kinds(tail[0], ctx.lang)
        if tail_kinds & {"place"} or _is_place(" ".join(tail)) or name_key(tail[-1]) in _country_keys(ctx.lang):
            return " ".join(words[:i])
        if "body_head" in tail_kinds and len(tail) > 1 and tail[1][:1].isupper():
            rest = " ".join(tail)
            return rest[:1].upper() + rest[1:]
        break
    return phrase


def _base_form(ctx: Context, phrase: str) -> str:
    phrase = _BRACKETED_ACRONYM.sub("", phrase)
    folded = fold(phrase)
    if folded in ctx.known_bodies:
        return ctx.known_bodies[folded]
    # `Departamento de Cultura da Amsul` -> the known body at its end.
    for form, name in ctx.known_bodies.items():
        if folded.endswith(" " + form):
            return name
    base = nominative(phrase, ctx.lang) or phrase
    return base[:1].upper() + base[1:]


def _by_seniority(ctx: Context, titles: list[Title]) -> list[Title]:
    return sorted(titles, key=lambda t: _rank(ctx, t))


def _rank(ctx: Context, title: Title) -> float:
    """Seniority, lower first: SPEC.md's order, except that presiding a council
    (`vicepreședinte al Consiliului Local și consilier local`) outranks sitting on it."""
    if title.role not in _PRESIDING:
        return _SENIORITY[title.role]
    words = [t.text for t in ctx.tokens[title.start + 1:title.end]]      # `председател на общинския съвет`
    for word in (title.body or title.implied_body or "").split():
        if fold(word) in ctx.lex.connectors:
            break
        words.append(word)
    if any("council" in _word_cue_kinds(word, ctx.lang) for word in words):
        return _SENIORITY["councillor"] - 0.5
    return _SENIORITY[title.role]


def _councillor_presiding(ctx: Context, titles: list[Title]) -> bool:
    """`presidente da Câmara Municipal, vereador …`: a councillor at the head of a `câmara`
    presides the council (as in Brazil), not the municipality."""
    return any(t.role == "councillor" for t in titles) and any(
        t.role == "mayor" and any("council" in tok.cue_kinds
                                  for tok in ctx.tokens[t.start:t.end])
        for t in titles)


def _rows(ctx: Context, occurrences: list[Occurrence]) -> list[Official]:
    tokens = ctx.tokens
    people = sorted(ctx.person_at.values(), key=lambda p: p.start)
    words = {id(p): tuple(tokens[k].folded for k in range(p.start, p.end) if tokens[k].is_word)
             for p in people}
    # The end of a longer name (`Popa`, `Andrei Popa`) stands for it (`Mihai Andrei Popa`).
    longer: dict[tuple[str, ...], str] = {}
    for person in sorted(people, key=lambda p: -len(words[id(p)])):
        name = words[id(person)]
        for n in range(1, len(name)):
            longer.setdefault(name[-n:], fold(person.text))

    def key_of(person: Person) -> str:
        return longer.get(words[id(person)], fold(person.text))

    first_mention: dict[str, Person] = {}
    for person in people:          # the full name's first mention, else the first mention
        key = key_of(person)
        best = first_mention.get(key)
        if best is None or (fold(person.text) == key and fold(best.text) != key):
            first_mention[key] = person
    merged: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        merged.setdefault(key_of(occ.person), []).append(occ)

    rows = []
    for key, occs in merged.items():
        titles = [t for o in occs for t in o.titles]
        raws: dict[str, str] = {}
        for title in titles:
            raw = _span_text(ctx, title.start, title.raw_end)
            if len(raw) > len(raws.get(title.role, "")):
                raws[title.role] = raw
        role = min(titles, key=lambda t: _rank(ctx, t)).role
        if role == "mayor" and _councillor_presiding(ctx, titles):
            role = "president"
        senior_occ = min(occs, key=lambda o: min(_rank(ctx, t) for t in o.titles))
        organisation = senior_occ.organisation or next((o.organisation for o in occs if o.organisation), None)
        mention = first_mention.get(key, occs[0].person)
        rows.append(Official(
            name=mention.text,
            role=role,
            role_raw="; ".join(dict.fromkeys(raws.values())),
            organisation=organisation,
            start=ctx.starts[mention.start],
            end=ctx.ends[mention.end - 1],
        ))
    return sorted(rows, key=lambda r: r.start)
