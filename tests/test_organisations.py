"""Organisations extractor: the example corpora plus properties every article must satisfy.

Corpus cases (`tests/corpus/<lang>/organisations.jsonl`) list the expected
organisations. The list is EXACT: the extractor must return these bodies and no
others (precision matters as much as recall), compared by folded name
(case and diacritics ignored). `acronym` and `relation` are checked when the
expected entry has the key (`"acronym": null` demands no acronym). A case may
say `"subset": true` when only some of the bodies are of interest.
"""
import pytest
from hypothesis import given, settings, strategies as st

from corpus_support import case_article, load_cases, make_article
from extractors.organisations import RELATION_ORDER, extract
from pipeline.textnorm import fold

CASES = load_cases("organisations")


def test_every_language_has_enough_cases():
    for lang in ("pt", "ro", "bg"):
        assert sum(1 for _, c in CASES if c["lang"] == lang) >= 25


@pytest.mark.parametrize("case_id,case", CASES, ids=[c[0] for c in CASES])
def test_corpus(case_id, case):
    article = case_article(case)
    found = {fold(o.name): o for o in extract(article)}
    expected = case["expect"]["organisations"]
    wanted = {fold(e["name"]) for e in expected}
    missing = wanted - set(found)
    assert not missing, f"missing {missing}; got {sorted(found)}"
    if not case.get("subset"):
        extra = set(found) - wanted
        assert not extra, f"unexpected {extra}"
    for entry in expected:
        got = found[fold(entry["name"])]
        if "acronym" in entry:
            assert got.acronym == entry["acronym"], (entry["name"], got.acronym)
        if "relation" in entry:
            assert got.relation == entry["relation"], (entry["name"], got.relation)


@pytest.mark.parametrize("case_id,case", CASES, ids=[c[0] for c in CASES])
def test_offsets_point_at_a_mention(case_id, case):
    article = case_article(case)
    for org in extract(article):
        assert 0 <= org.start < org.end <= len(article.text)
        assert org.relation in RELATION_ORDER


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["pt", "ro", "bg"]))
def test_never_raises(text, lang):
    for org in extract(make_article(text, lang)):
        assert 0 <= org.start <= org.end <= len(text)
        assert org.relation in RELATION_ORDER


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "Ministerul", "Ministerului", "Asociației", "(", ")", "„", "“", "«", "»", "ACoR", "A.Co.R.",
    "Агенцията", "за", "на", "и", "МОН", "–", "Актив", "da", "AMAMS", "Associação", "dos", "Municípios",
    "organizat de", "организирано от", "общината-домакин", "община", "Банско", ",", ".", "\n", "Sănătății",
]), max_size=40), st.sampled_from(["pt", "ro", "bg"]))
def test_never_raises_on_name_like_noise(words, lang):
    text = " ".join(words)
    for org in extract(make_article(text, lang)):
        assert 0 <= org.start < org.end <= len(text)
