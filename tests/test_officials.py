"""Officials: the example corpus per language, the seeds' gold and robustness."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_support import case_article, load_cases, make_article
from extractors.officials import ROLE_CODES, extract
from pipeline.article import Organisation
from pipeline.textnorm import fold

SEEDS = Path("/work/shared/seeds")


def _by_name(officials) -> dict:
    return {fold(o.name): o for o in officials}


@pytest.mark.parametrize("case_id,case", load_cases("officials"))
def test_corpus(case_id, case):
    article = case_article(case)
    got = _by_name(extract(article))
    expected = case["expect"]["officials"]
    assert set(got) == {fold(e["name"]) for e in expected}, case["text"]
    for e in expected:
        official = got[fold(e["name"])]
        assert official.role == e["role"], (e["name"], official.role_raw)
        if "organisation" in e:
            assert fold(official.organisation or "") == fold(e["organisation"] or ""), e["name"]
        assert article.text[official.start:official.end] == official.name


def test_two_functions_keep_the_senior_role_and_both_titles():
    text = ("Mariana Ionescu, primarul comunei Cumpăna, în calitate de Prim-vicepreședinte ACoR, "
            "a vorbit despre proiect.")
    (official,) = extract(make_article(text, "ro"))
    assert official.role == "mayor"
    assert official.role_raw == "primarul comunei Cumpăna; Prim-vicepreședinte ACoR"
    assert official.organisation == "Comuna Cumpăna"


def test_listed_people_share_the_body_named_once():
    text = ("Участваха Румяна Петрова, изпълнителен директор и Виктория Колева, заместник-изпълнителен "
            "директор на Агенцията за социално подпомагане.")
    rows = _by_name(extract(make_article(text, "bg")))
    assert {o.organisation for o in rows.values()} == {"Агенция за социално подпомагане"}


def test_surname_only_mention_merges_with_the_full_name():
    text = "Ana Costa abriu a sessão.\nCosta, presidente da Amams, agradeceu aos prefeitos."
    (official,) = extract(make_article(text, "pt"))
    assert (official.name, official.role, official.start) == ("Ana Costa", "president", 0)


def test_known_organisation_gives_the_body_name():
    text = "A coordenadora do Departamento de Educação da Amams, Neiva Souza, explica o calendário."
    article = make_article(text, "pt")
    article.organisations = [Organisation(name="Associação dos Municípios", acronym="AMAMS")]
    (official,) = extract(article)
    assert official.organisation == "AMAMS"


@pytest.mark.skipif(not (SEEDS / "gold.jsonl").exists(), reason="seed articles not available")
def test_seed_gold_officials_found_with_their_roles():
    for line in (SEEDS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        text = (SEEDS / Path(gold["file"]).name).read_text(encoding="utf-8")
        got = _by_name(extract(make_article(text, gold["language"])))
        expected = {fold(o["name"]): o["role"] for o in gold["officials"]}
        assert {k: got[k].role for k in got} == expected, gold["file"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), lang=st.sampled_from(["pt", "ro", "bg"]))
def test_any_text_gives_valid_rows(text, lang):
    article = make_article(text, lang)
    for official in extract(article):
        assert official.role in ROLE_CODES
        assert 0 <= official.start < official.end <= len(article.text)
        assert official.name and official.role_raw


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from([
    "Ion", "Pop", "POPESCU", "primarul", "comunei", "Cumpăna", ",", "și", "dl.", "„", "“", "–", "de",
    "кметът", "на", "община", "Иван", "Петрова", "г-жа", "prefeita", "da", "Ana", "Silva", "\n", "(",
]), max_size=40), lang=st.sampled_from(["pt", "ro", "bg"]))
def test_title_and_name_soup_never_breaks(words, lang):
    article = make_article(" ".join(words), lang)
    for official in extract(article):
        assert official.role in ROLE_CODES
        assert 0 <= official.start < official.end <= len(article.text)
