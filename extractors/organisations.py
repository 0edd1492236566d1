"""Organisations named in an article, in base form, with acronyms and their relation to the event.

Names are found from head nouns (`models/<lang>/org_heads.tsv`: Ministerul,
Associação, Агенция, ...) continued by capitalised words, function words
(`org_connectors.tsv`) and a quoted name; Bulgarian names may start with
adjectives (`Националното сдружение`) and carry lower-case words after a
connector (`на труда и социалната политика`). Acronyms come from a parenthesis
after a name, from a bare acronym whose letters fit a name of the same article,
or from the lexicon of known bodies (`org_known.tsv`). Venues (`Centro de
Convenções`, a `Centro` right after a locative), social services' facilities
(`Centro de Dia`) and sub-units are no bodies; a commission or faculty named with the body
it belongs to (`Comissão de Saúde da Câmara X`) is that body; a lower-case kind of body
(`a cooperativa italiana X`) introduces a name without a head. Mentions
of one body are merged (also a shortened name or a bare head standing for it); its
relation comes from cues around its mentions (`org_relations.tsv`): a subject before
a verb, possibly acting through another body (`por meio da`), before a cue that
introduces it, in a room of its seat, its chief present or performing the event's act
(`o presidente da Câmara X inaugurou`), its press office signing the release at the end;
funds, programmes and recovery plans are funders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, itemgetter, sub
from typing import NamedTuple

from pipeline.article import Article, Organisation
from pipeline.morph import nominative
from pipeline.resources import LANGUAGES, read_list, read_table
from pipeline.textnorm import fold

RELATION_ORDER = ("organiser", "host", "partner", "funder", "participant", "mentioned")
_RANK = {relation: rank for rank, relation in enumerate(RELATION_ORDER)}

# Possessive: nothing after a word needs it shorter, and backtracking into it is a measurable cost.
_TOKEN = re.compile(r"[^\W\d_]{1,2}\.(?:[^\W\d_]{1,2}\.)+|\w++(?:[-’'`]\w++)*+|[^\w\s]", re.UNICODE)
# Roman numerals as press texts write them (editions, centuries: `XXII`, `IV`), not `CMV` or `DM`.
_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_OPEN_QUOTES = frozenset("„«\"“‘‚")
_CLOSE_QUOTES = frozenset("”“\"»’‘")
_DASHES = frozenset("–—-")
_COORDINATION = frozenset({"și", "si", "e", "и", "and", ","})
# Bulgarian lower-case words after a connector: at most this many per connector.
_MAX_LOWER_RUN = 2
# Bulgarian verb endings: such a word ends a name (`Министерството на труда организира`).
_BG_VERB = re.compile(r"(?:ира|ува|ава|ява|ева|жда|ха|ше|ат|ят)$")
_BG_NOT_NAME = frozenset({"е", "са", "се", "ще", "бе", "беше", "от", "с", "със", "които", "който", "която",
                          "като", "при", "след", "до", "че", "не", "да", "а", "но",
                          "срещу", "между", "чрез", "без", "под", "над", "пред", "около",
                          # address abbreviations: `Община X на ул. …`
                          "ул", "бул", "пл", "кв"})
# Bulgarian definite adjectives (`Европейския`, `Европейското`, `Националния`)
_BG_ADJECTIVE = re.compile(r"(?:ския|ският|ската|ското|ските|ния|ният)$")
# `в Република България` continues a name, `в партньорство с` does not.
_BG_PLACE_CONNECTORS = frozenset({"в", "във"})
_MAX_AFTER_GAP = 60
_LOCATIVES = frozenset({"в", "във", "in", "la", "em", "no", "na", "nos", "nas", "num", "numa"})   # folded: în -> in
_MAX_BEFORE_GAP = 12


class _Token(NamedTuple):
    text: str
    folded: str
    title: bool       # _is_title(text)
    acronym: bool     # _is_acronym(text)
    opens: bool       # may begin a name: capitalised, or a head
    cue: bool         # may begin a relation cue
    known: bool       # the acronym of a known body
    start: int
    end: int


@dataclass(frozen=True)
class _Lexicon:
    heads: dict[tuple[str, ...], tuple[str, bool, tuple[bool, ...]]]
    # folded words -> (kind, is base form, capitalisation of the words after the first)
    connectors: frozenset[str]
    known_by_acronym: dict[str, tuple[str, str]]     # acronym -> (name or "", kind: body | fund | not_body)
    known_acronym_by_name: dict[str, str]            # folded name -> acronym
    known_funds: frozenset[str]                      # folded names of known funds and programmes
    first_names: frozenset[str]
    surname_endings: re.Pattern | None
    leading: frozenset[str]
    cues: dict[tuple[str, ...], tuple[tuple[str, str], ...]]   # folded cue words -> ((relation, position), ...)
    cue_sizes: dict[str, tuple[int, ...]]            # first folded word -> lengths of its cues, longest first
    cue_seconds: dict[str, frozenset[str]]           # first folded word -> second words of its longer cues
    head_sizes: dict[str, tuple[int, ...]]           # first folded word -> lengths of its heads, longest first
    links: frozenset[tuple[str, ...]]                # `por meio da`: the next body shares the subject
    rooms: frozenset[str]                            # `sala`, `auditório`: a room of the body named next
    not_name_before: frozenset[str]                  # `novo`, `programa`: what follows is no body
    reflexives: frozenset[str]                       # `se`, `се` before a verb cue: the event is its subject
    members: dict[str, tuple[str, ...]]              # folded base head -> folded titles of its chiefs
    chief_titles: frozenset[str]                     # every title of `members`
    describers: frozenset[str]                       # folded heads that, in lower case, introduce a name
    known_names: frozenset[str]                      # folded full names of the known bodies
    listed_names: frozenset[str]                     # folded names of every entry of the lexicon of known bodies
    office_connectors: frozenset[str]                # `para`, `în`: a country after them names a known body's office
    piece_facts: dict[str, tuple] = field(default_factory=dict, compare=False)   # cache of `_tokens`


@dataclass
class _Mention:
    name: str                 # base form
    start: int
    end: int
    kind: str = "body"        # body | local | site | fund | programme | plan | fitted | acronym
    acronym: str | None = None
    first_token: int = 0
    last_token: int = 0
    relations: set[str] = field(default_factory=set)
    group: int = -1
    cued: bool = False        # a bare acronym right after a relation or role cue
    listed_relations: set[str] = field(default_factory=set)   # from cues a coordinated list shares
    after_locative: bool = False   # `no Centro ...`: a site named as the event's venue


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    heads: dict[tuple[str, ...], tuple[str, bool, tuple[bool, ...]]] = {}
    members: dict[str, tuple[str, ...]] = {}
    describers = set()
    for row in read_table(lang, "org_heads.tsv"):
        kind = row.get("kind") or "body"
        forms = [row["head"]] + [f.strip() for f in row.get("forms", "").split("|") if f.strip()]
        if row.get("describes") == "yes":
            describers.update(fold(form) for form in forms if " " not in form)
        for n, form in enumerate(forms):
            words = form.split()
            capitals = tuple(w[:1].isupper() for w in words[1:])
            heads.setdefault(tuple(fold(w) for w in words), (kind, n == 0, capitals))
        titles = tuple(fold(t) for t in row.get("members", "").split("|") if t.strip())
        if titles:
            members[fold(row["head"])] = titles
    known_by_acronym, known_acronym_by_name, known_names, known_funds = {}, {}, set(), set()
    listed_names = set()
    for row in read_table(lang, "org_known.tsv"):
        acronym, name, kind = row.get("acronym", ""), row.get("name", ""), row.get("kind") or "body"
        if acronym:
            known_by_acronym.setdefault(acronym, (name, kind))
        if name:
            listed_names.add(fold(name))
        if name and kind != "not_body":
            known_names.add(fold(name))
            if kind == "fund":
                known_funds.add(fold(name))
            if acronym:
                known_acronym_by_name.setdefault(fold(name), acronym)
    try:
        first_names = frozenset(read_list(lang, "first_names.txt"))
    except FileNotFoundError:   # the officials' list; names then simply do not stop a name
        first_names = frozenset()
    leading = frozenset(fold(r["from"]) for r in read_table(lang, "morph.tsv") if r.get("kind") == "leading")
    cues: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    links, rooms, not_name_before, reflexives = set(), set(), set(), set()
    for row in read_table(lang, "org_relations.tsv"):
        words = tuple(fold(m.group()) for m in _TOKEN.finditer(row.get("cue", "")))
        position = row.get("position", "before")
        if not words:
            continue
        if position == "link":
            links.add(_without_trailing(words, leading))
        elif position == "room":
            rooms.update(words)
        elif position == "not_name":
            not_name_before.update(words)
        elif position == "reflexive":
            reflexives.update(words)
        elif row.get("relation") in _RANK:
            cues.setdefault(words, []).append((row["relation"], position))
    connector_rows = read_table(lang, "org_connectors.tsv")
    return _Lexicon(
        heads=heads,
        connectors=frozenset(fold(r["word"]) for r in connector_rows),
        known_by_acronym=known_by_acronym,
        known_acronym_by_name=known_acronym_by_name,
        first_names=first_names,
        surname_endings=_ending_pattern(read_list(lang, "org_person_endings.txt")),
        leading=leading,
        cues={k: tuple(v) for k, v in cues.items()},
        cue_sizes=_sizes_by_first_word(cues),
        cue_seconds=_second_words(cues),
        head_sizes=_sizes_by_first_word(heads),
        links=frozenset(links),
        rooms=frozenset(rooms),
        not_name_before=frozenset(not_name_before),
        reflexives=frozenset(reflexives),
        members=members,
        chief_titles=frozenset(title for titles in members.values() for title in titles),
        describers=frozenset(describers),
        known_names=frozenset(known_names),
        known_funds=frozenset(known_funds),
        listed_names=frozenset(listed_names),
        office_connectors=frozenset(fold(r["word"]) for r in connector_rows if r.get("office") == "yes"),
    )


def _sizes_by_first_word(keys) -> dict[str, tuple[int, ...]]:
    sizes: dict[str, set[int]] = {}
    for key in keys:
        sizes.setdefault(key[0], set()).add(len(key))
    return {first: tuple(sorted(lengths, reverse=True)) for first, lengths in sizes.items()}


def _second_words(keys) -> dict[str, frozenset[str]]:
    seconds: dict[str, set[str]] = {}
    for key in keys:
        seconds.setdefault(key[0], set()).update(key[1:2])
    return {first: frozenset(words) for first, words in seconds.items()}


def _without_trailing(words: tuple[str, ...], leading: frozenset[str]) -> tuple[str, ...]:
    """`por meio da` -> `por meio`: an article or contraction at the end does not matter."""
    while len(words) > 1 and words[-1] in leading:
        words = words[:-1]
    return words


def _ending_pattern(endings: tuple[str, ...]) -> re.Pattern | None:
    if not endings:
        return None
    return re.compile(r"\w(?:" + "|".join(map(re.escape, sorted(endings, key=len, reverse=True))) + r")$")


# ---------------------------------------------------------------- token tests

@lru_cache(maxsize=65536)
def _is_title(word: str) -> bool:
    """Capitalised and not all capitals (`Ministerul`, `Sud-Est`, not `PROGRAMUL`)."""
    return word[:1].isupper() and not word.isupper()


def _acronym_letters(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


@lru_cache(maxsize=65536)
def _is_acronym(word: str) -> bool:
    if not word[:1].isupper():
        return False
    letters = _acronym_letters(word)
    if not (2 <= len(letters) <= 10) or not letters[0].isupper() or _ROMAN.match(letters):
        return False
    if "-" in word:
        return False
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper / len(letters) >= 0.6


def _initials(name: str, connectors: frozenset[str]) -> tuple[str, str]:
    """Initials of a name's content words, and of all its words (`МТСП`, ...)."""
    words = [w for w in re.findall(r"\w+", name) if w[:1].isalpha()]
    content = fold("".join(w[0] for w in words if fold(w) not in connectors))
    every = fold("".join(w[0] for w in words))
    return content, every


def _acronym_fits(acronym: str, name: str, lex: _Lexicon) -> bool:
    """`МТСП` ~ `Министерство на труда и социалната политика` (function words skipped)."""
    return _fits_initials(acronym, name, lex.connectors)


@lru_cache(maxsize=65536)
def _fits_initials(acronym: str, name: str, connectors: frozenset[str]) -> bool:
    capitals = fold("".join(c for c in acronym if c.isupper()))
    if len(capitals) < 2:
        return False
    return capitals in _initials(name, connectors)


def _clean_acronym(raw: str) -> str:
    return raw.replace(".", "").strip()


# ---------------------------------------------------------------- scanning

def _tokens(text: str, lex: _Lexicon) -> list[_Token]:
    # Only spaces lie between tokens, so each token with the spaces before it tiles the text and
    # offsets are running sums of lengths. Everything runs in C-level map/accumulate, and a
    # token's facts come from a cache by its text with those spaces: a Python loop over some
    # 300 tokens per article was the extractor's largest cost.
    pieces = _SPACED_TOKEN.findall(text)
    facts = list(map(lex.piece_facts.get, pieces))
    if None in facts:
        if len(lex.piece_facts) > _MAX_CACHED_PIECES:
            lex.piece_facts.clear()
        facts = [f or lex.piece_facts.setdefault(p, _word_facts(p.lstrip(), lex)) for f, p in zip(facts, pieces)]
    ends = list(accumulate(map(len, pieces)))
    starts = map(sub, ends, map(len, map(_TEXTS, facts)))
    return list(map(_new_token, repeat(_Token), map(add, facts, zip(starts, ends))))


_SPACED_TOKEN = re.compile(r"\s*+(?:" + _TOKEN.pattern + ")", re.UNICODE)
_MAX_CACHED_PIECES = 200_000
_new_token = tuple.__new__
_TEXTS, _FOLDED, _ACRONYMS, _OPENS, _CUE, _KNOWN = (itemgetter(n) for n in (0, 1, 3, 4, 5, 6))


def _where(flags) -> list[int]:
    """Indices of the true flags (C-level, for scans over every token)."""
    return list(compress(count(), flags))


def _word_facts(word: str, lex: _Lexicon) -> tuple[str, str, bool, bool, bool, bool, bool]:
    """A token's facts without its offsets, in `_Token` order."""
    folded = fold(word)
    title = _is_title(word)
    # `градът-домакин`, `общината-домакин`: a hyphenated word may end in a cue word
    cue = folded in lex.cue_sizes or ("-" in folded and folded.rsplit("-", 1)[1] in lex.cue_sizes)
    return (word, folded, title, _is_acronym(word), title or folded in lex.head_sizes, cue,
            word in lex.known_by_acronym)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """True when nothing but spaces (no line break) separates two tokens."""
    gap = text[left.end:right.start]
    return "\n" not in gap and not gap.strip()


def _head_at(tokens: list[_Token], i: int, lex: _Lexicon) -> tuple[int, str, bool] | None:
    """(size, kind, is_base) of the longest head starting at token i."""
    sizes = lex.head_sizes.get(tokens[i].folded)
    if sizes is None:
        return None
    for size in sizes:
        if size > len(tokens) - i:
            continue
        key = tuple(t.folded for t in tokens[i:i + size])
        if key in lex.heads:
            kind, is_base, capitals = lex.heads[key]
            if all(t.text[:1].isupper() == upper for t, upper in zip(tokens[i + 1:i + size], capitals)):
                return size, kind, is_base
    return None


def _starts_name(tokens: list[_Token], i: int, lex: _Lexicon) -> bool:
    return i < len(tokens) and tokens[i].title and _head_at(tokens, i, lex) is not None


def _head_follows(tokens, i, head_sizes) -> bool:
    """One of the next two words may begin a head (what `_bg_adjectives_before_head` looks for)."""
    return (i + 1 < len(tokens) and tokens[i + 1].folded in head_sizes) \
        or (i + 2 < len(tokens) and tokens[i + 2].folded in head_sizes)


def _bg_adjectives_before_head(tokens, i, lex, text) -> tuple[int, int] | None:
    """Bulgarian `Националното сдружение`: (head index, adjectives count) when
    token i is a capitalised adjective leading up to a lower-case head."""
    if not tokens[i].title or tokens[i].folded in lex.not_name_before:   # `Всяка община`
        return None
    for extra in range(1, 3):
        j = i + extra
        if j >= len(tokens) or not _adjacent(text, tokens[j - 1], tokens[j]):
            return None
        word = tokens[j].text
        if not word.isalpha() or fold(word) in lex.connectors:
            return None
        found = _head_at(tokens, j, lex)
        if found is not None and word[:1].islower():
            # `Дунавските общини`: a plural head names no one body (`общински съвет` is singular)
            return (j, extra) if not tokens[j + found[0] - 1].folded.endswith(("и", "ите")) else None
    return None


def _extend(tokens: list[_Token], j: int, text: str, lang: str, lex: _Lexicon, named_after_person: bool = False) -> int:
    """Index after the last token that continues a name whose head ends before j.
    `named_after_person`: a person's name right after the head is the body's name
    (`Fundação Maria Lemos Vidal`), not a person named next to it."""
    end = j0 = j
    person_run = named_after_person and j < len(tokens) and _person_starts(tokens, j, text, lex)
    if j < len(tokens) and tokens[j].text in _OPEN_QUOTES and _adjacent(text, tokens[j - 1], tokens[j]):
        for k in range(j + 1, min(j + 14, len(tokens))):
            if "\n" in text[tokens[k - 1].end:tokens[k].start]:
                break
            if tokens[k].text in _CLOSE_QUOTES:
                if k > j + 1:
                    j = end = k + 1
                break
    lower_run = 0
    after_connector = False
    after_quote = end > j0
    while j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j]):
        word = tokens[j].text
        folded = tokens[j].folded
        if folded in lex.connectors and word[:1].islower():
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if nxt is None or not _adjacent(text, tokens[j], nxt):
                break
            coordination = folded in _COORDINATION
            if coordination and (_starts_name(tokens, j + 1, lex) or nxt.acronym):
                break
            if after_quote and (coordination or not nxt.title or _names_another_body(tokens, j + 1, text, lex)):
                break
            if _article_then_name_word(tokens, j, text, lex, coordination) \
                    or (coordination and _repeated_connector(tokens, j0, j, text, lex)):
                after_connector, lower_run = True, 0
                j += 2
                continue
            # `на труда и социалната политика`, not `Община Варна и започна`
            bg_lower = lang == "bg" and folded not in _BG_PLACE_CONNECTORS and _bg_name_word(nxt.text) \
                and not (coordination and tokens[j - 1].title)
            if not (nxt.title or bg_lower or (after_connector and nxt.acronym) or (not coordination and nxt.acronym)):
                break
            after_connector, lower_run = True, 0
            j += 1
            continue
        if _is_title(word):
            # after a lower-case complement (`на здравните медиатори Иван Петров`) a surname alone marks a person
            strict = after_connector and not (lang == "bg" and tokens[j - 1].text.islower())
            if not person_run and (_person_starts(tokens, j, text, lex, strict=strict)
                                   or (not after_connector and _starts_base_name(tokens, j, lex))):
                break
            # lower-case words again only after a connector, or after an adjective
            # that follows one (`на Европейското икономическо пространство`)
            lower_run = 0 if lang == "bg" and _BG_ADJECTIVE.search(folded) and tokens[j - 1].folded in lex.connectors \
                else _MAX_LOWER_RUN
            j += 1
            end = j
            continue
        person_run = False
        if _is_acronym(word) and after_connector and tokens[j - 1].text[:1].islower():
            j += 1
            end = j
            break
        if lang == "bg" and after_connector and _bg_name_word(word) and lower_run < _MAX_LOWER_RUN:
            lower_run += 1
            j += 1
            end = j
            continue
        if word in _DASHES and _dash_suffix(tokens, j, text):
            j += 2
            end = j
            break
        if word in _DASHES and _dash_local_unit(tokens, j, text, lex):
            j += 3
            end = j
            break
        if word in _DASHES and lang == "bg" and _dash_place(tokens, j, text, lex):
            j += 2
            end = j
            break
        if word == "+" and end == j and tokens[j - 1].end == tokens[j].start:   # `Agência Erasmus+ Juventude`
            j += 1
            end = j
            continue
        # a quoted proper name after the name's own words (`Școala Gimnazială „Mihai Viteazul”`),
        # which a place may follow (`Universitatea „X” din Y`)
        if word in _OPEN_QUOTES and ((lang == "bg" and lower_run) or end == j):
            closed = _closing_quote(tokens, j, text)
            if closed:
                j = end = closed
                after_connector, after_quote, lower_run = False, True, _MAX_LOWER_RUN
                continue
        break
    return end


def _names_another_body(tokens, i, text, lex) -> bool:
    """After a quoted name, `на Европейската комисия` names a second body; `din Brașov` does not."""
    return _head_at(tokens, i, lex) is not None or _bg_adjectives_before_head(tokens, i, lex, text) is not None


def _article_then_name_word(tokens, j, text, lex, coordination: bool) -> bool:
    """`dos Direitos da Criança e do Adolescente`: a connector and an article before a
    capitalised word carry on the name; after `e`/`și` only a contraction (`do`, not `o`)
    does, and not before the head of another name."""
    if j + 2 >= len(tokens):
        return False
    nxt, after = tokens[j + 1], tokens[j + 2]
    folded = nxt.folded
    if folded not in lex.leading or not after.title or not _adjacent(text, nxt, after):
        return False
    if not coordination:
        return True
    return folded in lex.connectors and _head_at(tokens, j + 2, lex) is None


def _repeated_connector(tokens, j0, j, text, lex) -> bool:
    """`dos Agentes de Saúde e de Endemias`: after `e`/`și` at j, the preposition the name
    already used, before a capitalised word that begins no other name."""
    if j + 2 >= len(tokens):
        return False
    nxt, after = tokens[j + 1], tokens[j + 2]
    return nxt.folded in lex.connectors and nxt.folded not in _COORDINATION and nxt.text.islower() \
        and after.title and _adjacent(text, nxt, after) and _head_at(tokens, j + 2, lex) is None \
        and any(t.folded == nxt.folded for t in tokens[j0:j])


def _dash_local_unit(tokens, j, text, lex) -> bool:
    """`Instituția Prefectului – Județul Vâlcea`: a dash, a local unit and its name belong to the name."""
    if j + 2 >= len(tokens) or not _adjacent(text, tokens[j + 1], tokens[j + 2]):
        return False
    found = _head_at(tokens, j + 1, lex) if tokens[j + 1].title else None
    return found is not None and found[0] == 1 and found[1] == "local" and tokens[j + 2].title \
        and (j + 3 >= len(tokens) or not tokens[j + 3].title)


def _dash_place(tokens, j, text, lex) -> bool:
    """Bulgarian `Регионална здравна инспекция – Пловдив организира`: a dash and one
    place word end a regional body's name (also before its director's name)."""
    if j + 1 >= len(tokens) or not _adjacent(text, tokens[j], tokens[j + 1]):
        return False
    place = tokens[j + 1].text
    after = tokens[j + 2].text if j + 2 < len(tokens) else ""
    return _is_title(place) and place.isalpha() and place[1:].islower() and after not in ("(", *_DASHES) \
        and (not _is_title(after) or _person_starts(tokens, j + 2, text, lex))


def _closing_quote(tokens, j, text) -> int | None:
    """Index after the quote that closes the one at j (a short quoted name on the same line)."""
    for k in range(j + 2, min(j + 8, len(tokens))):
        if "\n" in text[tokens[k - 1].end:tokens[k].start]:
            return None
        if tokens[k].text in _CLOSE_QUOTES:
            return k + 1
    return None


def _starts_base_name(tokens: list[_Token], j: int, lex: _Lexicon) -> bool:
    """A head in its base form (`Ministerul`, not `Fondurilor`) begins another name."""
    found = _head_at(tokens, j, lex) if tokens[j].title else None
    return found is not None and found[2]


def _person_starts(tokens: list[_Token], j: int, text: str, lex: _Lexicon, strict: bool = False) -> bool:
    """`Столична община Мария Иванова`: a first name, or two capitalised words
    the second of which ends like a surname, begin a person's name. `strict` (inside a
    name's complement, `на детето Мария Иванова`) asks for both."""
    if j + 1 >= len(tokens) or not tokens[j + 1].title or not _adjacent(text, tokens[j], tokens[j + 1]):
        return False
    first_name = tokens[j].text in lex.first_names
    surname = bool(lex.surname_endings and lex.surname_endings.search(tokens[j + 1].text))
    return first_name and surname if strict else first_name or surname


def _bg_name_word(word: str) -> bool:
    return word.isalpha() and word.islower() and word not in _BG_NOT_NAME and not _BG_VERB.search(word)


def _dash_suffix(tokens: list[_Token], j: int, text: str) -> bool:
    """`… общините – Развитие (СОР – Развитие)`: a dash and a word the following parenthesis repeats."""
    if j + 2 >= len(tokens) or not tokens[j + 1].title or tokens[j + 2].text != "(":
        return False
    close = text.find(")", tokens[j + 2].end, tokens[j + 2].end + 40)
    return close > 0 and tokens[j + 1].text in text[tokens[j + 2].end:close]


def _parenthesised_acronym(tokens: list[_Token], k: int, text: str, name: str = "") -> tuple[str, int] | None:
    """`(ANPIS)`, `(A.N.P.I.S.)`, `(СОР – Развитие)`, `(АДО „Дунав“)`, or a capitalised
    word spelling the name (`(Sedese)`) at token k: (acronym, index after `)`)."""
    if k >= len(tokens) or tokens[k].text != "(" or k + 1 >= len(tokens):
        return None
    first = tokens[k + 1].text
    if not _is_acronym(first):
        if k + 2 < len(tokens) and tokens[k + 2].text == ")" and _spells(first, name):
            return first, k + 3
        return None
    for close in range(k + 2, min(k + 7, len(tokens))):
        if tokens[close].text == ")":
            inner = text[tokens[k + 1].start:tokens[close - 1].end]
            dash_suffix = close == k + 4 and tokens[k + 2].text in _DASHES
            quoted_suffix = close >= k + 5 and tokens[k + 2].text in _OPEN_QUOTES \
                and tokens[close - 1].text in _CLOSE_QUOTES
            plus_suffix = close == k + 3 and tokens[k + 2].text == "+"          # `(FSE+)`
            two_part = close == k + 3 and tokens[k + 2].acronym and tokens[k + 2].text.isupper()   # `(DG EMPL)`
            if close > k + 2 and not (dash_suffix or quoted_suffix or plus_suffix or two_part):
                return None
            return _clean_acronym(inner), close + 1
    return None


def _spells(word: str, name: str) -> bool:
    """`Sedese` ~ `Secretaria de Estado de Desenvolvimento Social`: a capitalised word of
    3-8 letters, beginning like the name, whose letters run through the name in order and
    take at least three initials of its words (`Amsul`, `Undime`, `Seduc`)."""
    letters = fold(word)
    if not (3 <= len(letters) <= 8) or not letters.isalpha() or not _is_title(word) or not name:
        return False
    words = [fold(w) for w in re.findall(r"\w+", name)]
    if not words or words[0][:1] != letters[0]:
        return False
    flat = "".join(words)
    position = 0
    for letter in letters:
        position = flat.find(letter, position) + 1
        if not position:
            return False
    initials = [w[0] for w in words if len(w) > 3]
    return _common_subsequence(letters, initials) >= min(3, len(initials))


def _common_subsequence(a: str, b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, 1):
            current = row[j]
            row[j] = previous + 1 if x == y else max(row[j], row[j - 1])
            previous = current
    return row[-1]


def _name_mentions(text: str, tokens: list[_Token], lang: str, lex: _Lexicon) \
        -> tuple[list[_Mention], list[_Mention], list[_Mention]]:
    """Head-noun names; lower-case local units (`община Смолян`) kept aside for the host rule;
    and bare heads (`a Primăriei`) that may stand for a name of the article."""
    mentions, local_units, bare_heads = [], [], []
    starts = _where(map(_OPENS, tokens))
    next_free = 0
    paren_at = -1     # the first `(` from the current token on: `_fitted_name` needs one close by
    for i in starts:
        if i < next_free:
            continue
        tok = tokens[i]
        start_index, head_index = i, i
        quoted = i > 0 and tokens[i - 1].text in _OPEN_QUOTES
        found = _head_at(tokens, i, lex) if tok.title and not quoted and tok.folded in lex.head_sizes else None
        if found is None and lang == "bg" and _head_follows(tokens, i, lex.head_sizes):
            adjectives = _bg_adjectives_before_head(tokens, i, lex, text)
            if adjectives is not None:
                head_index = adjectives[0]
                found = _head_at(tokens, head_index, lex)
        if found is None:
            if paren_at < tok.start:
                paren_at = text.find("(", tok.start)
                paren_at = len(text) if paren_at < 0 else paren_at
            fitted = _fitted_name(tokens, i, text, lang, lex) \
                if tok.title and paren_at < tokens[min(i + 13, len(tokens) - 1)].end else None
            if fitted is not None:
                mentions.append(fitted)
                next_free = fitted.last_token + 1
                continue
            if tok.text[:1].islower():
                unit = _lower_local(tokens, i, text, lang, lex)
                described = _described_name(tokens, i, text, lang, lex) \
                    if unit is None and tok.folded in lex.describers else None
                if unit is not None:
                    local_units.append(unit)
                elif described is not None:
                    mentions.append(described)
                    next_free = described.last_token + 1
            continue
        size, kind, is_base = found
        after_head = head_index + size
        end_index = _extend(tokens, after_head, text, lang, lex,
                            named_after_person=kind == "body" and size == 1 and head_index == start_index)
        if kind in ("fund", "programme", "plan"):
            end_index = _period_after(tokens, _acronym_qualifier(tokens, start_index, end_index, text, lex), text)
        end_index = _listed_complement(tokens, start_index, end_index, text, lang, lex)
        end_index = _known_continuation(tokens, start_index, end_index, text, lang, lex)
        end_index = _legal_form(tokens, end_index, text)
        end_index = _without_office(tokens, start_index, end_index, text, lang, lex)
        words = end_index - start_index
        if kind in ("venue", "service"):
            next_free = end_index
            continue
        if kind == "part" and _parent_body(tokens, after_head, end_index, text, lang, lex) is not None:
            continue      # the parent's head is a start of its own
        if kind == "unit" or (words < 2 and not (size > 1 and is_base)) or _no_body_before(tokens, start_index, lex):
            if words == 1 and kind in ("body", "local", "site") and tok.text[:1].isupper():
                bare_heads.append(_Mention(name=nominative(tok.text, lang), start=tok.start, end=tok.end,
                                           kind="short", first_token=i, last_token=i))
            continue
        raw = text[tokens[start_index].start:tokens[end_index - 1].end]
        mention = _Mention(name=nominative(raw, lang), start=tokens[start_index].start,
                           end=tokens[end_index - 1].end, kind=kind,
                           first_token=start_index, last_token=end_index - 1,
                           after_locative=start_index > 0 and tokens[start_index - 1].folded in _LOCATIVES)
        paren = _parenthesised_acronym(tokens, end_index, text, mention.name)
        if paren is not None:
            mention.acronym = paren[0]
        if kind == "plan" and mention.acronym is None and fold(mention.name) not in lex.known_names:
            next_free = end_index     # `Plano de Desenvolvimento Social`: a document, unless known or abbreviated
            continue
        mentions.append(mention)
        next_free = end_index
    return mentions, local_units, bare_heads


_PERIOD = re.compile(r"^(?:19|20)\d\d[-–](?:19|20)\d\d$")


def _parent_body(tokens, start, end, text, lang, lex) -> int | None:
    """Index of the head of the body a commission or faculty belongs to, named in its
    genitive (`da Assembleia Legislativa`, `a Universității`, `на Народното събрание`)."""
    for k in range(start + 1, end):
        if tokens[k - 1].folded not in lex.leading and tokens[k - 1].folded not in lex.connectors:
            continue
        head = k
        if not (tokens[k].title and tokens[k].folded in lex.head_sizes):
            found = _bg_adjectives_before_head(tokens, k, lex, text) if lang == "bg" else None
            if found is None:
                continue
            head = found[0]
        found = _head_at(tokens, head, lex)
        if found is not None and found[1] in ("body", "local", "site"):
            return k
    return None


def _period_after(tokens, end_index, text) -> int:
    """`Programul Regional Nord-Vest 2021-2027`: a programme's period is part of its name."""
    if end_index < len(tokens) and _PERIOD.match(tokens[end_index].text) \
            and _adjacent(text, tokens[end_index - 1], tokens[end_index]):
        return end_index + 1
    return end_index


def _acronym_qualifier(tokens, start_index, end_index, text, lex) -> int:
    """`Mecanismul Financiar SEE`, `Programa Interreg NEXT`: an acronym right after a fund's or
    programme's capitalised words qualifies it (the area or strand), unless it spells the name."""
    if end_index >= len(tokens) or not tokens[end_index - 1].title \
            or not _adjacent(text, tokens[end_index - 1], tokens[end_index]):
        return end_index
    word = tokens[end_index].text
    after = tokens[end_index + 1].text if end_index + 1 < len(tokens) else ""
    if not (tokens[end_index].acronym and word.isalpha() and word.isupper()) or after in ("(", "+") \
            or _acronym_fits(word, text[tokens[start_index].start:tokens[end_index - 1].end], lex):
        return end_index
    return end_index + 1


def _listed_complement(tokens, start_index, end_index, text, lang, lex) -> int:
    """`Secretaria de Estado da Assistência Social, Mulher e Família (SAS)`: capitalised
    words listed after a comma belong to the name when an acronym closes the list or
    the whole is a known name."""
    if end_index >= len(tokens) or tokens[end_index].text != ",":
        return end_index
    coordinated, last_title = False, 0
    for k in range(end_index + 1, min(end_index + 10, len(tokens)) + 1):
        word = tokens[k].text if k < len(tokens) and _adjacent(text, tokens[k - 1], tokens[k]) else ""
        folded = _fold_word(word)
        if folded in _COORDINATION and folded != ",":
            coordinated = True
        elif _is_title(word):
            last_title = k + 1
        elif not (word == "," or (folded in lex.connectors and word.islower())):
            break
    if not coordinated or not last_title:
        return end_index
    if _parenthesised_acronym(tokens, last_title, text):
        return last_title
    whole = nominative(text[tokens[start_index].start:tokens[last_title - 1].end], lang)
    return last_title if fold(whole) in lex.known_names else end_index


_LEGAL_FORM = re.compile(r"^(?:[^\W\d_]{1,2}\.){2,}$")


def _legal_form(tokens, end_index, text) -> int:
    """`Instituto da Segurança Social, I.P.`: an abbreviated legal form after a comma is part of the name."""
    if end_index + 1 < len(tokens) and tokens[end_index].text == "," \
            and _LEGAL_FORM.match(tokens[end_index + 1].text) and _adjacent(text, tokens[end_index], tokens[end_index + 1]):
        return end_index + 2
    return end_index


def _known_continuation(tokens, start_index, end_index, text, lang, lex) -> int:
    """`Европейския социален фонд плюс`: one more word when it completes a known name."""
    if end_index >= len(tokens) or not _adjacent(text, tokens[end_index - 1], tokens[end_index]) \
            or not tokens[end_index].text.isalpha():
        return end_index
    longer = nominative(text[tokens[start_index].start:tokens[end_index].end], lang)
    return end_index + 1 if fold(longer) in lex.known_names else end_index


def _without_office(tokens, start_index, end_index, text, lang, lex) -> int:
    """`Banco Mundial para o Brasil`, `Uniunii Europene în Republica Moldova`: a known body
    and the country or city of its office name the known body."""
    for k in range(start_index + 1, end_index - 1):
        if tokens[k].folded not in lex.office_connectors or not tokens[k].text.islower():
            continue
        place = [t for t in tokens[k + 1:end_index] if t.folded not in lex.leading]
        if place and all(t.title for t in place):
            known = nominative(text[tokens[start_index].start:tokens[k - 1].end], lang)
            if fold(known) in lex.listed_names:
                return k
    return end_index


def _no_body_before(tokens, i, lex) -> bool:
    """`um novo Centro de Saúde`, `o programa federal Escola Ativa`: a facility or a
    programme's name, not an organisation (a cue word at most two words back, or before the quote)."""
    if i > 0 and tokens[i - 1].text in _OPEN_QUOTES:   # `prémio „Município do Ano“`
        i -= 1
    for k in (i - 1, i - 2):
        if k < 0 or not tokens[k].text[:1].islower():
            return False
        folded = tokens[k].folded
        if folded in lex.not_name_before:
            return True
        if folded in lex.connectors or folded in lex.leading:   # `a campanha do Ministério`: a genitive
            return False
    return False


def _fitted_name(tokens, i, text, lang, lex) -> _Mention | None:
    """`Congresul Autorităților Locale din Moldova (CALM)`, `Българския младежки съюз (БМС)`:
    capitalised words (in Bulgarian also lower-case ones) with no known head, followed by an
    acronym of exactly their initials. Kept only when a cue tells its relation."""
    if i > 0 and (tokens[i - 1].title or tokens[i - 1].text in _OPEN_QUOTES):
        return None
    last = min(i + 13, len(tokens) - 1)
    if i + 3 > last or text.find("(", tokens[i + 3].start, tokens[last].end) < 0:   # `(` is a token of its own
        return None
    k = i
    while k < len(tokens) and k - i < 12 and _adjacent(text, tokens[k - 1] if k > i else tokens[k], tokens[k]):
        word = tokens[k].text
        if _is_title(word) or (k > i and fold(word) in lex.connectors and word.islower()) \
                or (lang == "bg" and k > i and _bg_name_word(word)):
            k += 1
            continue
        break
    while k > i and not tokens[k - 1].title and tokens[k - 1].folded in lex.connectors:
        k -= 1
    if k - i < 3 or k >= len(tokens) or tokens[k].text != "(":
        return None
    paren = _parenthesised_acronym(tokens, k, text)
    raw = text[tokens[i].start:tokens[k - 1].end]
    if paren is None or not _is_acronym(paren[0]) or not _acronym_fits(paren[0], raw, lex) \
            or len(_acronym_letters(paren[0])) < 3:
        return None
    return _Mention(name=nominative(raw, lang), start=tokens[i].start, end=tokens[k - 1].end, kind="fitted",
                    acronym=paren[0], first_token=i, last_token=k - 1)


_MAX_NAME_FUNCTION_WORD = 3     # letters of a lower-case word inside a foreign name (`per`, `la`, `für`)


def _described_name(tokens, i, text, lang, lex) -> _Mention | None:
    """`a cooperativa italiana Insieme per la Cura`, `asociația Vida Activa`: a lower-case kind of
    body, an adjective at most, then a capitalised name with no head of its own and no person's."""
    j = i + 1
    if j + 1 < len(tokens) and _bg_name_word(tokens[j].text) and len(tokens[j].text) > 3 \
            and tokens[j].folded not in lex.connectors and tokens[j].folded not in lex.leading \
            and _adjacent(text, tokens[i], tokens[j]):
        j += 1
    if j >= len(tokens) or not tokens[j].title or not _adjacent(text, tokens[j - 1], tokens[j]) \
            or _head_at(tokens, j, lex) is not None or _person_starts(tokens, j, text, lex):
        return None
    k = end = j + 1
    while k < len(tokens) and k - end <= 2 and _adjacent(text, tokens[k - 1], tokens[k]):
        word = tokens[k].text
        if tokens[k].title:
            end = k = k + 1
        elif word.isalpha() and word.islower() and len(word) <= _MAX_NAME_FUNCTION_WORD \
                and tokens[k].folded not in _COORDINATION:
            k += 1
        else:
            break
    raw = text[tokens[j].start:tokens[end - 1].end]
    return _Mention(name=nominative(raw, lang), start=tokens[j].start, end=tokens[end - 1].end,
                    first_token=j, last_token=end - 1)


def _lower_local(tokens, i, text, lang, lex) -> _Mention | None:
    """`община Смолян`: a lower-case local head with a place name."""
    found = _head_at(tokens, i, lex)
    if found is None or found[1] != "local" or not found[2] or i + found[0] >= len(tokens):
        return None
    j = i + found[0]
    end = j
    while end < len(tokens) and tokens[end].title and _adjacent(text, tokens[end - 1], tokens[end]):
        end += 1
    if end == j:
        return None
    head = " ".join(t.text for t in tokens[i:j])
    place = text[tokens[j].start:tokens[end - 1].end]
    return _Mention(name=head[:1].upper() + head[1:] + " " + place, start=tokens[i].start,
                    end=tokens[end - 1].end, kind="local", first_token=i, last_token=end - 1)


# `3-ти МИР`, `al 2-lea CIR`, `5.º CDS`: a numbered district or unit, not a body's acronym
_ORDINAL_BEFORE = re.compile(r"\d+(?:-[^\W\d_]{1,3}|\.?[ºª])\s+$")


def _acronym_mentions(text: str, tokens: list[_Token], taken: set[int]) -> list[_Mention]:
    mentions = []
    for i in _where(map(_ACRONYMS, tokens)):
        tok = tokens[i]
        if i in taken:
            continue
        if _in_capitals_run(tokens, i, text) or _ORDINAL_BEFORE.search(text, max(0, tok.start - 8), tok.start):
            continue
        acronym = _clean_acronym(tok.text)
        if i + 1 < len(tokens) and tokens[i + 1].text == "+" and tokens[i + 1].start == tok.end:
            acronym += "+"      # `FSE+` is not the `FSE` before it
        mentions.append(_Mention(name=acronym, start=tok.start, end=tok.end, kind="acronym",
                                 acronym=acronym, first_token=i, last_token=i))
    return mentions


def _in_capitals_run(tokens: list[_Token], i: int, text: str) -> bool:
    """Shouted words (`BIBLIOTECA VIRTUALĂ`, `PROGRAMUL DE COOPERARE`) are no acronyms."""
    for k in (i - 1, i + 1):
        if 0 <= k < len(tokens) and _adjacent(text, tokens[min(i, k)], tokens[max(i, k)]):
            word = tokens[k].text
            letters = _acronym_letters(word)
            if len(letters) >= 2 and letters.isupper():
                return True
    return False


# ---------------------------------------------------------------- relations

@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    relation: str
    position: str


def _cues(tokens: list[_Token], lex: _Lexicon) -> list[_Cue]:
    """Relation cues in the text, the longest at each token; a cue's words start no other cue."""
    found = []
    folded = list(map(_FOLDED, tokens))
    size_limit = len(folded)
    cue_sizes = lex.cue_sizes
    starts = _where(map(_CUE, tokens))
    next_free = 0
    for i in starts:
        if i < next_free:
            continue
        first = folded[i]
        sizes = cue_sizes.get(first)
        if sizes is None:
            first = first.rsplit("-", 1)[1]
            sizes = cue_sizes.get(first)
            if sizes is None:
                continue
        if sizes[-1] > 1 and (i + 1 == size_limit or folded[i + 1] not in lex.cue_seconds[first]):
            continue      # `in`, `a`, `e`: frequent first words of longer cues only
        for size in sizes:
            if size > size_limit - i:
                continue
            options = lex.cues.get((first, *folded[i + 1:i + size]))
            if options:
                reflexive = i > 0 and folded[i - 1] in lex.reflexives
                found.extend(_Cue(tokens[i].start, tokens[i + size - 1].end, relation, position)
                             for relation, position in options if not (reflexive and position in ("after", "act")))
                next_free = i + size
                break
    return found


def _lead_only(cues: list[_Cue], text: str) -> list[_Cue]:
    """`before_lead` cues (`ședința X`) are `before` cues in the lead and no cues after it."""
    if not any(c.position == "before_lead" for c in cues):
        return cues
    lead_end = _lead_end(text)
    return [_Cue(c.start, c.end, c.relation, "before") if c.position == "before_lead" else c
            for c in cues if c.position != "before_lead" or c.start < lead_end]


# Line breaks, and end punctuation not after a one- or two-letter abbreviation. The one
# character class in front lets the regex engine skip to candidates fast.
_SENTENCE_END = re.compile(r"""[.!?…\n](?:
    (?<=\n)\n*
  | (?<!\n)(?<!\b\w[.!?…])(?<!\b\w\w[.!?…])[.!?…]*[\"”“»]?\s+(?=[\"„“«(]?[^\W\d_]))""", re.VERBOSE)


@lru_cache(maxsize=4)   # several rules of one article ask for it
def _sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence_of(offset: int, bounds: list[int]) -> int:
    return bisect_right(bounds, offset) - 1


def _gap_is_function_words(gap: str, lex: _Lexicon) -> bool:
    if len(gap) > _MAX_BEFORE_GAP + 1:
        return False
    words = [w for w in _GAP_SPLIT.split(gap) if w]
    return all(fold(w) in lex.leading for w in words)


_GAP_SPLIT = re.compile(r"[\s„“”\"«»]+")


def _introduces(cue: _Cue, start: int, text: str, lex: _Lexicon) -> bool:
    """A `before` cue right before offset start, with at most function words between."""
    return cue.position == "before" and cue.end <= start <= cue.end + _MAX_BEFORE_GAP + 1 \
        and _gap_is_function_words(text[cue.end:start], lex)


_LEAD_MIN_WORDS = 12


@lru_cache(maxsize=4)   # several rules of one article ask for it
def _lead_end(text: str) -> int:
    """End of the lead: the headline and the first body paragraph of some length. A body
    doing something later in the article (`X will also organise ...`) is no organiser of
    the event the article is about."""
    first_break = text.find("\n")
    if first_break < 0:
        return len(text)
    position = first_break
    for line in text[first_break:].split("\n"):
        position += len(line) + 1
        if len(line.split()) >= _LEAD_MIN_WORDS:
            return position
    return len(text)


def _assign_relations(text, mentions, cues, tokens, lex) -> None:
    bounds = _sentence_bounds(text)
    lead_end = _lead_end(text)
    sentence_cues: dict[int, set[str]] = {}
    for cue in cues:
        if cue.position == "sentence":
            sentence_cues.setdefault(_sentence_of(cue.start, bounds), set()).add(cue.relation)
    ordered = sorted(mentions, key=lambda m: m.start)
    befores = [c for c in cues if c.position == "before"]
    afters = [c for c in cues if c.position == "after"]
    introducing = {id(m): [c for c in befores if _introduces(c, m.start, text, lex)] for m in ordered}
    introduced = {key for key, found in introducing.items() if found}
    for previous, mention in zip(ordered, ordered[1:]):    # `em parceria com A e B`: B too
        if id(previous) in introduced and _listed_after(previous, mention, text, lex):
            introduced.add(id(mention))
    for index, mention in enumerate(ordered):
        sentence = _sentence_of(mention.start, bounds)
        opens = _opens_sentence(text[bounds[sentence]:mention.start], lex)
        direct: set[str] = set()
        if _in_room_of(tokens, mention, lex):
            direct.add("host")
        direct.update(cue.relation for cue in introducing[id(mention)])
        for cue in afters if id(mention) not in introduced else ():
            if cue.start >= mention.end and not (cue.relation == "organiser" and cue.start >= lead_end) \
                    and _sentence_of(cue.start, bounds) == sentence \
                    and _subject_of(mention, cue, ordered, text, lex, introduced, opens):
                direct.add(cue.relation)
        if index and not direct and _listed_after(ordered[index - 1], mention, text, lex):
            direct = set(ordered[index - 1].listed_relations)
        mention.listed_relations = direct
        mention.relations |= direct | sentence_cues.get(sentence, set())


def _listed_after(previous: _Mention, mention: _Mention, text: str, lex: _Lexicon) -> bool:
    """The mention follows the previous one in a list (`A și B`), or is its acronym in parentheses."""
    gap = text[previous.end:mention.start]
    if previous.group == mention.group:
        return gap.strip() == "("
    return _coordinated(gap, lex)


def _subject_of(mention: _Mention, cue: _Cue, ordered: list[_Mention], text: str, lex: _Lexicon,
                introduced: set[int], opens_sentence: bool) -> bool:
    """True when the mention, alone, in a coordinated list (`X și Y au lansat`) or acting
    through another body (`A Prefeitura, por meio da Secretaria Z (SZ), realiza`), comes
    before a verb cue with no other body in between, save bodies a cue brings in
    (`A Prefeitura, em parceria com o Instituto Z, realiza`). Shortly before, unless the
    mention opens the sentence."""
    end, last_group = mention.end, mention.group
    for other in ordered:
        if other.start < end or other.start >= cue.start:
            continue
        if other.group != last_group:
            gap = text[end:other.start]
            if not (_coordinated(gap, lex) or _linked(gap, lex) or id(other) in introduced):
                return False
        end, last_group = max(end, other.end), other.group
    return opens_sentence or len(text[end:cue.start]) <= _MAX_AFTER_GAP


_DATELINE = re.compile(r"^[^\n]{0,60}?\s[–—-]\s+")


def _opens_sentence(prefix: str, lex: _Lexicon) -> bool:
    """Only articles (`A`, `O`) or a dateline (`Cidade (UF) – `) come before the mention."""
    prefix = _DATELINE.sub("", prefix, count=1)
    return all(fold(w) in lex.leading for w in map(_GROUP, _WORD.finditer(prefix)))   # stops at a word that is not


_WORD = re.compile(r"\S+")
_GROUP = re.Match.group


_LINK_SPLIT = re.compile(r"[\s,]+")


def _linked(gap: str, lex: _Lexicon) -> bool:
    words = tuple(fold(w) for w in _LINK_SPLIT.split(gap) if w)
    return bool(words) and _without_trailing(words, lex.leading) in lex.links


def _in_room_of(tokens: list[_Token], mention: _Mention, lex: _Lexicon) -> bool:
    """`în sala mare a Consiliului Raional`, `no auditório da Secretaria`: the event is held in
    a room of this body (a locative, a room word, at most three words or a quoted room
    name, a genitive article: `в зала „Пленарна“ на Община X`)."""
    k = mention.first_token - 1
    if k < 2 or tokens[k].folded not in lex.leading:
        return False
    for room in range(k - 1, max(k - 6, 0), -1):
        word = tokens[room].text
        if word in _OPEN_QUOTES or word in _CLOSE_QUOTES:
            continue
        if not word[:1].isalpha():
            return False
        if fold(word) in lex.rooms:
            return tokens[room - 1].folded in _LOCATIVES
    return False


_PARENTHESIS_AT_START = re.compile(r"^\s*(?:\([^()\n]{1,30}\)|\)|\s[–—-][^()\n]{1,28}\))")


def _coordinated(gap: str, lex: _Lexicon) -> bool:
    """`X și Y`, `X, Y`, `X e a Y`, `X (ABC) și Y`: a list of bodies sharing one cue."""
    # at most three words after a parenthesis of 30 characters: no need to look at a paragraph
    return len(gap.split(None, 20)) <= 20 and _coordinating_gap(gap, lex.leading)


@lru_cache(maxsize=4096)
def _coordinating_gap(gap: str, leading: frozenset[str]) -> bool:
    gap = _PARENTHESIS_AT_START.sub("", gap, count=1)
    words = [w for w in re.split(r"\s+", gap.replace(",", " , ")) if w]
    return 0 < len(words) <= 3 and all(fold(w) in _COORDINATION or fold(w) in leading for w in words) \
        and any(fold(w) in _COORDINATION for w in words)


def _host_units(tokens, local_units, cues, mentions) -> list[_Mention]:
    """With `общината-домакин`/`comuna gazdă`, the local body of the place where the event is held
    (`в Смолян се провежда`)."""
    if not any(c.position == "host_place" for c in cues):
        return []
    event_places = {tokens[i + 1].folded for i in range(len(tokens) - 1)
                    if tokens[i].folded in _LOCATIVES and tokens[i + 1].title}
    hosts = []
    for unit in local_units + [m for m in mentions if m.kind == "local"]:
        place_words = unit.name.split()[1:]
        if place_words and fold(place_words[0]) in event_places:
            unit.relations.add("host")
            hosts.append(unit)
    return hosts


# ---------------------------------------------------------------- merging

def _group_mentions(names: list[_Mention], acronyms: list[_Mention], lex: _Lexicon) -> list[_Mention]:
    """Give every mention a group id; return the acronym mentions that belong to a body."""
    by_name: dict[str, int] = {}
    by_acronym: dict[str, int] = {}
    by_first_word: dict[str, int] = {}
    for mention in names:
        mention.group = by_name.setdefault(_grouping_key(mention.name), len(by_name))
    _merge_shortened_names(names, by_name)
    for mention in names:
        if mention.acronym:
            by_acronym.setdefault(mention.acronym, mention.group)
            by_acronym.setdefault(mention.acronym.split()[0], mention.group)
        by_first_word.setdefault(mention.name.split()[0], mention.group)
    next_group = len(by_name)
    kept = []
    for mention in acronyms:
        token = mention.acronym
        group = by_acronym.get(token)
        if group is None:
            group = by_first_word.get(token)
        if group is None:
            for named in names:
                if _acronym_fits(token, named.name, lex):
                    group = named.group
                    break
        known = lex.known_by_acronym.get(token)
        if group is None and known is not None and known[0]:
            group = by_name.get(_grouping_key(known[0]))
        if group is None:
            if (known is None and not mention.cued) or (known is not None and known[1] == "not_body"):
                continue
            group = next_group
            next_group += 1
        by_acronym.setdefault(token, group)
        mention.group = group
        kept.append(mention)
    return kept


_KEY_NOISE = re.compile(r"\s+(?:[–—-]|в|във)\s+")


def _grouping_key(name: str) -> str:
    """`Общински съвет – Русе` and `Общински съвет в Русе` are one name."""
    return _KEY_NOISE.sub(" ", fold(name))


def _merge_shortened_names(names: list[_Mention], by_name: dict[str, int]) -> None:
    """`Asociația Orașelor` and `Asociația Orașelor din România`, `Câmara de Faro` and
    `Câmara Municipal de Faro` in one article are one body."""
    keys = sorted(by_name, key=len)
    for n, short in enumerate(keys):
        if " " not in short:
            continue
        longer = next((k for k in keys[n + 1:] if k.startswith((short + " ", short + ","))), None)
        if longer is None:
            candidates = [k for k in keys[n + 1:] if _shortened(short.split(), k.split())]
            longer = candidates[0] if len(candidates) == 1 else None
        if longer is not None:
            old, new = by_name[short], by_name[longer]
            for mention in names:
                if mention.group == old:
                    mention.group = new
            by_name[short] = new


def _shortened(short: list[str], long: list[str]) -> bool:
    """Same first and last word, and the short name's words in order within the long one."""
    if short[0] != long[0] or short[-1] != long[-1] or len(short) >= len(long):
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


def _mixed_case_acronyms(text, tokens, acronyms_in_use: set[str], taken: set[int]) -> list[_Mention]:
    """`Amsul` for `AMSUL`: a capitalised word spelling an acronym of the article."""
    folded = {fold(a): a for a in acronyms_in_use if len(a) >= 3}
    found = []
    if not folded:
        return found
    folded_tokens = list(map(_FOLDED, tokens))
    if folded.keys().isdisjoint(folded_tokens):
        return found
    for i in _where(map(folded.__contains__, folded_tokens)):
        tok = tokens[i]
        acronym = folded[tok.folded]
        if not tok.title or i in taken:
            continue
        if tok.text != acronym or not _is_acronym(acronym):
            found.append(_Mention(name=acronym, start=tok.start, end=tok.end, kind="acronym",
                                  acronym=acronym, first_token=i, last_token=i))
    return found


# ---------------------------------------------------------------- entry

def extract(article: Article) -> list[Organisation]:
    lang = article.language
    text = article.text or ""
    if lang not in LANGUAGES or not text.strip():
        return []
    lex = _lexicon(lang)
    tokens = _tokens(text, lex)
    names, local_units, bare_heads = _name_mentions(text, tokens, lang, lex)
    source = _dateline_source(text)
    if source:
        names = [m for m in names if not source[0] <= m.start < source[1]]
    taken = {i for m in names for i in range(m.first_token, m.last_token + 1)}
    _known_acronym_continuations(text, tokens, names, taken, lex)
    _acronym_dash_names(text, tokens, names, taken)
    taken = {i for m in names for i in range(m.first_token, m.last_token + 1)}
    acronyms = _acronym_mentions(text, tokens, taken)
    if source:
        acronyms = [m for m in acronyms if not source[0] <= m.start < source[1]]
    cues = _lead_only(_cues(tokens, lex), text)
    _mark_cued_acronyms(text, acronyms, cues, lex)

    kept_acronyms = _group_mentions(names, acronyms, lex)
    in_use = {m.acronym for m in names + kept_acronyms if m.acronym}
    taken |= {m.first_token for m in kept_acronyms}
    mixed = _mixed_case_acronyms(text, tokens, in_use, taken)
    for mention in mixed:
        mention.cued = True
    mixed = _group_mentions(names, mixed, lex)
    mentions = names + kept_acronyms + mixed + _standing_for_a_name(bare_heads, names)

    _assign_relations(text, mentions, cues, tokens, lex)
    _chiefs_present(text, names, lex)
    hosts = _host_units(tokens, local_units, cues, names)
    next_group = max((m.group for m in mentions), default=-1) + 1
    for unit in hosts:
        if unit.group < 0:
            match = next((m.group for m in mentions if fold(m.name) == fold(unit.name)), None)
            unit.group = match if match is not None else next_group
            next_group += match is None
            mentions.append(unit)
    _chiefs_acting(text, mentions, cues, tokens, lang, lex)
    _default_organiser(text, mentions, lex)
    _press_office_signature(text, tokens, mentions, lex)
    return _organisations(mentions, lex)


# `LISBOA (Agência X) –` opening the body: the news agency that wrote it, not a body of the story
_DATELINE_SOURCE = re.compile(r"[^\S\n]*[^\W\d_][^\n()]{0,40}?\(([^()\n]{2,40})\)\s*[–—-]")


def _dateline_source(text: str) -> tuple[int, int] | None:
    """In the first lines after the headline (a byline may come before the dateline)."""
    line_start, lines_seen = text.find("\n") + 1, 0
    while line_start > 0 and lines_seen < 3:
        match = _DATELINE_SOURCE.match(text, line_start)
        if match:
            return match.span(1)
        line_end = text.find("\n", line_start)
        lines_seen += line_end != line_start
        line_start = line_end + 1
    return None


def _default_organiser(text: str, mentions: list[_Mention], lex: _Lexicon) -> None:
    """With no cue naming an organiser, the event is the doing of the body that opens the lead's
    first sentence as its subject (`A Câmara Municipal de X (CMX) e o Instituto Y assinaram ...`),
    unless a cue gives that body another role (`X găzduiește`) or names a host."""
    if any("organiser" in m.relations or "host" in m.relations for m in mentions):
        return
    headline_end = text.find("\n")
    lead = [m for m in mentions if headline_end < m.start < _lead_end(text)]
    if headline_end < 0 or not lead:
        return
    first = min(lead, key=lambda m: m.start)
    bounds = _sentence_bounds(text)
    sentence_start = bounds[_sentence_of(first.start, bounds)]
    if sentence_start <= headline_end or text[sentence_start - 1] != "\n" \
            or not _opens_sentence(text[sentence_start:first.start], lex):
        return
    if any(m.relations - {"participant"} for m in mentions if m.group == first.group):
        return
    first.relations.add("organiser")


_MAX_SIGNATURE = 120


def _press_office_signature(text: str, tokens: list[_Token], mentions: list[_Mention], lex: _Lexicon) -> None:
    """`Gabinete de Comunicação da Câmara Municipal de X` as the article's last line: with no cue
    naming an organiser or a host, the event is that of the body whose press release it is."""
    if not tokens or any("organiser" in m.relations or "host" in m.relations for m in mentions):
        return
    text_end = len(text.rstrip())
    line_start = text.rfind("\n", 0, text_end) + 1
    if text_end - line_start > _MAX_SIGNATURE:
        return
    first = len(tokens)
    while first > 0 and tokens[first - 1].start >= line_start:
        first -= 1
    found = _head_at(tokens, first, lex) if first < len(tokens) else None
    if found is None or found[1] != "unit":
        return
    body = min((m for m in mentions if m.start > tokens[first].start and m.kind not in ("acronym", "short")),
               key=lambda m: m.start, default=None)
    if body is not None and not text[body.end:text_end].strip(" .,;)"):
        body.relations.add("organiser")


def _standing_for_a_name(bare_heads: list[_Mention], names: list[_Mention]) -> list[_Mention]:
    """`în sala Primăriei` stands for the one `Primăria ...` named in the article; with
    none or several such names it stands for nothing."""
    kept = []
    for head in bare_heads:
        key = fold(head.name)
        groups = {m.group for m in names if fold(m.name.split()[0]) == key and len(m.name.split()) > 1}
        if len(groups) == 1:
            head.group = groups.pop()
            kept.append(head)
    return kept


def _known_acronym_continuations(text, tokens, names, taken, lex) -> None:
    """A known body named by its acronym and a country (`UNICEF România`) is one name."""
    for i in _where(map(_KNOWN, tokens)):
        tok = tokens[i]
        if i + 1 == len(tokens) or i in taken or lex.known_by_acronym[tok.text][0]:
            continue
        nxt = tokens[i + 1]
        after = tokens[i + 2].text if i + 2 < len(tokens) else ""
        if nxt.title and _adjacent(text, tok, nxt) and i + 1 not in taken \
                and not _is_title(after) and nxt.text not in lex.first_names:
            names.append(_Mention(name=f"{tok.text} {nxt.text}", start=tok.start, end=nxt.end,
                                  first_token=i, last_token=i + 1))
            taken.update((i, i + 1))


def _acronym_dash_names(text, tokens, names, taken) -> None:
    """`ABC Portugal – Rede Europeia de X`: an acronym and a country before a dash and the
    full name are one body's name, known by that acronym."""
    for mention in names:
        dash, word, acronym = mention.first_token - 1, mention.first_token - 2, mention.first_token - 3
        if acronym < 0 or mention.acronym or {dash, word, acronym} & taken:
            continue
        if tokens[dash].text in "–—" and tokens[word].title and tokens[acronym].acronym \
                and _adjacent(text, tokens[acronym], tokens[word]) and _adjacent(text, tokens[word], tokens[dash]) \
                and _adjacent(text, tokens[dash], tokens[mention.first_token]):
            mention.name = f"{tokens[acronym].text} {tokens[word].text} – {mention.name}"
            mention.acronym = tokens[acronym].text
            mention.start, mention.first_token = tokens[acronym].start, acronym
            taken.update((dash, word, acronym))


def _mark_cued_acronyms(text, acronyms, cues, lex) -> None:
    """An acronym never expanded is a body when a cue right before it says so
    (`председател на УС на СОР`, `organizat de ABC`)."""
    befores = [c for c in cues if c.position == "before"]
    for mention in acronyms:
        mention.cued = any(_introduces(c, mention.start, text, lex) for c in befores)


def _chiefs_present(text: str, names: list[_Mention], lex: _Lexicon) -> None:
    """`ministra da Saúde`, `заместник-министърът на труда`: a body whose chief's title (with the
    name's complement) appears takes part through that person."""
    if not lex.members:
        return
    folded_text = None
    for mention in names:
        words = mention.name.split()
        titles = lex.members.get(fold(words[0]))
        if not titles or len(words) < 2:
            continue
        complement = []
        for word in words[1:]:
            complement.append(fold(word))
            if len(word) > 3:
                break
        folded_text = folded_text or fold(text)
        if any(f"{title} {' '.join(complement)}" in folded_text for title in titles):
            mention.relations.add("participant")


def _chiefs_acting(text: str, mentions: list[_Mention], cues: list[_Cue], tokens: list[_Token],
                   lang: str, lex: _Lexicon) -> None:
    """`O presidente da Câmara de X inaugurou`, `Ministro da Saúde lança`, `прерязаха лентата кметът на
    Община X`: with no cue naming an organiser, an event that is the act of a body's chief in the lead
    is the body's (a chief's title before the body's name or before its complement, an organiser verb
    after him or an act verb right before him). A ceremonial act (`откри`, `inaugurou`) makes only a
    local body's chief its holder: a minister opening a local service is its guest of honour; and the
    chief of the event's host opens it as the host."""
    if not lex.chief_titles or any("organiser" in m.relations for m in mentions):
        return
    lead_end = _lead_end(text)
    acts = [c for c in cues if c.relation == "organiser" and c.position in ("after", "act") and c.start < lead_end]
    if not acts:
        return
    folded = list(map(_FOLDED, tokens))
    titles_at = [i for i in _where(map(lex.chief_titles.__contains__, folded)) if tokens[i].start < lead_end]
    if not titles_at:
        return
    bounds = _sentence_bounds(text)
    starting_at = {m.first_token: m for m in mentions if m.kind not in ("acronym", "short")}
    hosts = {m.group for m in mentions if "host" in m.relations}
    ceremonial = {c.start for c in acts if c.position == "act"}
    for mention in mentions:
        words = mention.name.split()
        titles = lex.members.get(fold(words[0]))
        if not titles or len(words) < 2 or mention.kind in ("acronym", "short") or mention.group in hosts:
            continue
        name_words = [fold(t) for t in _TOKEN.findall(mention.name)]
        verbs = acts if mention.kind == "local" else [c for c in acts if c.start not in ceremonial]
        for t in titles_at:
            if folded[t] not in titles:
                continue
            end = _chief_phrase_end(text, tokens, folded, t, name_words, mention.group, starting_at, lang, lex)
            if end is not None and _acts(text, tokens[t].start, tokens[end].end, verbs, bounds, mentions, mention.group, lex):
                mention.relations.add("organiser")
                break


def _chief_phrase_end(text, tokens, folded, t, name_words, group, starting_at, lang, lex) -> int | None:
    """Last token of `ministro da Saúde` (the title, then the body's complement), `primarul
    municipiului X` (the title, then the body's name in any case) or `кметът на Община X` (the
    title, a function word at most, then a mention of the body)."""
    complement = name_words[1:]
    if folded[t + 1:t + 1 + len(complement)] == complement:
        return t + len(complement)
    last = t + len(name_words)
    if last < len(tokens) and folded[last] == name_words[-1] \
            and fold(nominative(text[tokens[t + 1].start:tokens[last].end], lang)) == " ".join(name_words):
        return last
    for k in (t + 1, t + 2):
        other = starting_at.get(k)
        if other is not None and other.group == group:
            return other.last_token
        if k >= len(folded) or not (folded[k] in lex.connectors or folded[k] in lex.leading):
            return None
    return None


def _acts(text, start, end, acts, bounds, mentions, group, lex) -> bool:
    """An organiser verb follows the chief in his sentence (closely, or he opens it, no other body
    between), or an act verb comes right before him."""
    sentence = _sentence_of(start, bounds)
    for cue in acts:
        if cue.end <= start:
            if cue.position == "act" and _gap_is_function_words(text[cue.end:start], lex):
                return True
        elif cue.start >= end and _sentence_of(cue.start, bounds) == sentence:
            between = any(end <= m.start < cue.start and m.group != group for m in mentions)
            close = len(text[end:cue.start]) <= _MAX_AFTER_GAP \
                or _opens_sentence(text[bounds[sentence]:start], lex)
            if close and not between:
                return True
    return False


def _organisations(mentions: list[_Mention], lex: _Lexicon) -> list[Organisation]:
    groups: dict[int, list[_Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.group, []).append(mention)
    result = []
    for members in groups.values():
        members.sort(key=lambda m: m.start)
        named = [m for m in members if m.kind not in ("acronym", "short")]
        acronym = next((m.acronym for m in members if m.acronym and m.kind != "acronym"), None) \
            or next((m.acronym for m in members if m.acronym), None)
        if named:
            name = max(named, key=lambda m: (len(m.name.split()), -m.start)).name
        else:
            known = lex.known_by_acronym.get(acronym or "", ("", ""))[0]
            name = known or acronym or members[0].name
        relations = set().union(*(m.relations for m in members))
        relation = min(relations, key=_RANK.__getitem__, default="mentioned")
        if named and all(m.kind == "fitted" for m in named) and not any(m.listed_relations for m in members):
            continue
        if named and named[0].kind == "site" and named[0].after_locative and relation == "mentioned":
            continue     # `no Centro de Formação X`: the venue of the event
        if _funding_instrument(name, named, acronym, lex):
            relation = "funder"
        first = members[0]
        result.append(Organisation(name=name, acronym=acronym, relation=relation,
                                   start=first.start, end=first.end))
    result.sort(key=lambda o: o.start)
    return result


def _funding_instrument(name: str, named: list[_Mention], acronym: str | None, lex: _Lexicon) -> bool:
    """A fund, programme or recovery plan funds whatever cue stands near it; a known body
    with such a head (`Programa das Nações Unidas ...`) does not."""
    key = fold(name)
    if key in lex.known_funds:
        return True
    if key in lex.known_names:
        return False
    if named:
        return any(m.kind in ("fund", "programme", "plan") for m in named)
    return lex.known_by_acronym.get(acronym or "", ("", ""))[1] == "fund"
