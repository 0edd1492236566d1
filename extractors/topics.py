"""Topics: what an article is about, as codes from SPEC.md's fixed topic list.

Cues are read from `models/<lang>/topics.tsv` (cue, topic, weight). A cue is
one or more words compared on their simplemma lemma or their written form,
both folded (lower case, no diacritics), so `serviciilor sociale` matches the
cue `serviciu social` and `asistenta sociala` matches `asistență socială`.
A cue word ending in `*` is a prefix (`excluziun*`). A cue word written in
capitals is an acronym and matches only a capitalised token, so `SUAS` is not
the possessive `suas` and `МИГ` is not the noun `миг`. The words of a
multi-word cue may be split by up to two tokens (`социални и здравни услуги`).
A cue listed under two topics (a minimum-income benefit is social assistance
and poverty) credits both from one occurrence.

Each cue occurrence counts its weight times a position factor (headline >
lead > rest); repeats of one cue count with diminishing returns. A topic is
kept when its mass clears a bar that rises with the article's length (a long
article mentions money, laws and local councils in passing more often) and
is not small beside the article's top topic, at most five per article. A
topic cued only inside one body sentence is a passing mention, and money
words beside a strong funding programme are that programme's (budget_finance
under eu_funds). The
evidence names each cue that fired, how often, and whether it was in the
headline or lead (`PNRR×3 (headline)`).
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import itemgetter

from spacy.attrs import IDX, IS_ALPHA, ORTH, SENT_START
from spacy.tokens import Doc

from pipeline.article import Article, Topic
from pipeline.nlp import blank, doc_for, lemma
from pipeline.resources import read_table
from pipeline.textnorm import fold

TOPIC_CODES = frozenset({
    "social_assistance", "child_family", "elderly_disability", "education", "health",
    "employment_workforce", "poverty_inclusion", "eu_funds", "budget_finance",
    "legislation_policy", "planning", "local_governance", "rural_development", "infrastructure",
})

HEADLINE_FACTOR = 3.0
LEAD_FACTOR = 2.0
LEAD_WORDS = 60            # at most this many words of the body count as its lead
MAX_GAP = 2                # tokens allowed between two words of one cue
MAX_TOPICS = 5
MIN_MASS = 1.8             # evidence any topic needs: more than one ordinary body mention
MASS_PER_100_WORDS = 0.7   # ... raised with length: about one mention every 150 words is incidental
MIN_SHARE = 0.1            # ... and its mass relative to the top topic's
# A funding source is stated once, as a fact of the project, rather than in passing,
# so one explicit mention is enough; this scales the bar for such topics.
TOPIC_BAR = {"eu_funds": 0.5}
# Money words in an article about a funding programme describe that programme's money:
# the finance topic stands beside it only with evidence of its own about as strong.
SUBSUMED_BY = {"budget_finance": ("eu_funds", 0.75)}
# A topic whose every cue sits in one sentence of the body (a law named in passing,
# a partner university) is not what the article is about; eu_funds is exempt (see above).
# A short note, though, says each thing once.
MIN_BODY_SENTENCES = 2
PASSING_FROM_SENTENCES = 6   # the article's sentences from which that applies
SATURATION = 4.0           # mass at which confidence in a topic reaches 1 - 1/e

_PLACE = {HEADLINE_FACTOR: " (headline)", LEAD_FACTOR: " (lead)"}

# Punctuation a multi-word cue never spans.
_CUE_BREAKS = frozenset(".;:!?()[]\"„“”«»")


@dataclass(frozen=True, eq=False)   # one object per cue label: identity is equality, and hashes fast
class Cue:
    label: str                                      # the cue as written in the table, shown as evidence
    topics: tuple[tuple[str, float], ...]           # (topic, weight) it credits
    words: tuple[tuple[frozenset[str], bool], ...]  # (folded keys, is_prefix) per word


@dataclass(frozen=True)
class Lexicon:
    by_key: dict[str, tuple[Cue, ...]]                # a first word's key -> cues
    by_prefix: dict[int, dict[str, tuple[Cue, ...]]]  # prefix length -> first-word prefix -> cues


@lru_cache(maxsize=262144)
def _keys(word: str, lang: str) -> frozenset[str]:
    """The folded written form and the folded lemma of a word."""
    return frozenset({fold(word), fold(lemma(word, lang))})


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _acronym_key(word: str) -> str:
    return "^" + fold(word)   # "^" keeps it apart from every folded word


def _cue_word(word: str, lang: str) -> tuple[frozenset[str], bool]:
    if word.endswith("*") and len(word) > 1:
        return frozenset({fold(word[:-1])}), True
    if _is_acronym(word):
        return frozenset({_acronym_key(word)}), False
    return _keys(word, lang), False


def _word_matches(keys: frozenset[str], cue_word: tuple[frozenset[str], bool]) -> bool:
    cue_keys, is_prefix = cue_word
    if is_prefix:
        prefix = next(iter(cue_keys))
        return any(k.startswith(prefix) for k in keys)
    return not keys.isdisjoint(cue_keys)


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> Lexicon:
    tokenizer = blank(lang).tokenizer
    topics_of: dict[str, dict[str, float]] = defaultdict(dict)
    for row in read_table(lang, "topics.tsv"):
        label, topic = row.get("cue", ""), row.get("topic", "")
        if label and topic in TOPIC_CODES:
            topics_of[label][topic] = float(row.get("weight") or 1.0)
    by_key: dict[str, list[Cue]] = defaultdict(list)
    by_prefix: dict[int, dict[str, list[Cue]]] = defaultdict(lambda: defaultdict(list))
    for label, weights in topics_of.items():
        words = tuple(
            _cue_word(word, lang)
            for chunk in label.split()
            for word in ([chunk] if chunk.endswith("*") else [t.text for t in tokenizer(chunk)])
        )
        if not words:
            continue
        cue = Cue(label, tuple(weights.items()), words)
        first_keys, is_prefix = words[0]
        for key in first_keys:
            (by_prefix[len(key)][key] if is_prefix else by_key[key]).append(cue)
    return Lexicon(
        {k: tuple(v) for k, v in by_key.items()},
        {n: {p: tuple(v) for p, v in d.items()} for n, d in by_prefix.items()},
    )


@lru_cache(maxsize=262144)
def _candidates(keys: frozenset[str], lang: str) -> tuple[Cue, ...]:
    """Cues whose first word matches a token with these keys, longest cues first."""
    lexicon = _lexicon(lang)
    found: dict[Cue, None] = {}
    for key in sorted(keys):        # a fixed order: equal-ranked cues must not depend on string hashing
        found.update(dict.fromkeys(lexicon.by_key.get(key, ())))
        for length, prefixes in lexicon.by_prefix.items():
            found.update(dict.fromkeys(prefixes.get(key[:length], ())))
    return tuple(sorted(found, key=lambda c: (-len(c.words), -max(w for _, w in c.topics))))


TokenInfo = tuple[frozenset[str] | None, tuple[Cue, ...]]   # a token's keys and the cues it may start
Hit = tuple[Cue, float, int]                               # a cue occurrence: cue, position factor, sentence


def _match_rest(cue: Cue, tokens: list[TokenInfo], start: int) -> list[int] | None:
    """Token positions of the cue's words when it matches from `start`, else None."""
    positions = [start]
    for cue_word in cue.words[1:]:
        found = None
        for j in range(positions[-1] + 1, min(positions[-1] + 2 + MAX_GAP, len(tokens))):
            keys = tokens[j][0]
            if keys is None:
                break
            if _word_matches(keys, cue_word):
                found = j
                break
        if found is None:
            return None
        positions.append(found)
    return positions


def _token_keys(text: str, lang: str) -> frozenset[str] | None:
    """A text token's keys; empty for punctuation a cue may skip, None for a break it may not span."""
    if text in _CUE_BREAKS or "\n" in text:
        return None
    if not any(c.isalnum() for c in text):
        return frozenset()
    if _is_acronym(text):
        return _keys(text, lang) | {_acronym_key(text)}
    return _keys(text, lang)


_TOKEN_INFO_MAX = 262144
_token_info_by_lang: dict[str, dict[int, TokenInfo]] = defaultdict(dict)


def _token_infos(doc: Doc, orths: list[int], lang: str) -> list[TokenInfo]:
    """Each token's keys and candidate cues, remembered per spaCy orth id (one dict lookup per token)."""
    known = _token_info_by_lang[lang]
    if len(known) > _TOKEN_INFO_MAX:
        known.clear()
    infos = list(map(known.get, orths))
    if None in infos:
        for i, orth in enumerate(orths):
            if infos[i] is None:
                info = known.get(orth)
                if info is None:
                    keys = _token_keys(doc.vocab.strings[orth], lang)
                    info = known[orth] = (keys, _candidates(keys, lang) if keys else ())
                infos[i] = info
    return infos


def _lead_end(infos: list[TokenInfo], sent_starts: Sequence[int], body_start: int) -> int:
    """Index of the first token after the lead: the body's first sentence, capped at LEAD_WORDS words."""
    body_words = 0
    for i in range(body_start, len(infos)):
        if infos[i][0]:
            if body_words and (sent_starts[i] == 1 or body_words >= LEAD_WORDS):
                return i
            body_words += 1
    return len(infos)


def _following_keys(tokens: list[TokenInfo], start: int) -> set[str]:
    """The keys of the tokens a cue's second word may match after its first word at `start`."""
    keys: set[str] = set()
    for j in range(start + 1, min(start + 2 + MAX_GAP, len(tokens))):
        token_keys = tokens[j][0]
        if token_keys is None:
            break
        keys.update(token_keys)
    return keys


def cue_hits(article: Article) -> tuple[list[Hit], int, int]:
    """Every cue occurrence with its position factor and sentence (longest cue wins a word),
    and the article's word and sentence counts."""
    doc = doc_for(article)
    lang = article.language
    title_end = len(article.title) if article.title and article.text.startswith(article.title) else 0
    columns = doc.to_array([ORTH, IDX, SENT_START, IS_ALPHA])
    infos = _token_infos(doc, columns[:, 0].tolist(), lang)
    body_start = int(columns[:, 1].searchsorted(title_end))
    lead_end = _lead_end(infos, columns[:, 2], body_start)
    sentence_of = (columns[:, 2] == 1).cumsum()
    hits: list[Hit] = []
    consumed: set[int] = set()
    for i in compress(count(), map(itemgetter(1), infos)):     # only tokens that may start a cue
        if i in consumed:
            continue
        following = None
        for cue in infos[i][1]:
            if len(cue.words) == 1:
                positions = [i]
            else:
                second_keys, second_is_prefix = cue.words[1]
                if not second_is_prefix:
                    if following is None:
                        following = _following_keys(infos, i)
                    if following.isdisjoint(second_keys):
                        continue
                positions = _match_rest(cue, infos, i)
            if positions is not None and not consumed.intersection(positions):
                consumed.update(positions)
                factor = HEADLINE_FACTOR if i < body_start else LEAD_FACTOR if i < lead_end else 1.0
                hits.append((cue, factor, int(sentence_of[i])))
                break
    return hits, int(columns[:, 3].sum()), int(sentence_of[-1]) if len(sentence_of) else 0


def _subsumed(topic: str, mass: dict[str, float]) -> bool:
    wider, share = SUBSUMED_BY.get(topic, ("", 0.0))
    return mass[topic] < share * mass.get(wider, 0.0)


def _passing_topics(hits: list[Hit], article_sentences: int) -> set[str]:
    """Topics cued only in the body, all within one sentence (none in a short note)."""
    if article_sentences < PASSING_FROM_SENTENCES:
        return set()
    sentences: dict[str, set[int]] = defaultdict(set)
    opening: set[str] = set()
    for cue, factor, sentence in hits:
        for topic, _ in cue.topics:
            sentences[topic].add(sentence)
            if factor > 1.0:
                opening.add(topic)
    return {t for t, s in sentences.items()
            if t not in opening and t not in TOPIC_BAR and len(s) < MIN_BODY_SENTENCES}


def rank_topics(hits: list[Hit], words: int, sentences: int) -> list[Topic]:
    """Central topics from cue hits: the pure scoring step of `extract`."""
    per_cue: dict[Cue, list[float]] = defaultdict(list)
    for cue, factor, _ in hits:
        per_cue[cue].append(factor)
    mass: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for cue, factors in per_cue.items():
        factors.sort(reverse=True)
        # The n-th repeat of one cue adds 1/n of its weight: repetition is evidence, but weakly.
        repeats = sum(f / n for n, f in enumerate(factors, 1))
        for topic, weight in cue.topics:
            mass[topic] += weight * repeats
            evidence[topic].append((weight * repeats, f"{cue.label}×{len(factors)}{_PLACE.get(factors[0], '')}"))
    if not mass:
        return []
    top = max(mass.values())
    min_mass = max(MIN_MASS, MASS_PER_100_WORDS * words / 100)
    passing = _passing_topics(hits, sentences)
    kept = sorted(
        (t for t, m in mass.items() if m >= min_mass * TOPIC_BAR.get(t, 1.0) and m >= MIN_SHARE * top
         and t not in passing and not _subsumed(t, mass)),
        key=lambda t: -mass[t],
    )[:MAX_TOPICS]
    confidence = 1.0 - math.exp(-top / SATURATION)
    return [
        Topic(
            topic=t,
            score=round(confidence * mass[t] / top, 3),
            evidence="; ".join(label for _, label in sorted(evidence[t], reverse=True)),
        )
        for t in kept
    ]


def extract(article: Article) -> list[Topic]:
    if article.language not in ("pt", "ro", "bg") or not article.text.strip():
        return []
    return rank_topics(*cue_hits(article))
