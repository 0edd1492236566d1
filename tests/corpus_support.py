"""Helpers for the per-language example corpora in `tests/corpus/<lang>/<field>.jsonl`.

Each corpus line is one Duckling-style example: a text, optionally its
publication date, and what must come out (`expect`, shaped per field).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipeline.article import Article

CORPUS_DIR = Path(__file__).parent / "corpus"


def make_article(text: str, lang: str, published: str | None = None, title: str | None = None) -> Article:
    """An article as the extractors receive it: cleaned text whose first line is the title."""
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    pub = date.fromisoformat(published) if published else None
    return Article(
        source="example",
        article_id="example",
        text=text,
        title=title if title is not None else first_line,
        published=pub,
        published_year=pub.year if pub else None,
        published_month=pub.month if pub else None,
        language=lang,
        language_score=1.0,
    )


def load_cases(field: str) -> list[tuple[str, dict]]:
    """(id, case) pairs for every language's `<field>.jsonl`; ids read `ro:3`."""
    cases = []
    for path in sorted(CORPUS_DIR.glob(f"*/{field}.jsonl")):
        lang = path.parent.name
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("//"):
                case = json.loads(line)
                case.setdefault("lang", lang)
                cases.append((f"{lang}:{n}", case))
    return cases


def case_article(case: dict) -> Article:
    return make_article(case["text"], case["lang"], case.get("published"), case.get("title"))
