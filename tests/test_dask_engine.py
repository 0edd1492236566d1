"""The Dask engine runs the same stages and writes the same tables as the local engine."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline.orchestrate import run
from pipeline.schema import SCHEMAS

pytest.importorskip("distributed", reason="the dask extra is not installed")
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def test_dask_and_local_engines_write_identical_tables(tmp_path):
    inputs = [ROOT / "data" / "raw"] + ([SEEDS] if SEEDS.exists() else [])
    run(inputs, tmp_path / "local", workers=2, engine="local")
    run(inputs, tmp_path / "dask", workers=2, engine="dask")
    for table in SCHEMAS:
        local = pd.read_parquet(tmp_path / "local" / f"{table}.parquet")
        dask = pd.read_parquet(tmp_path / "dask" / f"{table}.parquet")
        pd.testing.assert_frame_equal(local, dask)
    assert len(pd.read_parquet(tmp_path / "dask" / "articles.parquet")) >= 6


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown engine"):
        run([ROOT / "data" / "raw"], tmp_path / "out", engine="spark")
