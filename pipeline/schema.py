"""The output tables of SPEC.md as explicit pyarrow schemas, and article -> rows.

Defined once here; writing, evaluation and tests all use these.
"""
from __future__ import annotations

import pyarrow as pa

from pipeline.article import Article, InputError

_STR, _F64, _I32, _DATE = pa.string(), pa.float64(), pa.int32(), pa.date32()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_id", _STR), ("source", _STR), ("url", _STR),
        ("language", _STR), ("language_score", _F64), ("title", _STR),
        ("published_date", _DATE), ("event_date_start", _DATE), ("event_date_end", _DATE),
        ("event_time", _STR), ("event_mode", _STR),
        ("place_name", _STR), ("place_name_latin", _STR), ("place_admin1", _STR),
        ("place_country", _STR), ("place_lat", _F64), ("place_lon", _F64), ("venue", _STR),
        ("text", _STR),  # the cleaned text every offset refers to
        ("pipeline_version", _STR),
        ("input_file", _STR), ("input_sha1", _STR),  # what incremental runs compare
    ]),
    "organisations": pa.schema([
        ("article_id", _STR), ("name", _STR), ("acronym", _STR), ("relation", _STR),
        ("start", _I32), ("end", _I32),
    ]),
    "officials": pa.schema([
        ("article_id", _STR), ("name", _STR), ("role", _STR), ("role_raw", _STR),
        ("organisation", _STR), ("start", _I32), ("end", _I32),
    ]),
    "numbers": pa.schema([
        ("article_id", _STR), ("value", _F64), ("unit", _STR), ("currency", _STR),
        ("kind", _STR), ("qualifier", _STR), ("year", _I32), ("text", _STR),
        ("start", _I32), ("end", _I32),
    ]),
    "topics": pa.schema([
        ("article_id", _STR), ("topic", _STR), ("score", _F64), ("evidence", _STR),
    ]),
    "errors": pa.schema([
        ("article_id", _STR), ("source", _STR), ("error", _STR), ("message", _STR),
        ("pipeline_version", _STR), ("input_file", _STR), ("input_sha1", _STR),
    ]),
}
TABLES = tuple(SCHEMAS)


def article_rows(article: Article, version: str) -> dict[str, list[dict]]:
    """The rows one article contributes to each table (errors excepted)."""
    event, place, aid = article.event, article.place, article.article_id
    return {
        "articles": [{
            "article_id": aid, "source": article.source, "url": article.url,
            "language": article.language, "language_score": article.language_score,
            "title": article.title,
            "published_date": event.published_date or article.published,
            "event_date_start": event.start, "event_date_end": event.end,
            "event_time": event.time, "event_mode": event.mode,
            "place_name": place.name, "place_name_latin": place.name_latin,
            "place_admin1": place.admin1, "place_country": place.country,
            "place_lat": place.lat, "place_lon": place.lon, "venue": place.venue,
            "text": article.text, "pipeline_version": version,
        }],
        "organisations": [
            {"article_id": aid, "name": o.name, "acronym": o.acronym, "relation": o.relation,
             "start": o.start, "end": o.end} for o in article.organisations
        ],
        "officials": [
            {"article_id": aid, "name": o.name, "role": o.role, "role_raw": o.role_raw,
             "organisation": o.organisation, "start": o.start, "end": o.end} for o in article.officials
        ],
        "numbers": [
            {"article_id": aid, "value": float(n.value), "unit": n.unit, "currency": n.currency,
             "kind": n.kind, "qualifier": n.qualifier, "year": n.year, "text": n.text,
             "start": n.start, "end": n.end} for n in article.numbers
        ],
        "topics": [
            {"article_id": aid, "topic": t.topic, "score": float(t.score), "evidence": t.evidence}
            for t in article.topics
        ],
    }


def error_row(error: InputError, version: str, article_id: str | None = None) -> dict:
    return {"article_id": article_id, "source": error.source, "error": error.error,
            "message": error.message, "pipeline_version": version}
