"""Language: which of pt/ro/bg an article is in, with a confidence.

The model is langdetect's: its character n-gram profiles of 55 languages and
its naive Bayes scoring. Instead of langdetect's random sampling trials
(which need a fixed seed to be repeatable), every n-gram of the sample is
scored at once with numpy (each word's n-grams summed once and cached):
deterministic, and an order of magnitude faster than langdetect itself.
It is right on whole articles but can drift on short text (`Secretaria de
Saúde` -> es), so letters only one of our languages uses settle short
texts. A language declared in the input record wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langdetect import detector_factory

from pipeline.article import Article
from pipeline.resources import LANGUAGES

SAMPLE_CHARS = 400  # title and lead: enough to be sure, and the cost grows with length
SHORT_TEXT_CHARS = 300
MIN_LETTERS = 12
# On short text, one of our languages this probable beats its neighbour (es, it, ru, mk ...).
RUNNER_UP_FOR_OURS = 0.1
# Letters that, in a short text, point at one of our languages.
_SIGNATURE_LETTERS = {
    "ro": re.compile(r"[ăĂșȘțȚ]"),
    "pt": re.compile(r"[ãõêôâÃÕÊÔÂ]|ção|ções"),  # Spanish and Catalan write none of these
    "bg": re.compile(r"[ъЪ]"),
}
# Letters our languages lack: their presence confirms langdetect's neighbour.
_FOREIGN_LETTERS = {
    "ru": re.compile(r"[ыэёЫЭЁ]"), "uk": re.compile(r"[іїєґІЇЄҐ]"),
    "mk": re.compile(r"[ќѓјљњѕџЌЃЈЉЊЅЏ]"), "es": re.compile(r"[ñÑ¿¡]"),
}
# langdetect confuses our languages with these neighbours on short text.
_NEIGHBOURS = {"es": "pt", "gl": "pt", "ca": "pt", "it": "ro", "mk": "bg", "ru": "bg", "uk": "bg"}


def detect_language(article: Article) -> Article:
    """Set `language` and `language_score` on the article."""
    if article.declared_language:
        article.language, article.language_score = article.declared_language, 1.0
        return article
    article.language, article.language_score = guess_language(article.text)
    return article


def guess_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code or `und`, confidence 0..1)."""
    sample = text[:SAMPLE_CHARS]
    if sum(map(len, _LETTERS.findall(sample))) < MIN_LETTERS:
        return "und", 0.0
    ranked = _ranked_languages(sample)
    if not ranked:
        return "und", 0.0
    best = ranked[0]
    if best.lang in LANGUAGES or len(sample) >= SHORT_TEXT_CHARS:
        return best.lang, round(best.prob, 4)
    ours = _NEIGHBOURS.get(best.lang)
    foreign = _FOREIGN_LETTERS.get(best.lang)
    if ours and not (foreign and foreign.search(sample)):
        runner_up = next((r.prob for r in ranked if r.lang == ours), 0.0)
        if runner_up >= RUNNER_UP_FOR_OURS or _SIGNATURE_LETTERS[ours].search(sample):
            return ours, round(max(runner_up, 1 - best.prob), 4)
    return best.lang, round(best.prob, 4)


@dataclass(frozen=True)
class _Ranked:
    lang: str
    prob: float


# langdetect's profiles spell Romanian s/t with a cedilla.
_PROFILE_SPELLING = str.maketrans("șțȘȚ", "şţŞŢ")
_LETTERS = re.compile(r"[^\W\d_]+")
# langdetect's smoothing: alpha 0.5 over its base frequency 10,000.
_SMOOTHING = 0.5 / 10_000
RANKED_LANGUAGES = 5


@lru_cache(maxsize=None)
def _model() -> tuple[dict[str, int], np.ndarray, tuple[str, ...]]:
    """(n-gram -> row, log-probability matrix n-grams x languages, language codes)."""
    detector_factory.init_factory()
    profiles = detector_factory._factory
    grams = list(profiles.word_lang_prob_map)
    probabilities = np.asarray([profiles.word_lang_prob_map[g] for g in grams], dtype=np.float32)
    languages = tuple(profiles.langlist)
    detector_factory._factory = None  # its Python-float profiles take ~120 MB; the matrix holds them in 19
    return {g: i for i, g in enumerate(grams)}, np.log(probabilities + _SMOOTHING), languages


@lru_cache(maxsize=50_000)
def _word_scores(word: str) -> np.ndarray | None:
    """Summed log-probabilities of a word's 1-3-grams (with langdetect's space padding), per language.

    Words recur, so each is scored once (50,000 words take ~25 MB).
    """
    rows_of, log_probabilities, _ = _model()
    padded = f" {word} "
    grams = [*word, *(padded[i:i + 2] for i in range(len(padded) - 1)),
             *(padded[i:i + 3] for i in range(len(padded) - 2))]
    rows = [r for r in map(rows_of.get, grams) if r is not None]
    return log_probabilities[rows].sum(axis=0, dtype=np.float64) if rows else None


def _ranked_languages(sample: str) -> list[_Ranked]:
    """Languages by posterior probability given every 1-3-gram of the sample's words."""
    languages = _model()[2]
    word_scores = [scores for word in _LETTERS.findall(sample.translate(_PROFILE_SPELLING))
                   if not (len(word) > 1 and word.isupper())  # langdetect skips words in capitals (acronyms)
                   for scores in (_word_scores(word),) if scores is not None]
    if not word_scores:
        return []
    scores = np.add.reduce(word_scores)
    posterior = np.exp(scores - scores.max())
    posterior /= posterior.sum()
    best = np.argsort(posterior)[::-1][:RANKED_LANGUAGES]
    return [_Ranked(languages[i], float(posterior[i])) for i in best]
