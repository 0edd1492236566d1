"""Per-language resources kept as data files in `models/<lang>/`.

Tables are UTF-8 TSV files with a header line; blank lines and lines starting
with `#` are comments, so a linguist can add a role title or a topic cue
without touching Python. Everything is read once per process.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import models

MODELS_DIR = Path(models.__file__).resolve().parent
LANGUAGES = ("pt", "ro", "bg")


def resource_path(lang: str, name: str) -> Path:
    return MODELS_DIR / lang / name


@lru_cache(maxsize=None)
def read_table(lang: str, name: str) -> tuple[dict[str, str], ...]:
    """Rows of `models/<lang>/<name>` as dicts keyed by the header's columns."""
    path = resource_path(lang, name)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items() if k} for row in reader)


@lru_cache(maxsize=None)
def read_list(lang: str, name: str) -> tuple[str, ...]:
    """Non-comment lines of `models/<lang>/<name>`, stripped."""
    path = resource_path(lang, name)
    with path.open(encoding="utf-8") as handle:
        return tuple(
            line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")
        )
