"""The one object every stage passes along, and the records extractors return.

Ingest creates an `Article`; clean, language and the extractors fill it in;
writing turns it into table rows. Field names of the records match the
column names of SPEC.md so that writing is a plain mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class EventDates:
    published_date: date | None = None
    start: date | None = None
    end: date | None = None
    time: str | None = None          # "HH:MM"
    mode: str | None = None          # in_person | online | hybrid


@dataclass
class Place:
    name: str | None = None          # native spelling
    name_latin: str | None = None
    admin1: str | None = None
    country: str | None = None       # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    venue: str | None = None


@dataclass
class Organisation:
    name: str                        # base (nominative) form
    acronym: str | None = None
    relation: str = "mentioned"      # organiser|partner|funder|host|participant|mentioned
    start: int = 0
    end: int = 0


@dataclass
class Official:
    name: str
    role: str                        # code from SPEC.md's role list
    role_raw: str
    organisation: str | None = None
    start: int = 0
    end: int = 0


@dataclass
class NumberFact:
    value: float
    unit: str | None
    kind: str                        # participants|target|count|money|percent
    qualifier: str = "exact"         # exact|approximately|over|under|up_to
    currency: str | None = None
    year: int | None = None
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass
class Topic:
    topic: str
    score: float
    evidence: str = ""               # the cues that fired, for analysts


@dataclass
class Article:
    source: str                      # path relative to the input folder (+ "#n"), or url
    article_id: str
    text: str                        # after `clean`, offsets of every record refer to it
    title: str | None = None
    url: str | None = None
    html: str | None = None          # the page when the input was HTML
    published: date | None = None    # a full publication date from metadata
    published_year: int | None = None   # from full or partial metadata (`2022-03`)
    published_month: int | None = None
    declared_language: str | None = None
    language: str = "und"
    language_score: float = 0.0

    event: EventDates = field(default_factory=EventDates)
    place: Place = field(default_factory=Place)
    organisations: list[Organisation] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    numbers: list[NumberFact] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)

    # Working state shared by stages (the spaCy Doc, caches); never written.
    scratch: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def body(self) -> str:
        """The text after the headline (the headline is the text's first line)."""
        if self.title and self.text.startswith(self.title):
            return self.text[len(self.title):]
        return self.text


@dataclass
class InputError:
    """An input that could not be processed; one row of the `errors` table."""
    source: str
    error: str                       # short class: empty, not_utf8, bad_json, ...
    message: str
