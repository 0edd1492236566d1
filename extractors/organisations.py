"""Organisations named in an article, in base form, with acronyms and their relation to the event.

Names are found from head nouns (`models/<lang>/org_heads.tsv`: Ministerul,
Associação, Агенция, ...) continued by capitalised words, function words
(`org_connectors.tsv`) and a quoted name; Bulgarian names may start with
adjectives (`Националното сдружение`) and carry lower-case words after a
connector (`на труда и социалната политика`). Acronyms come from a parenthesis
after a name, from a bare acronym whose letters fit a name of the same article,
or from the lexicon of known bodies (`org_known.tsv`). Mentions of one body are
merged; its relation comes from cues around its mentions (`org_relations.tsv`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.article import Article, Organisation
from pipeline.morph import nominative
from pipeline.resources import LANGUAGES, read_list, read_table
from pipeline.textnorm import fold

RELATION_ORDER = ("organiser", "host", "partner", "funder", "participant", "mentioned")
_RANK = {relation: rank for rank, relation in enumerate(RELATION_ORDER)}

_TOKEN = re.compile(r"(?:[^\W\d_]{1,2}\.){2,}|\w+(?:[-’'`]\w+)*|[^\w\s]", re.UNICODE)
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_OPEN_QUOTES = frozenset("„«\"“‘‚")
_CLOSE_QUOTES = frozenset("”“\"»’‘")
_DASHES = frozenset("–—-")
_COORDINATION = frozenset({"și", "si", "e", "и", "and", ","})
# Bulgarian lower-case words after a connector: at most this many per connector.
_MAX_LOWER_RUN = 2
# Bulgarian verb endings: such a word ends a name (`Министерството на труда организира`).
_BG_VERB = re.compile(r"(?:ира|ува|ава|ява|ева|жда|ха|ше|ат|ят)$")
_BG_NOT_NAME = frozenset({"е", "са", "се", "ще", "бе", "беше", "от", "с", "със", "които", "който", "която",
                          "като", "при", "след", "до", "че", "не", "да", "а", "но"})
_MAX_AFTER_GAP = 60
_LOCATIVES = frozenset({"в", "във", "in", "la", "em", "no", "na"})   # folded: în -> in
_MAX_BEFORE_GAP = 12


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Lexicon:
    heads: dict[tuple[str, ...], tuple[str, bool, tuple[bool, ...]]]
    # folded words -> (kind, is base form, capitalisation of the words after the first)
    max_head: int
    connectors: frozenset[str]
    known_by_acronym: dict[str, tuple[str, str]]     # acronym -> (name or "", kind)
    known_acronym_by_name: dict[str, str]            # folded name -> acronym
    first_names: frozenset[str]
    surname_endings: re.Pattern | None
    leading: frozenset[str]
    cues: dict[tuple[str, ...], tuple[tuple[str, str], ...]]   # folded cue words -> ((relation, position), ...)
    cue_first_words: frozenset[str]
    max_cue: int
    head_first_words: frozenset[str]


@dataclass
class _Mention:
    name: str                 # base form
    start: int
    end: int
    kind: str = "body"        # body | local | fund | programme | acronym
    acronym: str | None = None
    first_token: int = 0
    last_token: int = 0
    relations: set[str] = field(default_factory=set)
    group: int = -1
    cued: bool = False        # a bare acronym right after a relation or role cue
    listed_relations: set[str] = field(default_factory=set)   # from cues a coordinated list shares


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    heads: dict[tuple[str, ...], tuple[str, bool, tuple[bool, ...]]] = {}
    for row in read_table(lang, "org_heads.tsv"):
        kind = row.get("kind") or "body"
        forms = [row["head"]] + [f.strip() for f in row.get("forms", "").split("|") if f.strip()]
        for n, form in enumerate(forms):
            words = form.split()
            capitals = tuple(w[:1].isupper() for w in words[1:])
            heads.setdefault(tuple(fold(w) for w in words), (kind, n == 0, capitals))
    known_by_acronym, known_acronym_by_name = {}, {}
    for row in read_table(lang, "org_known.tsv"):
        acronym, name, kind = row.get("acronym", ""), row.get("name", ""), row.get("kind") or "body"
        if acronym:
            known_by_acronym.setdefault(acronym, (name, kind))
        if name and acronym and kind == "body":
            known_acronym_by_name.setdefault(fold(name), acronym)
    try:
        first_names = frozenset(read_list(lang, "first_names.txt"))
    except FileNotFoundError:   # the officials' list; names then simply do not stop a name
        first_names = frozenset()
    leading = frozenset(fold(r["from"]) for r in read_table(lang, "morph.tsv") if r.get("kind") == "leading")
    cues: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for row in read_table(lang, "org_relations.tsv"):
        if row.get("cue") and row.get("relation") in _RANK:
            words = tuple(fold(m.group()) for m in _TOKEN.finditer(row["cue"]))
            cues.setdefault(words, []).append((row["relation"], row.get("position", "before")))
    return _Lexicon(
        heads=heads,
        max_head=max(len(k) for k in heads) if heads else 1,
        connectors=frozenset(fold(r["word"]) for r in read_table(lang, "org_connectors.tsv")),
        known_by_acronym=known_by_acronym,
        known_acronym_by_name=known_acronym_by_name,
        first_names=first_names,
        surname_endings=_ending_pattern(read_list(lang, "org_person_endings.txt")),
        leading=leading,
        cues={k: tuple(v) for k, v in cues.items()},
        cue_first_words=frozenset(k[0] for k in cues),
        max_cue=max((len(k) for k in cues), default=1),
        head_first_words=frozenset(k[0] for k in heads),
    )


def _ending_pattern(endings: tuple[str, ...]) -> re.Pattern | None:
    if not endings:
        return None
    return re.compile(r"\w(?:" + "|".join(map(re.escape, sorted(endings, key=len, reverse=True))) + r")$")


# ---------------------------------------------------------------- token tests

def _is_title(word: str) -> bool:
    """Capitalised and not all capitals (`Ministerul`, `Sud-Est`, not `PROGRAMUL`)."""
    return word[:1].isupper() and any(c.islower() for c in word)


def _acronym_letters(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


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


def _initials(name: str, lex: _Lexicon) -> tuple[str, str]:
    """Initials of a name's content words, and of all its words (`МТСП`, ...)."""
    words = [w for w in re.findall(r"\w+", name) if w[:1].isalpha()]
    content = fold("".join(w[0] for w in words if fold(w) not in lex.connectors))
    every = fold("".join(w[0] for w in words))
    return content, every


def _acronym_fits(acronym: str, name: str, lex: _Lexicon) -> bool:
    """`МТСП` ~ `Министерство на труда и социалната политика` (function words skipped)."""
    capitals = fold("".join(c for c in acronym if c.isupper()))
    if len(capitals) < 2:
        return False
    return capitals in _initials(name, lex)


def _clean_acronym(raw: str) -> str:
    return raw.replace(".", "").strip()


# ---------------------------------------------------------------- scanning

def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """True when nothing but spaces (no line break) separates two tokens."""
    gap = text[left.end:right.start]
    return "\n" not in gap and not gap.strip()


def _head_at(tokens: list[_Token], i: int, lex: _Lexicon) -> tuple[int, str, bool] | None:
    """(size, kind, is_base) of the longest head starting at token i."""
    if fold(tokens[i].text) not in lex.head_first_words:
        return None
    for size in range(min(lex.max_head, len(tokens) - i), 0, -1):
        key = tuple(fold(t.text) for t in tokens[i:i + size])
        if key in lex.heads:
            kind, is_base, capitals = lex.heads[key]
            if all(t.text[:1].isupper() == upper for t, upper in zip(tokens[i + 1:i + size], capitals)):
                return size, kind, is_base
    return None


def _starts_name(tokens: list[_Token], i: int, lex: _Lexicon) -> bool:
    return i < len(tokens) and _is_title(tokens[i].text) and _head_at(tokens, i, lex) is not None


def _bg_adjectives_before_head(tokens, i, lex, text) -> tuple[int, int] | None:
    """Bulgarian `Националното сдружение`: (head index, adjectives count) when
    token i is a capitalised adjective leading up to a lower-case head."""
    if not _is_title(tokens[i].text):
        return None
    for extra in range(1, 3):
        j = i + extra
        if j >= len(tokens) or not _adjacent(text, tokens[j - 1], tokens[j]):
            return None
        word = tokens[j].text
        if not word.isalpha() or fold(word) in lex.connectors:
            return None
        if _head_at(tokens, j, lex) is not None and word[:1].islower():
            return j, extra
    return None


def _extend(tokens: list[_Token], j: int, text: str, lang: str, lex: _Lexicon) -> int:
    """Index after the last token that continues a name whose head ends before j."""
    end = j
    if j < len(tokens) and tokens[j].text in _OPEN_QUOTES and _adjacent(text, tokens[j - 1], tokens[j]):
        for k in range(j + 1, min(j + 14, len(tokens))):
            if "\n" in text[tokens[k - 1].end:tokens[k].start]:
                break
            if tokens[k].text in _CLOSE_QUOTES:
                if k > j + 1:
                    return k + 1
                break
    lower_run = 0
    after_connector = False
    while j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j]):
        word = tokens[j].text
        folded = fold(word)
        if folded in lex.connectors and word[:1].islower():
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if nxt is None or not _adjacent(text, tokens[j], nxt):
                break
            coordination = folded in _COORDINATION
            if coordination and (_starts_name(tokens, j + 1, lex) or _is_acronym(nxt.text)):
                break
            if fold(nxt.text) in lex.leading and j + 2 < len(tokens) and _is_title(tokens[j + 2].text) \
                    and not coordination and _adjacent(text, nxt, tokens[j + 2]):
                after_connector, lower_run = True, 0
                j += 2
                continue
            if not (_is_title(nxt.text) or (lang == "bg" and _bg_name_word(nxt.text))
                    or (after_connector and _is_acronym(nxt.text)) or (not coordination and _is_acronym(nxt.text))):
                break
            after_connector, lower_run = True, 0
            j += 1
            continue
        if _is_title(word):
            if not after_connector and (_person_starts(tokens, j, text, lex) or _starts_base_name(tokens, j, lex)):
                break
            j += 1
            end = j
            lower_run = _MAX_LOWER_RUN     # lower-case words again only after a connector
            continue
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
        break
    return end


def _starts_base_name(tokens: list[_Token], j: int, lex: _Lexicon) -> bool:
    """A head in its base form (`Ministerul`, not `Fondurilor`) begins another name."""
    found = _head_at(tokens, j, lex) if _is_title(tokens[j].text) else None
    return found is not None and found[2]


def _person_starts(tokens: list[_Token], j: int, text: str, lex: _Lexicon) -> bool:
    """`Столична община Мария Иванова`: a first name, or two capitalised words
    the second of which ends like a surname, begin a person's name."""
    if j + 1 >= len(tokens) or not _is_title(tokens[j + 1].text) or not _adjacent(text, tokens[j], tokens[j + 1]):
        return False
    return tokens[j].text in lex.first_names or bool(lex.surname_endings and
                                                     lex.surname_endings.search(tokens[j + 1].text))


def _bg_name_word(word: str) -> bool:
    return word.isalpha() and word.islower() and word not in _BG_NOT_NAME and not _BG_VERB.search(word)


def _dash_suffix(tokens: list[_Token], j: int, text: str) -> bool:
    """`… общините – Развитие (СОР – Развитие)`: a dash and a word the following parenthesis repeats."""
    if j + 2 >= len(tokens) or not _is_title(tokens[j + 1].text) or tokens[j + 2].text != "(":
        return False
    close = text.find(")", tokens[j + 2].end, tokens[j + 2].end + 40)
    return close > 0 and tokens[j + 1].text in text[tokens[j + 2].end:close]


def _parenthesised_acronym(tokens: list[_Token], k: int, text: str) -> tuple[str, int] | None:
    """`(ANPIS)`, `(A.N.P.I.S.)`, `(СОР – Развитие)` at token k: (acronym, index after `)`)."""
    if k >= len(tokens) or tokens[k].text != "(" or k + 1 >= len(tokens):
        return None
    if not _is_acronym(tokens[k + 1].text):
        return None
    for close in range(k + 2, min(k + 6, len(tokens))):
        if tokens[close].text == ")":
            inner = text[tokens[k + 1].start:tokens[close - 1].end]
            if close > k + 2 and not (close == k + 4 and tokens[k + 2].text in _DASHES):
                return None
            return _clean_acronym(inner), close + 1
    return None


def _name_mentions(text: str, tokens: list[_Token], lang: str, lex: _Lexicon) -> tuple[list[_Mention], list[_Mention]]:
    """Head-noun names, and lower-case local units (`община Смолян`) kept aside for the host rule."""
    mentions, local_units = [], []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start_index, head_index = i, i
        quoted = i > 0 and tokens[i - 1].text in _OPEN_QUOTES
        found = _head_at(tokens, i, lex) if _is_title(tok.text) and not quoted else None
        if found is None and lang == "bg":
            adjectives = _bg_adjectives_before_head(tokens, i, lex, text)
            if adjectives is not None:
                head_index = adjectives[0]
                found = _head_at(tokens, head_index, lex)
        if found is None:
            if tok.text[:1].islower():
                unit = _lower_local(tokens, i, text, lang, lex)
                if unit is not None:
                    local_units.append(unit)
            i += 1
            continue
        size, kind, is_base = found
        after_head = head_index + size
        end_index = _extend(tokens, after_head, text, lang, lex)
        words = end_index - start_index
        if kind == "unit" or (words < 2 and not (size > 1 and is_base)):
            i += 1
            continue
        raw = text[tokens[start_index].start:tokens[end_index - 1].end]
        mention = _Mention(name=nominative(raw, lang), start=tokens[start_index].start,
                           end=tokens[end_index - 1].end, kind=kind,
                           first_token=start_index, last_token=end_index - 1)
        paren = _parenthesised_acronym(tokens, end_index, text)
        if paren is not None:
            mention.acronym = paren[0]
        mentions.append(mention)
        i = end_index
    return mentions, local_units


def _lower_local(tokens, i, text, lang, lex) -> _Mention | None:
    """`община Смолян`: a lower-case local head with a place name."""
    found = _head_at(tokens, i, lex)
    if found is None or found[1] != "local" or not found[2] or i + found[0] >= len(tokens):
        return None
    j = i + found[0]
    end = j
    while end < len(tokens) and _is_title(tokens[end].text) and _adjacent(text, tokens[end - 1], tokens[end]):
        end += 1
    if end == j:
        return None
    head = " ".join(t.text for t in tokens[i:j])
    place = text[tokens[j].start:tokens[end - 1].end]
    return _Mention(name=head[:1].upper() + head[1:] + " " + place, start=tokens[i].start,
                    end=tokens[end - 1].end, kind="local", first_token=i, last_token=end - 1)


def _acronym_mentions(text: str, tokens: list[_Token], taken: set[int]) -> list[_Mention]:
    mentions = []
    for i, tok in enumerate(tokens):
        if i in taken or not _is_acronym(tok.text):
            continue
        if _in_capitals_run(tokens, i, text):
            continue
        mentions.append(_Mention(name=_clean_acronym(tok.text), start=tok.start, end=tok.end, kind="acronym",
                                 acronym=_clean_acronym(tok.text), first_token=i, last_token=i))
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
    """Relation cues in the text, the longest at each token."""
    found = []
    i = 0
    while i < len(tokens):
        first = fold(tokens[i].text)
        if first not in lex.cue_first_words and "-" in first:   # `градът-домакин`, `общината-домакин`
            first = first.rsplit("-", 1)[1]
        size = 0
        if first in lex.cue_first_words:
            for size in range(min(lex.max_cue, len(tokens) - i), 0, -1):
                key = (first,) + tuple(fold(t.text) for t in tokens[i + 1:i + size])
                options = lex.cues.get(key)
                if options:
                    found.extend(_Cue(tokens[i].start, tokens[i + size - 1].end, relation, position)
                                 for relation, position in options)
                    break
            else:
                size = 0
        i += max(size, 1)
    return found


_SENTENCE_END = re.compile(r"(?<!\b\w)(?<!\b\w\w)[.!?…]+[\"”“»]?\s+(?=[\"„“«(]?[^\W\d_])|\n+", re.UNICODE)


def _sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences (line breaks and end punctuation not after a short abbreviation)."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _sentence_of(offset: int, bounds: list[int]) -> int:
    lo, hi = 0, len(bounds) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if bounds[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _gap_is_function_words(gap: str, lex: _Lexicon) -> bool:
    if len(gap) > _MAX_BEFORE_GAP + 1:
        return False
    words = [w for w in re.split(r"[\s„“”\"«»]+", gap) if w]
    return all(fold(w) in lex.leading for w in words)


def _assign_relations(text, mentions, cues, lex) -> None:
    bounds = _sentence_bounds(text)
    sentence_cues: dict[int, set[str]] = {}
    for cue in cues:
        if cue.position == "sentence":
            sentence_cues.setdefault(_sentence_of(cue.start, bounds), set()).add(cue.relation)
    ordered = sorted(mentions, key=lambda m: m.start)
    for index, mention in enumerate(ordered):
        sentence = _sentence_of(mention.start, bounds)
        direct: set[str] = set()
        for cue in cues:
            if cue.position == "before" and cue.end <= mention.start:
                if _gap_is_function_words(text[cue.end:mention.start], lex):
                    direct.add(cue.relation)
            elif cue.position == "after" and cue.start >= mention.end:
                if _subject_of(mention, cue, ordered, text, lex) and _sentence_of(cue.start, bounds) == sentence:
                    direct.add(cue.relation)
        if index and not direct:
            previous = ordered[index - 1]
            if previous.group != mention.group and _coordinated(text[previous.end:mention.start], lex):
                direct = set(previous.listed_relations)
        mention.listed_relations = direct
        mention.relations |= direct | sentence_cues.get(sentence, set())


def _subject_of(mention: _Mention, cue: _Cue, ordered: list[_Mention], text: str, lex: _Lexicon) -> bool:
    """True when the mention, alone or in a coordinated list (`X și Y au lansat`), comes
    shortly before a verb cue with no other body in between."""
    end = mention.end
    for other in ordered:
        if other.start < end or other.start >= cue.start:
            continue
        if other.group != mention.group and not _coordinated(text[end:other.start], lex):
            return False
        end = max(end, other.end)
    return len(text[end:cue.start]) <= _MAX_AFTER_GAP


def _coordinated(gap: str, lex: _Lexicon) -> bool:
    """`X și Y`, `X, Y`, `X e a Y`: a list of bodies sharing one cue."""
    words = [w for w in re.split(r"\s+", gap.replace(",", " , ")) if w]
    return 0 < len(words) <= 3 and all(fold(w) in _COORDINATION or fold(w) in lex.leading for w in words) \
        and any(fold(w) in _COORDINATION for w in words)


def _host_units(tokens, local_units, cues, mentions) -> list[_Mention]:
    """With `общината-домакин`/`comuna gazdă`, the local body of the place where the event is held
    (`в Смолян се провежда`)."""
    if not any(c.position == "host_place" for c in cues):
        return []
    event_places = {fold(tokens[i + 1].text) for i in range(len(tokens) - 1)
                    if fold(tokens[i].text) in _LOCATIVES and _is_title(tokens[i + 1].text)}
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
        key = fold(mention.name)
        mention.group = by_name.setdefault(key, len(by_name))
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
            group = by_name.get(fold(known[0]))
        if group is None:
            if (known is None and not mention.cued) or (known is not None and known[1] != "body"):
                continue
            group = next_group
            next_group += 1
        by_acronym.setdefault(token, group)
        mention.group = group
        kept.append(mention)
    return kept


def _merge_shortened_names(names: list[_Mention], by_name: dict[str, int]) -> None:
    """`Asociația Orașelor` and `Asociația Orașelor din România` in one article are one body."""
    keys = sorted(by_name, key=len)
    for n, short in enumerate(keys):
        if " " not in short:
            continue
        longer = next((k for k in keys[n + 1:] if k.startswith(short + " ")), None)
        if longer is not None:
            old, new = by_name[short], by_name[longer]
            for mention in names:
                if mention.group == old:
                    mention.group = new
            by_name[short] = new


def _mixed_case_acronyms(text, tokens, acronyms_in_use: set[str], taken: set[int]) -> list[_Mention]:
    """`Amvap` for `AMVAP`: a capitalised word spelling an acronym of the article."""
    folded = {fold(a): a for a in acronyms_in_use if len(a) >= 3}
    found = []
    for i, tok in enumerate(tokens):
        if i in taken or not _is_title(tok.text):
            continue
        acronym = folded.get(fold(tok.text))
        if acronym is not None and tok.text != acronym:
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
    tokens = _tokens(text)
    names, local_units = _name_mentions(text, tokens, lang, lex)
    taken = {i for m in names for i in range(m.first_token, m.last_token + 1)}
    _known_acronym_continuations(text, tokens, names, taken, lex)
    taken = {i for m in names for i in range(m.first_token, m.last_token + 1)}
    acronyms = _acronym_mentions(text, tokens, taken)
    cues = _cues(tokens, lex)
    _mark_cued_acronyms(text, acronyms, cues, lex)

    kept_acronyms = _group_mentions(names, acronyms, lex)
    in_use = {m.acronym for m in names + kept_acronyms if m.acronym}
    taken |= {m.first_token for m in kept_acronyms}
    mixed = _mixed_case_acronyms(text, tokens, in_use, taken)
    for mention in mixed:
        mention.cued = True
    mixed = _group_mentions(names, mixed, lex)
    mentions = names + kept_acronyms + mixed

    _assign_relations(text, mentions, cues, lex)
    hosts = _host_units(tokens, local_units, cues, names)
    next_group = max((m.group for m in mentions), default=-1) + 1
    for unit in hosts:
        if unit.group < 0:
            match = next((m.group for m in mentions if fold(m.name) == fold(unit.name)), None)
            unit.group = match if match is not None else next_group
            next_group += match is None
            mentions.append(unit)
    return _organisations(mentions, lex)


def _known_acronym_continuations(text, tokens, names, taken, lex) -> None:
    """A known body named by its acronym and a country (`UNICEF România`) is one name."""
    for i, tok in enumerate(tokens[:-1]):
        if i in taken or tok.text not in lex.known_by_acronym or lex.known_by_acronym[tok.text][0]:
            continue
        nxt = tokens[i + 1]
        after = tokens[i + 2].text if i + 2 < len(tokens) else ""
        if _is_title(nxt.text) and _adjacent(text, tok, nxt) and i + 1 not in taken \
                and not _is_title(after) and nxt.text not in lex.first_names:
            names.append(_Mention(name=f"{tok.text} {nxt.text}", start=tok.start, end=nxt.end,
                                  first_token=i, last_token=i + 1))
            taken.update((i, i + 1))


def _mark_cued_acronyms(text, acronyms, cues, lex) -> None:
    """An acronym never expanded is a body when a cue right before it says so
    (`председател на УС на СОР`, `organizat de ABC`)."""
    for mention in acronyms:
        mention.cued = any(
            c.position == "before" and c.end <= mention.start
            and _gap_is_function_words(text[c.end:mention.start], lex) for c in cues)


def _organisations(mentions: list[_Mention], lex: _Lexicon) -> list[Organisation]:
    groups: dict[int, list[_Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.group, []).append(mention)
    result = []
    for members in groups.values():
        members.sort(key=lambda m: m.start)
        named = [m for m in members if m.kind != "acronym"]
        acronym = next((m.acronym for m in members if m.acronym and m.kind != "acronym"), None) \
            or next((m.acronym for m in members if m.acronym), None)
        if named:
            name = max(named, key=lambda m: (len(m.name.split()), -m.start)).name
        else:
            known = lex.known_by_acronym.get(acronym or "", ("", ""))[0]
            name = known or acronym or members[0].name
        relations = set().union(*(m.relations for m in members))
        if any(m.kind in ("fund", "programme") for m in named):
            relations.add("funder")
        relation = min(relations, key=_RANK.__getitem__, default="mentioned")
        first = members[0]
        result.append(Organisation(name=name, acronym=acronym, relation=relation,
                                   start=first.start, end=first.end))
    result.sort(key=lambda o: o.start)
    return result
