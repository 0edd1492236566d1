"""Language tools loaded once per process: spaCy blank pipelines and lemmas.

No statistical model is needed. `doc_for(article)` tokenises an article once
(with sentence boundaries) and caches the Doc on the article for every
extractor; `lemma(word, lang)` is a cached simplemma lookup.
"""
from __future__ import annotations

from functools import lru_cache

import simplemma
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.article import Article


@lru_cache(maxsize=None)
def blank(lang: str) -> Language:
    """spacy.blank(lang) with a rule-based sentencizer (loads offline, ~0.1 s)."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.max_length = 20_000_000
    return nlp


def doc_for(article: Article) -> Doc:
    """The article's text tokenised by its language's pipeline, computed once."""
    doc = article.scratch.get("doc")
    if doc is None:
        doc = blank(article.language)(article.text)
        article.scratch["doc"] = doc
    return doc


@lru_cache(maxsize=262144)
def lemma(word: str, lang: str) -> str:
    """Dictionary form, lower case: `primarului` -> `primar`, `кметът` -> `кмет`."""
    return simplemma.lemmatize(word.lower(), lang=lang).lower()
