"""Score the pipeline against gold annotations, as SPEC.md's last section describes.

Exact-match accuracy for language, title, dates, time and mode; place by
locality (Latin-folded) and country; precision/recall/F1 (micro-averaged
over articles) for organisations, organisers, officials, numbers and topics,
names matched after folding case and diacritics and allowing inflection;
officials' role by accuracy over matched names; numbers by (value, kind).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.article import Article
from pipeline.ingest import InputFile, read_input
from pipeline.orchestrate import process_article
from pipeline.textnorm import fold, to_latin

EXACT_FIELDS = ("language", "title", "published_date", "event_date_start", "event_date_end",
                "event_time", "event_mode")
_NAME_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Tokens this short must be equal; longer ones may differ in an inflected ending.
SHORT_TOKEN = 4
MAX_ENDING_DIFFERENCE = 3


def names_match(a: str, b: str) -> bool:
    """Same name up to case, diacritics and inflected endings (`Asociației` ~ `Asociația`)."""
    ta, tb = _NAME_TOKEN.findall(fold(a)), _NAME_TOKEN.findall(fold(b))
    return len(ta) == len(tb) and len(ta) > 0 and all(_tokens_match(x, y) for x, y in zip(ta, tb))


def _tokens_match(x: str, y: str) -> bool:
    if x == y:
        return True
    if min(len(x), len(y)) < SHORT_TOKEN:
        return False
    common = 0
    for cx, cy in zip(x, y):
        if cx != cy:
            break
        common += 1
    return common >= max(len(x), len(y)) - MAX_ENDING_DIFFERENCE and common >= SHORT_TOKEN - 1


def evaluate_gold(gold_path: Path, input_dir: Path) -> dict:
    """Scores per field, and under `differences` every mismatch (file, field, expected, predicted)."""
    golds = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts: dict[str, dict] = {}
    differences: list[dict] = []
    for gold in golds:
        article = _run_one(input_dir, gold["file"])
        _score_article(gold, article, counts, _Recorder(gold["file"], differences))
    return {"articles": len(golds), "fields": {name: _finish(c) for name, c in counts.items()},
            "differences": differences}


class _Recorder:
    """Collects one article's mismatches for `--details`."""

    def __init__(self, file: str, into: list[dict]):
        self.file, self.into = file, into

    def __call__(self, field: str, expected, predicted) -> None:
        self.into.append({"file": self.file, "field": field, "expected": expected, "predicted": predicted})


def _run_one(input_dir: Path, name: str) -> Article:
    path = input_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"the gold names {name}, which is not in {input_dir} (use --input)")
    for record in read_input(InputFile(path, name)):
        if isinstance(record, Article):
            return process_article(record)[0]
        raise ValueError(f"{name} could not be read: {record.error}: {record.message}")
    raise ValueError(f"{name} holds no article")


def _score_article(gold: dict, article: Article, counts: dict[str, dict], record: _Recorder) -> None:
    event, place = article.event, article.place
    predicted = {
        "language": article.language,
        "title": " ".join((article.title or "").split()),
        "published_date": _iso(event.published_date or article.published),
        "event_date_start": _iso(event.start), "event_date_end": _iso(event.end),
        "event_time": event.time, "event_mode": event.mode,
    }
    for name in EXACT_FIELDS:
        expected = gold.get(name)
        if name == "title" and expected is not None:
            expected = " ".join(expected.split())
        _accuracy(counts, name, predicted[name] == expected)
        if predicted[name] != expected:
            record(name, expected, predicted[name])

    gold_place = gold.get("place") or {}
    gold_locality = gold_place.get("name_latin") or to_latin(gold_place.get("name") or "", gold.get("language", ""))
    predicted_locality = place.name_latin or to_latin(place.name or "", article.language)
    for name, expected, got, correct in (
        ("place", gold_locality, predicted_locality, fold(predicted_locality) == fold(gold_locality)),
        ("place_country", gold_place.get("country"), place.country, place.country == gold_place.get("country")),
        ("place_admin1", gold_place.get("admin1"), place.admin1,
         fold(place.admin1 or "") == fold(gold_place.get("admin1") or "")),
    ):
        _accuracy(counts, name, correct)
        if not correct:
            record(name, expected, got)

    gold_orgs = gold.get("organisations", [])
    _prf(counts, record, "organisations", gold_orgs, article.organisations, _org_match)
    _prf(counts, record, "organisers", [o for o in gold_orgs if o.get("relation") == "organiser"],
         [o for o in article.organisations if o.relation == "organiser"], _org_match)

    pairs = _prf(counts, record, "officials", gold.get("officials", []), article.officials,
                 lambda g, p: names_match(g["name"], p.name))
    counts.setdefault("official_role", {"n": 0, "correct": 0})
    for g, p in pairs:
        _accuracy(counts, "official_role", g["role"] == p.role)
        if g["role"] != p.role:
            record("official_role", f"{g['name']}: {g['role']} ({g.get('role_raw')})", f"{p.role} ({p.role_raw})")

    _prf(counts, record, "numbers", gold.get("numbers", []), article.numbers,
         lambda g, p: float(g["value"]) == float(p.value) and g["kind"] == p.kind)
    _prf(counts, record, "topics", gold.get("topics", []), article.topics, lambda g, p: g == p.topic)


def _org_match(gold: dict, predicted) -> bool:
    names = [gold["name"]] + ([gold["acronym"]] if gold.get("acronym") else [])
    candidates = [predicted.name] + ([predicted.acronym] if predicted.acronym else [])
    return any(names_match(g, p) for g in names for p in candidates)


def _prf(counts, record, name, gold_items, predicted_items, match) -> list[tuple]:
    """Greedy one-to-one matching; adds true/false positives and misses; returns the pairs."""
    remaining = list(predicted_items)
    pairs = []
    for g in gold_items:
        for p in remaining:
            if match(g, p):
                pairs.append((g, p))
                remaining.remove(p)
                break
    matched_gold = [id(g) for g, _ in pairs]
    for g in gold_items:
        if id(g) not in matched_gold:
            record(name, _describe(g), None)
    for p in remaining:
        record(name, None, _describe(p))
    c = counts.setdefault(name, {"n": 0, "tp": 0, "fp": 0, "fn": 0})
    c["n"] += len(gold_items)
    c["tp"] += len(pairs)
    c["fp"] += len(remaining)
    c["fn"] += len(gold_items) - len(pairs)
    return pairs


def _accuracy(counts, name, correct: bool) -> None:
    c = counts.setdefault(name, {"n": 0, "correct": 0})
    c["n"] += 1
    c["correct"] += bool(correct)


def _finish(c: dict) -> dict:
    if "correct" in c:
        return {"n": c["n"], "accuracy": c["correct"] / c["n"] if c["n"] else None}
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else (1.0 if not c["fn"] else 0.0)
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": c["n"], "precision": precision, "recall": recall, "f1": f1,
            "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}


def _describe(item) -> str:
    """A gold dict or a predicted record as one readable line."""
    if isinstance(item, str):
        return item
    data = item if isinstance(item, dict) else vars(item)
    keys = ("name", "acronym", "relation", "role", "role_raw", "organisation", "value", "unit", "kind",
            "qualifier", "year", "topic", "score")
    return "; ".join(f"{k}={data[k]}" for k in keys if data.get(k) not in (None, ""))


def _iso(value) -> str | None:
    return value.isoformat() if value else None
