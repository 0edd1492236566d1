"""A run writes SPEC's tables with their schemas, atomically, incrementally, one writer at a time."""
import json
import multiprocessing
import os

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.orchestrate import run
from pipeline.schema import SCHEMAS
from pipeline.write import OutputError, output_lock

SPEC_COLUMNS = {
    "articles": ["article_id", "source", "language", "language_score", "title", "published_date",
                 "event_date_start", "event_date_end", "event_time", "event_mode", "place_name",
                 "place_name_latin", "place_admin1", "place_country", "place_lat", "place_lon", "venue",
                 "pipeline_version"],
    "organisations": ["article_id", "name", "acronym", "relation", "start", "end"],
    "officials": ["article_id", "name", "role", "role_raw", "organisation", "start", "end"],
    "numbers": ["article_id", "value", "unit", "currency", "kind", "qualifier", "year", "text", "start", "end"],
    "topics": ["article_id", "topic", "score"],
    "errors": ["source", "error", "message"],
}
SPEC_TYPES = {"language_score": "double", "published_date": "date32[day]", "place_lat": "double",
              "start": "int32", "end": "int32", "value": "double", "year": "int32", "score": "double"}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ro.txt").write_text(
        "Primăria Sibiu deschide un centru de zi pentru vârstnici\n\n"
        "Primăria Sibiu a deschis marți un centru de zi pentru vârstnici, cu 40 de locuri.", encoding="utf-8")
    (folder / "bg.txt").write_bytes(
        "Община Русе откри център за деца\n\nОбщина Русе откри вчера нов център за деца с увреждания.".encode("cp1251"))
    (folder / "recs.jsonl").write_text("\n".join([
        json.dumps({"id": "pt-1", "text": "Prefeitura abre inscrições\n\nA Prefeitura de Campinas abriu as inscrições."}),
        "{broken",
    ]), encoding="utf-8")
    (folder / "empty.txt").write_text("   ")
    (folder / "none.jsonl").write_text("\n")  # no records: still known to a rerun
    return folder


def _tables(out):
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in SCHEMAS}


def test_tables_have_spec_columns_and_types(corpus, tmp_path):
    out = tmp_path / "out"
    summary = run([corpus], out, workers=1)
    assert summary.articles == 3 and summary.errors >= 2
    for table, columns in SPEC_COLUMNS.items():
        schema = pq.read_schema(out / f"{table}.parquet")
        assert set(columns) <= set(schema.names), table
        for column in columns:
            if column in SPEC_TYPES:
                assert str(schema.field(column).type) == SPEC_TYPES[column], (table, column)
    tables = _tables(out)
    assert sorted(tables["articles"]["language"]) == ["bg", "pt", "ro"]
    assert set(tables["errors"]["error"]) >= {"bad_json", "empty"}
    assert tables["articles"]["article_id"].is_unique


def test_empty_input_still_writes_every_table_with_its_schema(tmp_path):
    (tmp_path / "in").mkdir()
    run([tmp_path / "in"], tmp_path / "out", workers=1)
    for table, schema in SCHEMAS.items():
        written = pq.read_table(tmp_path / "out" / f"{table}.parquet")
        assert written.num_rows == 0 and written.schema.names == schema.names


def test_rerun_is_a_no_op_and_a_change_replaces_rows(corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out, workers=1)
    before = {t: (out / f"{t}.parquet").read_bytes() for t in SCHEMAS}
    again = run([corpus], out, workers=1)
    assert again.files_processed == 0 and not again.written
    assert before == {t: (out / f"{t}.parquet").read_bytes() for t in SCHEMAS}

    (corpus / "ro.txt").write_text("Consiliul Județean Cluj aprobă bugetul\n\nConsiliul a aprobat bugetul.", encoding="utf-8")
    (corpus / "new.txt").write_text("Prefeitura de Natal abre vagas\n\nA prefeitura abriu vagas.", encoding="utf-8")
    changed = run([corpus], out, workers=1)
    assert changed.files_processed == 2
    articles = _tables(out)["articles"]
    assert articles["article_id"].is_unique and len(articles) == 4
    assert articles.set_index("source").loc["ro.txt", "title"] == "Consiliul Județean Cluj aprobă bugetul"

    (corpus / "new.txt").unlink()
    run([corpus], out, workers=1)
    assert "new.txt" in set(_tables(out)["articles"]["source"])  # kept by default
    run([corpus], out, workers=1, drop_missing=True)
    assert "new.txt" not in set(_tables(out)["articles"]["source"])


def test_parallel_run_gives_the_same_tables(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.orchestrate.SMALL_RUN_BYTES", 0)  # use the pool even for a tiny corpus
    run([corpus], tmp_path / "one", workers=1)
    run([corpus], tmp_path / "two", workers=2)
    for table in SCHEMAS:
        a, b = (pd.read_parquet(tmp_path / d / f"{table}.parquet") for d in ("one", "two"))
        pd.testing.assert_frame_equal(a, b)


def test_a_large_jsonl_file_in_slices_gives_the_same_tables(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = []
    for n in range(12):
        record = {"text": f"Primăria Sibiu deschide centrul {n}\n\nPrimăria Sibiu a deschis marți centrul {n} "
                          f"pentru vârstnici, cu {n + 10} de locuri."}
        lines += [json.dumps(record, ensure_ascii=False), "", "{broken" if n == 5 else ""]
    (folder / "big.jsonl").write_text("\n".join(lines), encoding="utf-8")
    run([folder], tmp_path / "whole", workers=1)
    monkeypatch.setattr("pipeline.ingest.JSONL_PART_BYTES", 300)
    monkeypatch.setattr("pipeline.orchestrate.SMALL_RUN_BYTES", 0)
    steps = []
    summary = run([folder], tmp_path / "sliced", workers=2, progress=lambda done, total: steps.append(total))
    assert summary.files_processed == 1 and steps[-1] > 3  # progress moves within the one file
    for table in SCHEMAS:
        a, b = (pd.read_parquet(tmp_path / d / f"{table}.parquet") for d in ("whole", "sliced"))
        pd.testing.assert_frame_equal(a, b)
    articles = pd.read_parquet(tmp_path / "sliced" / "articles.parquet")
    assert len(articles) == 12 and articles["source"].iloc[-1] == "big.jsonl#13"  # numbering runs across slices


def test_a_newer_record_with_a_kept_id_replaces_it_and_is_counted(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    record = {"id": "news-7", "text": "Primăria Sibiu deschide un centru\n\nPrimăria Sibiu a deschis marți un centru."}
    (folder / "monday.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    run([folder], tmp_path / "out", workers=1)
    record["text"] = record["text"].replace("marți", "miercuri")
    (folder / "tuesday.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    summary = run([folder], tmp_path / "out", workers=1)
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert summary.superseded == 1 and summary.files_processed == 1
    assert articles["source"].tolist() == ["tuesday.jsonl#1"]
    notice = pd.read_parquet(tmp_path / "out" / "errors.parquet").iloc[0]
    assert (notice["error"], notice["source"]) == ("superseded", "monday.jsonl#1")
    assert run([folder], tmp_path / "out", workers=1).files_processed == 0  # and it stays so


def test_duplicate_ids_keep_the_first_and_report_the_second(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(json.dumps({"id": "same", "text": f"Titlu {n}\n\nText {n}."})
                                              for n in (1, 2)), encoding="utf-8")
    run([folder], tmp_path / "out", workers=1)
    tables = _tables(tmp_path / "out")
    assert list(tables["articles"]["source"]) == ["a.jsonl#1"]
    assert list(tables["errors"]["error"]) == ["duplicate_id"]


def test_foreign_files_in_the_output_folder_are_never_replaced(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "my_notes.txt").write_text("precious")
    with pytest.raises(OutputError, match="not civicnews tables"):
        run([corpus], out, workers=1)
    assert (out / "my_notes.txt").read_text() == "precious"


def _hold_lock(out, ready, release):
    with output_lock(out):
        ready.set()
        release.wait(20)


def test_a_second_writer_is_refused(corpus, tmp_path):
    out = tmp_path / "out"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(out, ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        with pytest.raises(OutputError, match="another civicnews run"):
            run([corpus], out, workers=1)
    finally:
        release.set()
        holder.join(20)


def test_an_interrupted_swap_is_recovered(corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out, workers=1)
    os.rename(out, tmp_path / ".out.old")  # killed between the two renames
    summary = run([corpus], out, workers=1)
    assert summary.files_processed == 0 and (out / "articles.parquet").exists()
