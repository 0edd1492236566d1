"""Numeric facts: the example corpora, the seed articles, and robustness on any input."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_support import case_article, load_cases, make_article
from extractors.numbers import extract

KINDS = {"participants", "target", "count", "money", "percent"}
QUALIFIERS = {"exact", "approximately", "over", "under", "up_to"}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _as_expected(fact, expected: dict) -> dict:
    """The fact's fields that the corpus line states (year always: a missing one means none)."""
    got = {"value": fact.value, "kind": fact.kind, "qualifier": fact.qualifier, "year": fact.year}
    for optional in ("unit", "currency"):
        if optional in expected:
            got[optional] = getattr(fact, optional)
    return got


@pytest.mark.parametrize("case_id, case", load_cases("numbers"), ids=[cid for cid, _ in load_cases("numbers")])
def test_corpus(case_id: str, case: dict) -> None:
    article = case_article(case)
    facts = extract(article)
    expected = [
        {"qualifier": "exact", "year": None, **{k: v for k, v in item.items()}} for item in case["expect"]["numbers"]
    ]
    assert [_as_expected(f, e) for f, e in zip(facts, expected)] == expected
    assert len(facts) == len(expected), [(f.value, f.kind, f.unit) for f in facts]


def _seed_cases() -> list[tuple[Path, dict]]:
    if not (SEEDS / "gold.jsonl").exists():
        return []
    gold = [json.loads(line) for line in (SEEDS / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(zip(sorted(SEEDS.glob("*.txt")), gold))


@pytest.mark.skipif(not _seed_cases(), reason="seed articles not beside the work tree")
@pytest.mark.parametrize("path, gold", _seed_cases(), ids=lambda v: v.name if isinstance(v, Path) else "")
def test_seed_numbers_match_gold(path: Path, gold: dict) -> None:
    article = make_article(path.read_text(encoding="utf-8"), gold["language"], gold.get("published_date"))
    got = Counter((f.value, f.kind, f.year) for f in extract(article))
    expected = Counter((float(n["value"]), n["kind"], n.get("year")) for n in gold["numbers"])
    assert got == expected


def test_offsets_point_at_the_number() -> None:
    text = "Rezultate\nLa conferință au participat aproximativ 200 de persoane."
    (fact,) = extract(make_article(text, "ro"))
    assert text[fact.start:fact.end] == "200"
    assert "aproximativ 200 de persoane" in fact.text


def test_scale_word_is_part_of_the_number() -> None:
    text = "Finanțare\nProiectul are un buget de 2,5 milioane lei."
    (fact,) = extract(make_article(text, "ro"))
    assert text[fact.start:fact.end] == "2,5 milioane"
    assert (fact.value, fact.currency) == (2_500_000, "RON")


def test_target_year_falls_back_to_a_year_in_the_text() -> None:
    text = (
        "Întâlnire regională\nÎn data de 26 septembrie 2023 a avut loc întâlnirea.\n"
        "Rezultatele proiectului până la finalul anului sunt:\n• 80 de comune sprijinite;"
    )
    (fact,) = extract(make_article(text, "ro"))
    assert (fact.kind, fact.year) == ("target", 2023)


def test_other_languages_give_nothing() -> None:
    article = make_article("Over 150 participants attended.", "en")
    assert extract(article) == []


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("0123456789 .,:/-%€$()\n\t•aeiouăîșțлвмнпрстухциRSAЗНдеп`'º")) | st.characters(),
        max_size=200,
    ),
    lang=st.sampled_from(["pt", "ro", "bg"]),
)
def test_never_raises_and_returns_valid_records(text: str, lang: str) -> None:
    for fact in extract(make_article(text, lang)):
        assert 0 <= fact.start < fact.end <= len(text)
        assert fact.kind in KINDS and fact.qualifier in QUALIFIERS
        assert isinstance(fact.value, float)
        assert (fact.currency is not None) == (fact.kind == "money")


def test_offsets_survive_letters_that_change_length_in_lower_case() -> None:
    text = "İSTANBUL\nLa conferință au participat 200 de persoane."
    (fact,) = extract(make_article(text, "ro"))
    assert text[fact.start:fact.end] == "200"
