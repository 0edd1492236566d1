"""Ingest: files and folders in, one `Article` (or `InputError`) per article out.

Formats: `.txt` (one article), `.html`/`.htm` (trafilatura takes the body,
title and date), `.json` (one record or a list) and `.jsonl` (a record a
line) with `id`, `url`, `title`, `text` or `html`, `published`, `language`.
Metadata given in a record wins over what is later guessed from the text.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterator

from pipeline.article import Article, InputError
from pipeline.decode import DecodeError, decode_bytes

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

# An article longer than this is not a press article; extraction time grows with length.
MAX_ARTICLE_CHARS = 500_000
# A .txt/.html file is one article; a JSON/JSONL file may hold very many.
MAX_SINGLE_ARTICLE_FILE_BYTES = 8 * 1024 * 1024
# A larger JSONL file is processed in slices of about this size: spread over the
# workers, with progress as each is done and memory bounded by a slice.
JSONL_PART_BYTES = 4 * 1024 * 1024

# Fewer words than this and no title: trafilatura found navigation, not an article.
MIN_HTML_WORDS = 4

_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str          # path relative to the input folder it was found in
    # A slice of a large JSONL file: the lines in bytes [start, end), the first being record `first_record`.
    start: int = 0
    end: int | None = None
    first_record: int = 1

    @property
    def size(self) -> int:
        return (self.end if self.end is not None else self.path.stat().st_size) - self.start


def discover(inputs: list[Path]) -> list[InputFile]:
    """Every input file under `inputs` (files or folders), sorted, hidden files skipped."""
    found: list[InputFile] = []
    for root in inputs:
        if root.is_file():
            found.append(InputFile(root, root.name))
        elif root.is_dir():
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                    found.append(InputFile(path, rel.as_posix()))
        else:
            raise FileNotFoundError(f"input not found: {root}")
    return found


def split_input(item: InputFile, part_bytes: int | None = None) -> list[InputFile]:
    """A JSONL file over `part_bytes` (default JSONL_PART_BYTES) as slices of whole lines; other files whole."""
    part_bytes = part_bytes or JSONL_PART_BYTES
    if item.path.suffix.lower() != ".jsonl" or item.path.stat().st_size <= part_bytes:
        return [item]
    parts = []
    start = position = records = records_before = 0
    with open(item.path, "rb") as handle:
        for line in handle:
            position += len(line)
            records += bool(line.strip())  # blank lines are not records, as in _jsonl_records
            if position - start >= part_bytes:
                parts.append(replace(item, start=start, end=position, first_record=records_before + 1))
                start, records_before = position, records
    if position > start:
        parts.append(replace(item, start=start, end=position, first_record=records_before + 1))
    return parts


def read_input(item: InputFile) -> Iterator[Article | InputError]:
    """The articles of one input file; every failure is an InputError, never an exception."""
    suffix = item.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield InputError(item.source, "unsupported_format",
                         f"'{suffix or 'no extension'}' is not one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
        return
    try:
        size = item.path.stat().st_size
        if suffix not in JSON_SUFFIXES and size > MAX_SINGLE_ARTICLE_FILE_BYTES:
            yield InputError(item.source, "too_large",
                             f"{size / 1e6:.1f} MB is too large for one article (limit {MAX_SINGLE_ARTICLE_FILE_BYTES / 1e6:.0f} MB)")
            return
        data = _read_slice(item)
    except OSError as exc:
        yield InputError(item.source, "unreadable", str(exc))
        return
    if suffix in JSON_SUFFIXES:
        records = _jsonl_records(data, item.source, item.first_record) if suffix == ".jsonl" else \
            _json_records(data, item.source)
        any_record = False
        for record in records:
            any_record = True
            yield record
        if not any_record and item.start == 0:
            # One row says the file was read: a rerun knows it and does not process it again.
            yield InputError(item.source, "empty", "no records in the file")
    else:
        try:
            text, _ = decode_bytes(data)
        except DecodeError as exc:
            yield InputError(item.source, exc.kind, str(exc))
            return
        record = {"html": text} if suffix in HTML_SUFFIXES else {"text": text}
        yield article_from_record(record, item.source)


def _read_slice(item: InputFile) -> bytes:
    if item.start == 0 and item.end is None:
        return item.path.read_bytes()
    with open(item.path, "rb") as handle:
        handle.seek(item.start)
        return handle.read(item.size)


def _jsonl_records(data: bytes, source: str, first_record: int = 1) -> Iterator[Article | InputError]:
    # Lines are decoded one by one: scraped JSONL files mix encodings.
    number = first_record - 1
    for raw_line in data.split(b"\n"):
        if not raw_line.strip():
            continue
        number += 1
        record_source = f"{source}#{number}"
        try:
            line, _ = decode_bytes(raw_line.strip())
            record = json.loads(line)
        except DecodeError as exc:
            yield InputError(record_source, exc.kind, str(exc))
            continue
        except json.JSONDecodeError as exc:
            yield InputError(record_source, "bad_json", f"line {number}: {exc.msg} at column {exc.colno}")
            continue
        yield article_from_record(record, record_source)


def _json_records(data: bytes, source: str) -> Iterator[Article | InputError]:
    try:
        text, _ = decode_bytes(data)
        parsed = json.loads(text)
    except DecodeError as exc:
        yield InputError(source, exc.kind, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield InputError(source, "bad_json", f"{exc.msg} at line {exc.lineno}, column {exc.colno}")
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for number, record in enumerate(records, 1):
        yield article_from_record(record, f"{source}#{number}" if isinstance(parsed, list) else source)


def article_from_record(record: object, source: str) -> Article | InputError:
    """An Article from a record dict (`text` or `html` plus optional metadata)."""
    if not isinstance(record, dict):
        return InputError(source, "bad_record", f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return InputError(source, "bad_record", f"field '{name}' must be a string, got {type(value).__name__}")
    title = _optional_str(record.get("title"))
    published_raw = _optional_str(record.get("published"))
    if html and not (text and text.strip()):
        text, html_title, html_date = _from_html(html)
        title = title or html_title
        published_raw = published_raw or html_date
        if not title and len((text or "").split()) < MIN_HTML_WORDS:
            text = None  # a page of navigation only
    if not text or not text.strip():
        what = "no article text found in the HTML" if html else "no text"
        return InputError(source, "empty", what)
    if len(text) > MAX_ARTICLE_CHARS:
        return InputError(source, "too_large",
                          f"{len(text):,} characters is too long for one article (limit {MAX_ARTICLE_CHARS:,})")
    published, year, month = parse_published(published_raw)
    url = _optional_str(record.get("url"))
    given_id = record.get("id")
    article_id = str(given_id) if given_id not in (None, "") and not isinstance(given_id, (dict, list)) else stable_id(url or source)
    language = _optional_str(record.get("language"))
    return Article(
        source=source,
        article_id=article_id,
        text=text,
        title=title.strip() if title else None,
        url=url,
        html=html,
        published=published,
        published_year=year,
        published_month=month,
        declared_language=language.strip().lower()[:3] if language and language.strip() else None,
    )


def stable_id(key: str) -> str:
    """The same input location gives the same id on every run."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def parse_published(value: str | None) -> tuple[date | None, int | None, int | None]:
    """(full date or None, year, month) from an ISO date, datetime or partial date (`2022-03`)."""
    match = _PARTIAL_DATE.match(value or "")
    if not match:
        return None, None, None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None, year, None
    if day is None or month is None:
        return None, year, month
    try:
        return date(year, month, day), year, month
    except ValueError:
        return None, year, month


def _optional_str(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _from_html(html: str) -> tuple[str | None, str | None, str | None]:
    """(body text, title, date) of a web page, by trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=False, favor_precision=True)
    if document is None:
        return None, None, None
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return data.get("text"), data.get("title"), data.get("date")
