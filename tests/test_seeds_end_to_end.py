"""The whole pipeline on the five seed articles of ../shared (skipped where it is absent)."""
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate import evaluate_gold
from pipeline.orchestrate import run

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
GOLD = SEEDS / "gold.jsonl"
pytestmark = pytest.mark.skipif(not GOLD.exists(), reason=f"no seed articles at {SEEDS} (../shared is absent)")


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    for path in SEEDS.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path_factory.mktemp("out") / "tables"
    run([folder], out, workers=1)
    return out


def _gold():
    return {g["file"]: g for g in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines())}


def test_language_and_title_right_for_every_seed(seeds_out):
    articles = pd.read_parquet(seeds_out / "articles.parquet").set_index("source")
    for name, gold in _gold().items():
        assert articles.loc[name, "language"] == gold["language"], name
        assert articles.loc[name, "title"] == gold["title"], name


def test_offsets_point_into_the_cleaned_text(seeds_out):
    text = pd.read_parquet(seeds_out / "articles.parquet").set_index("article_id")["text"]
    for table in ("organisations", "officials", "numbers"):
        for row in pd.read_parquet(seeds_out / f"{table}.parquet").itertuples():
            assert 0 <= row.start < row.end <= len(text[row.article_id]), (table, row)


def test_evaluate_scores_every_field():
    report = evaluate_gold(GOLD, SEEDS)
    assert report["articles"] == 5
    assert {"language", "title", "event_date_start", "place", "organisations", "organisers", "officials",
            "official_role", "numbers", "topics"} <= set(report["fields"])
    assert report["fields"]["language"]["accuracy"] == 1.0
    assert report["fields"]["title"]["accuracy"] == 1.0
