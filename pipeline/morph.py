"""Base (nominative) form of an inflected organisation name.

`nominative("Asociației Municipiilor din România", "ro")` -> `Asociația Municipiilor
din România`; `nominative("Националното сдружение на общините", "bg")` ->
`Национално сдружение на общините`; `nominative("da AMVAP", "pt")` -> `AMVAP`.

Only the head noun phrase changes; genitive complements stay as written. The
rules are data: `models/<lang>/morph.tsv` (leading function words, suffix rules
for the head and for agreeing adjectives) and the head forms listed in
`models/<lang>/org_heads.tsv`, which win over the suffix rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.resources import LANGUAGES, read_table
from pipeline.textnorm import fold

_PUNCT_EDGE = "\"'„“”«»‘’()[],.;:"


@dataclass(frozen=True)
class _Rules:
    leading: frozenset[str]
    head: tuple[tuple[str, str, str], ...]        # (from, to, agreement), longest `from` first
    adjective: tuple[tuple[str, str], ...]
    head_forms: dict[tuple[str, ...], tuple[str, ...]]   # folded inflected words -> base words
    bases: frozenset[tuple[str, ...]]                   # folded base heads: never re-inflected
    connectors: frozenset[str]
    max_head_words: int


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    leading, head, adjective = set(), [], []
    for row in read_table(lang, "morph.tsv"):
        kind, suffix = row.get("kind", ""), row.get("from", "")
        if kind == "leading" and suffix:
            leading.add(fold(suffix))
        elif kind == "head" and suffix:
            head.append((suffix, row.get("to", ""), row.get("agreement", "")))
        elif kind == "adjective" and suffix:
            adjective.append((suffix, row.get("to", "")))
    head_forms: dict[tuple[str, ...], tuple[str, ...]] = {}
    bases = set()
    for row in read_table(lang, "org_heads.tsv"):
        base = tuple(row["head"].split())
        bases.add(tuple(fold(w) for w in base))
        for form in filter(None, (f.strip() for f in row.get("forms", "").split("|"))):
            head_forms[tuple(fold(w) for w in form.split())] = base
    connectors = frozenset(fold(r["word"]) for r in read_table(lang, "org_connectors.tsv"))
    longest = max((len(k) for k in list(head_forms) + list(bases)), default=1)
    return _Rules(
        leading=frozenset(leading),
        head=tuple(sorted(head, key=lambda r: -len(r[0]))),
        adjective=tuple(sorted(adjective, key=lambda r: -len(r[0]))),
        head_forms=head_forms,
        bases=frozenset(bases),
        connectors=connectors,
        max_head_words=longest,
    )


def _match_case(model: str, word: str) -> str:
    """`word` with the capitalisation of `model` (first letter, or all capitals)."""
    if not word:
        return word
    if len(model) > 1 and model.isupper():
        return word.upper()
    return (word[0].upper() if model[:1].isupper() else word[0].lower()) + word[1:]


def _replace_suffix(word: str, suffix: str, new: str) -> str | None:
    """`word` with `suffix` replaced by `new`, keeping a stem of at least two letters."""
    if len(word) - len(suffix) >= 2 and word.lower().endswith(suffix):
        return word[: len(word) - len(suffix)] + new
    return None


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _continues_phrase(word: str | None, rules: _Rules) -> bool:
    """True when `word` is a content word that carries on the noun phrase."""
    return bool(word) and word[0].isalpha() and fold(word) not in rules.connectors


def _feminine(base_word: str) -> bool:
    return fold(base_word).endswith(("a", "ă"))


@lru_cache(maxsize=65536)
def nominative(phrase: str, lang: str) -> str:
    """The organisation name `phrase` with its head noun phrase in base form."""
    if lang not in LANGUAGES:
        return phrase.strip()
    rules = _rules(lang)
    words = phrase.split()
    while len(words) > 1 and fold(words[0]) in rules.leading:
        words = words[1:]
    if not words:
        return ""

    # A listed head (one or more words) in one of its forms.
    for size in range(min(rules.max_head_words, len(words)), 0, -1):
        key = tuple(fold(w) for w in words[:size])
        if key in rules.bases:
            return " ".join(words)
        base = rules.head_forms.get(key)
        if base is not None:
            new_head = [_match_case(old, new) for old, new in zip(words, base)]
            new_head += list(base[len(words[:size]):])
            rest = words[size:]
            if lang == "ro" and _feminine(base[-1]):
                rest = _agree_adjectives(rest, rules)
            return " ".join(new_head + rest)

    first = words[0]
    if _is_acronym(first) or not first[:1].isalpha():
        return " ".join(words)
    next_word = words[1] if len(words) > 1 else None
    if lang == "bg" and _continues_phrase(next_word, rules):
        for suffix, new in rules.adjective:
            changed = _replace_suffix(first, suffix, new)
            if changed is not None:
                return " ".join([changed] + words[1:])
    for suffix, new, agreement in rules.head:
        changed = _replace_suffix(first, suffix, new)
        if changed is not None:
            rest = words[1:]
            if agreement == "fem":
                rest = _agree_adjectives(rest, rules)
            return " ".join([changed] + rest)
    return " ".join(words)


def _agree_adjectives(words: list[str], rules: _Rules) -> list[str]:
    """Romanian: adjectives right after a feminine head go back to the nominative
    (`Agenției Naționale` -> `Agenția Națională`); stops at the first other word."""
    out = list(words)
    for i, word in enumerate(words):
        core = word.rstrip(_PUNCT_EDGE)
        if not _continues_phrase(core, rules) or _is_acronym(core):
            break
        for suffix, new in rules.adjective:
            changed = _replace_suffix(core, suffix, new)
            if changed is not None:
                out[i] = changed + word[len(core):]
                break
        else:
            break
    return out
