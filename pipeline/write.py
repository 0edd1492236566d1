"""Writing: the six tables as Parquet files, replaced atomically, one writer at a time.

`<out>/<table>.parquet`, one file per table. A run streams its rows into a
sibling staging folder (memory stays flat however large the corpus) and then
swaps it in with renames, so a reader sees either the previous run's output
or this one's, never half of one. A lock file beside the output folder
refuses a second concurrent run.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from collections import Counter
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import SCHEMAS, TABLES

TABLE_FILES = {f"{table}.parquet" for table in TABLES}


class OutputError(RuntimeError):
    """The output folder cannot be used; the message says why and what to do."""


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out` for the duration of a run."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputError(
                    f"another civicnews run is writing to {out} (lock held on {lock_path}); "
                    "wait for it to finish or choose another --out") from None
            raise
        _recover_interrupted_swap(out)
        yield


def check_output_folder(out: Path) -> None:
    """Refuse to replace a folder that holds anything but our tables: nothing of the user's is lost."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a folder")
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in TABLE_FILES and p.name != ".gitkeep")
        if foreign:
            raise OutputError(
                f"--out {out} holds files that are not civicnews tables ({', '.join(foreign[:5])}); "
                "choose an empty or new folder")


def read_previous(out: Path) -> dict[str, pq.ParquetFile]:
    """The previous run's tables in `out`, opened lazily (empty when there are none or they are unusable)."""
    tables = {}
    for table, schema in SCHEMAS.items():
        path = out / f"{table}.parquet"
        if not path.exists():
            return {}
        try:
            previous = pq.ParquetFile(path)
        except (OSError, pa.ArrowException):
            return {}
        if previous.schema_arrow.names != schema.names:
            return {}  # written by another layout: start afresh
        tables[table] = previous
    return tables


class TableSink:
    """Streams rows into one Parquet file per table in a staging folder; `commit` swaps it in.

    Used as a context manager: leaving it by an exception discards the staging
    folder and leaves the previous output untouched.
    """

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.staging = self.out.parent / f".{self.out.name}.new-{os.getpid()}"
        self.rows: Counter = Counter()
        self._writers: dict[str, pq.ParquetWriter] = {}

    def __enter__(self) -> "TableSink":
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._writers = {t: pq.ParquetWriter(self.staging / f"{t}.parquet", schema) for t, schema in SCHEMAS.items()}
        return self

    def write(self, table: str, data: list[dict] | pa.Table | pa.RecordBatch) -> None:
        if isinstance(data, list):
            data = pa.Table.from_pylist(data, schema=SCHEMAS[table])
        elif isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        if data.num_rows:
            self._writers[table].write_table(data.cast(SCHEMAS[table]))
            self.rows[table] += data.num_rows

    def commit(self) -> None:
        self._close()
        _swap_in(self.staging, self.out)

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self._close()
            shutil.rmtree(self.staging, ignore_errors=True)

    def _close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}


def _swap_in(staging: Path, out: Path) -> None:
    retired = out.parent / f".{out.name}.old"
    shutil.rmtree(retired, ignore_errors=True)
    if out.exists():
        os.rename(out, retired)
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def _recover_interrupted_swap(out: Path) -> None:
    """A run killed between the two renames of `_swap_in` left the old output aside: put it back."""
    retired = out.parent / f".{out.name}.old"
    if retired.is_dir() and not out.exists():
        os.rename(retired, out)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
