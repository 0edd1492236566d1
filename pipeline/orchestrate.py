"""Orchestration: one article through the stages, many files through a run.

Stages pass one `Article` along: clean -> language -> the extractors in
order, each storing its result on the article. A run is incremental: an
input file whose content and pipeline version match the previous output is
not processed again and its rows are carried over unchanged.
"""
from __future__ import annotations

import gc
import hashlib
import importlib
import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import pipeline
from pipeline.article import Article, InputError
from pipeline.clean import clean
from pipeline.ingest import InputFile, discover, read_input, split_input
from pipeline.language import detect_language
from pipeline.resources import LANGUAGES, MODELS_DIR
from pipeline.schema import SCHEMAS, article_rows, error_row
from pipeline.write import TableSink, check_output_folder, output_lock, read_previous

# (article attribute, extractor module): the order matters, later extractors read earlier results.
EXTRACTORS = (
    ("event", "dates"),
    ("organisations", "organisations"),
    ("place", "places"),
    ("officials", "officials"),
    ("numbers", "numbers"),
    ("topics", "topics"),
)
STAGES = ("ingest", "clean", "language") + tuple(module for _, module in EXTRACTORS)
ARTICLE_TIME_LIMIT_S = 60
ENGINES = ("local", "dask")
# Previous rows are carried over in batches of this many, so memory stays flat.
CARRY_BATCH_ROWS = 10_000
# Below this much input, starting worker processes costs more than it saves.
SMALL_RUN_BYTES = 256 * 1024


class ArticleTimeout(Exception):
    pass


@lru_cache(maxsize=None)
def pipeline_version() -> str:
    """Package version plus a digest of the code and resources that shape the output."""
    digest = hashlib.sha1()
    roots = [Path(pipeline.__file__).parent, Path(importlib.import_module("extractors").__file__).parent, MODELS_DIR]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{pipeline.__version__}+{digest.hexdigest()[:10]}"


@lru_cache(maxsize=None)
def _extractor(module: str) -> Callable[[Article], object]:
    return importlib.import_module(f"extractors.{module}").extract


def warm_up() -> None:
    """Load every extractor and its resources once (in each worker) before timing anything."""
    for lang in LANGUAGES:
        process_article(Article(source="warm-up", article_id="warm-up", text="Warm up.\n\nWarm up text.",
                                declared_language=lang))
    # The loaded resources live as long as the process: moved out of the garbage collector's
    # sight, a full collection takes microseconds instead of ~0.25 s (and forked workers share their pages).
    gc.freeze()


def process_article(article: Article, timings: Counter | None = None) -> tuple[Article, list[InputError]]:
    """Run clean, language and (for pt/ro/bg) every extractor on one article.

    An extractor that fails leaves its field empty and reports an
    `extractor_failed` error; the other fields are still filled.
    """
    timings = timings if timings is not None else Counter()
    errors: list[InputError] = []
    with _stage(timings, "clean"):
        clean(article)
    if not article.text.strip():
        return article, [InputError(article.source, "empty", "nothing left after removing site clutter")]
    with _stage(timings, "language"):
        detect_language(article)
    if article.language in LANGUAGES:
        try:
            with _time_limit(ARTICLE_TIME_LIMIT_S):
                for attribute, module in EXTRACTORS:
                    with _stage(timings, module):
                        try:
                            setattr(article, attribute, _extractor(module)(article))
                        except ArticleTimeout:
                            raise
                        except Exception as exc:  # one extractor's bug must not lose the article
                            errors.append(InputError(article.source, "extractor_failed",
                                                     f"{module}: {type(exc).__name__}: {exc}"))
        except ArticleTimeout:
            errors.append(InputError(article.source, "timeout",
                                     f"extraction took over {ARTICLE_TIME_LIMIT_S} s; fields after it are empty"))
    article.scratch.clear()
    return article, errors


@dataclass
class FileResult:
    input_file: str
    input_sha1: str
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in SCHEMAS})
    languages: Counter = field(default_factory=Counter)
    timings: Counter = field(default_factory=Counter)


def process_file(item: InputFile, input_sha1: str, version: str) -> FileResult:
    """Every article of one input file (or slice of one) as table rows; failures become `errors` rows."""
    result = FileResult(item.source, input_sha1)
    started = time.perf_counter()
    records = list(read_input(item))
    result.timings["ingest"] += time.perf_counter() - started
    for record in records:
        if isinstance(record, InputError):
            result.rows["errors"].append(error_row(record, version))
            continue
        article, errors = process_article(record, result.timings)
        for error in errors:
            result.rows["errors"].append(error_row(error, version, article.article_id))
        if errors and errors[0].error == "empty":
            continue
        result.languages[article.language] += 1
        for table, rows in article_rows(article, version).items():
            for row in rows:
                row["_source"] = article.source  # which article a row came from, not written
            result.rows[table].extend(rows)
    for row in result.rows["articles"] + result.rows["errors"]:
        row["input_file"], row["input_sha1"] = item.source, input_sha1
    return result


@dataclass
class RunSummary:
    files_seen: int = 0
    files_processed: int = 0
    files_unchanged: int = 0
    articles: int = 0
    errors: int = 0
    languages: Counter = field(default_factory=Counter)
    timings: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    written: bool = False
    # Articles of earlier runs replaced by a newer record with the same id from another input file.
    superseded: int = 0


def run(inputs: list[Path], out: Path, workers: int = 0, incremental: bool = True,
        drop_missing: bool = False, progress: Callable[[int, int], None] | None = None,
        engine: str = "local", scheduler: str | None = None) -> RunSummary:
    """Extract every input under `inputs` into the tables in `out`.

    `workers`: processes (0 = all cores). `incremental`: skip input files that
    are unchanged since the previous run in `out`. `drop_missing`: drop the rows
    of input files that are no longer there. `progress(done, total)` is called per
    file (a large JSONL file counts as several slices of `JSONL_PART_BYTES`).
    `engine`: "local" (a process pool) or "dask" (the same stages as Dask tasks,
    on the cluster at `scheduler`, or on a local cluster when it is None).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    summary = RunSummary()
    with output_lock(out):
        check_output_folder(out)
        items = discover(inputs)
        version = pipeline_version()
        previous = read_previous(out) if incremental else {}
        fingerprints = {item.source: _sha1(item.path) for item in items}
        known = _previous_fingerprints(previous)
        todo = [i for i in items if known.get(i.source) != (fingerprints[i.source], version)]
        current = {i.source for i in items}
        stale = {f for f in known if f not in current} if drop_missing else set()
        summary.files_seen, summary.files_processed = len(items), len(todo)
        summary.files_unchanged = len(items) - len(todo)
        if previous and not todo and not stale:
            _count_previous(summary, previous)
            summary.seconds = time.perf_counter() - started
            return summary  # nothing changed: the output stays as it is, byte for byte

        process_all = _process_dask if engine == "dask" else _process_local
        parts = [part for item in todo for part in split_input(item)]
        with TableSink(out) as sink:
            new_ids: dict[str, str] = {}
            if progress:
                progress(0, len(parts))  # the total is known before the first slow file
            for result in process_all(parts, fingerprints, version, workers, progress, scheduler):
                _write_result(sink, result, new_ids)
                summary.timings.update(result.timings)
                summary.languages.update(result.languages)
            if previous:
                replaced = {i.source for i in todo} | stale
                languages, summary.superseded = _carry_over(sink, previous, replaced, new_ids)
                summary.languages.update(languages)
            sink.commit()
        summary.written = True
        summary.articles, summary.errors = sink.rows["articles"], sink.rows["errors"]
    summary.seconds = time.perf_counter() - started
    return summary


def _process_local(todo: list[InputFile], fingerprints: dict[str, str], version: str, workers: int,
                   progress: Callable[[int, int], None] | None, scheduler: None = None) -> Iterator[FileResult]:
    workers = workers or os.cpu_count() or 1
    total = len(todo)
    if workers == 1 or total < 2 or sum(i.size for i in todo) < SMALL_RUN_BYTES:
        for done, item in enumerate(todo, 1):
            yield process_file(item, fingerprints[item.source], version)
            if progress:
                progress(done, total)
        return
    # Load everything once here: forked workers inherit it instead of loading it again each.
    warm_up()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        # map() yields in input order, so the tables do not depend on which worker finished first.
        results = pool.map(process_file, todo, [fingerprints[i.source] for i in todo], [version] * total)
        for done, result in enumerate(results, 1):
            if progress:
                progress(done, total)
            yield result


def _process_dask(todo: list[InputFile], fingerprints: dict[str, str], version: str, workers: int,
                  progress: Callable[[int, int], None] | None, scheduler: str | None) -> Iterator[FileResult]:
    """One Dask task per input file (or slice). Workers of a remote cluster must see the input paths
    (a shared file system) and have civicnews installed."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'civicnews[dask]'") from None
    cluster = None if scheduler else LocalCluster(
        n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            client.run(warm_up)
            futures = client.map(process_file, todo, [fingerprints[i.source] for i in todo],
                                 [version] * len(todo), pure=False)
            for done, future in enumerate(futures, 1):  # in input order, like the local engine
                yield future.result()
                future.release()
                if progress:
                    progress(done, len(todo))
    finally:
        if cluster is not None:
            cluster.close()


def _write_result(sink: TableSink, result: FileResult, new_ids: dict[str, str]) -> None:
    """One input file's rows. A record whose `id` an earlier record of this run has is an error row."""
    duplicates = set()
    for row in result.rows["articles"]:
        first = new_ids.setdefault(row["article_id"], row["source"])
        if first != row["source"]:
            duplicates.add(row["source"])
            result.rows["errors"].append({
                "article_id": row["article_id"], "source": row["source"], "error": "duplicate_id",
                "message": f"id {row['article_id']!r} is already used by {first}",
                "pipeline_version": row["pipeline_version"],
                "input_file": row["input_file"], "input_sha1": row["input_sha1"]})
    for table in SCHEMAS:
        rows = result.rows[table]
        if duplicates and table != "errors":
            rows = [r for r in rows if r["_source"] not in duplicates]
        sink.write(table, rows)


def _carry_over(sink: TableSink, previous: dict[str, pq.ParquetFile], replaced: set[str],
                new_ids: dict[str, str]) -> tuple[Counter, int]:
    """Stream the previous rows of untouched input files into the sink.

    An article whose id this run wrote anew (a newer version of it in another
    input file) is not carried over: a `superseded` row in `errors` says so and
    keeps its file's fingerprint, so the file is not taken for new next time.
    Returns the kept articles' languages and how many were superseded.
    """
    replaced_files = pa.array(sorted(replaced), pa.string())
    new_id_array = pa.array(sorted(new_ids), pa.string())
    kept_ids: list[str] = []
    languages: Counter = Counter()
    superseded = 0
    for batch in previous["articles"].iter_batches(batch_size=CARRY_BATCH_ROWS):
        untouched = pc.invert(pc.is_in(batch["input_file"], replaced_files))
        rewritten = pc.and_(untouched, pc.is_in(batch["article_id"], new_id_array))
        notices = [{**row, "error": "superseded", "message": f"replaced by {new_ids[row['article_id']]}, "
                                                             "a newer record with the same id"}
                   for row in batch.filter(rewritten).select(list(_NOTICE_COLUMNS)).to_pylist()]
        superseded += len(notices)
        sink.write("errors", notices)
        kept = batch.filter(pc.and_(untouched, pc.invert(rewritten)))
        kept_ids.extend(kept["article_id"].to_pylist())
        languages.update(kept["language"].to_pylist())
        sink.write("articles", kept)
    kept_array = pa.array(kept_ids, pa.string())
    for table in ("organisations", "officials", "numbers", "topics"):
        for batch in previous[table].iter_batches(batch_size=CARRY_BATCH_ROWS):
            sink.write(table, batch.filter(pc.is_in(batch["article_id"], kept_array)))
    for batch in previous["errors"].iter_batches(batch_size=CARRY_BATCH_ROWS):
        sink.write("errors", batch.filter(pc.invert(pc.is_in(batch["input_file"], replaced_files))))
    return languages, superseded


_NOTICE_COLUMNS = ("article_id", "source", "pipeline_version", "input_file", "input_sha1")


def _previous_fingerprints(previous: dict[str, pq.ParquetFile]) -> dict[str, tuple[str, str]]:
    known: dict[str, tuple[str, str]] = {}
    for table in ("articles", "errors"):
        if table in previous:
            columns = previous[table].read(columns=["input_file", "input_sha1", "pipeline_version"])
            for row in columns.to_pylist():
                known[row["input_file"]] = (row["input_sha1"], row["pipeline_version"])
    return known


def _count_previous(summary: RunSummary, previous: dict[str, pq.ParquetFile]) -> None:
    summary.articles = previous["articles"].metadata.num_rows
    summary.errors = previous["errors"].metadata.num_rows
    summary.languages = Counter(previous["articles"].read(columns=["language"])["language"].to_pylist())


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _stage(timings: Counter, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] += time.perf_counter() - started


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ArticleTimeout after `seconds` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(signum, frame):
        raise ArticleTimeout()

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
