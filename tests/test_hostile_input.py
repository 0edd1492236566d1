"""Hostile input: nothing crashes, nothing is lost, every failure is explained (one errors row)."""
import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.orchestrate import run

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TABLES = ("articles", "organisations", "officials", "numbers", "topics")

RO = "Ședința Consiliului Local\n\nConsiliul Local al comunei a aprobat bugetul în ședința de marți."
BG = "Кметът откри новия център\n\nКметът на общината откри вчера новия център за социални услуги."
PT = "Prefeitura inaugura creche\n\nA Prefeitura de Sorocaba inaugurou na sexta-feira a nova creche municipal."


def _hostile_corpus(folder: Path) -> dict[str, str | None]:
    """Writes the bad inputs; returns source -> expected error class (None: processed as an article)."""
    rng = random.Random(7)
    files = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b"   \n\t \n", "empty"),
        "report.pdf": (b"%PDF-1.5\n%\xb5\xb5\xb5\xb5\n1 0 obj", "unsupported_format"),
        "picture.txt": (b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)), "binary"),
        "noise.txt": (bytes(rng.randrange(256) for _ in range(5000)), "binary"),
        "bg-1251.txt": (BG.encode("cp1251"), None),
        "ro-1250.txt": (RO.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").encode("cp1250"), None),
        "ro-8859-2.txt": (RO.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").encode("iso-8859-2"), None),
        "ro-8859-16.txt": (RO.encode("iso-8859-16"), None),
        "pt-1252.txt": (PT.encode("cp1252"), None),
        "bg-utf16-bom.txt": (BG.encode("utf-16"), None),
        "ro-utf16-nobom.txt": (RO.encode("utf-16-le"), None),
        "html-no-article.html": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "empty"),
        "huge.txt": (None, "too_large"),
        "long-line.txt": (("Cuvânt " * 150_000).encode("utf-8"), "too_large"),
        "english.txt": (b"Council approves budget\n\nThe city council approved the new budget on Monday evening.", None),
        "russian.txt": ("Мэр открыл центр\n\nМэр города открыл вчера новый центр социальной помощи.".encode(), None),
        "macedonian.txt": ("Градоначалникот отвори центар\n\nГрадоначалникот на општината го отвори новиот центар.".encode(), None),
        "spanish.txt": (b"El alcalde inaugura el centro\n\nEl alcalde inaugur\xc3\xb3 ayer el nuevo centro de servicios sociales.", None),
        "headline-only.txt": ("Primăria anunță ședința de consiliu".encode(), None),
        "odd-unicode.txt": ("Şedinţa\u200b consiliului\u00a0local\x07\n\nCon\u0219iliul s\u0327-a reunit\u200d azi\x1b.".encode(), None),
    }
    expected = {}
    for name, (data, error) in files.items():
        path = folder / name
        if data is None:  # 50 MB without holding it in memory twice
            with open(path, "wb") as handle:
                handle.truncate(50 * 1024 * 1024)
        else:
            path.write_bytes(data)
        expected[name] = error
    lines = [
        json.dumps({"id": "ok-1", "text": PT}).encode(),
        b"{not json at all",
        json.dumps({"id": "ok-2", "text": BG}, ensure_ascii=False).encode("cp1251"),
        json.dumps({"id": ["not", "a", "scalar"], "text": 42}).encode(),
        json.dumps({"id": "no-text", "title": "Only a title"}).encode(),
        json.dumps({"id": "ok-3", "text": RO, "published": "not a date", "language": 7}, ensure_ascii=False).encode(),
    ]
    (folder / "mixed.jsonl").write_bytes(b"\n".join(lines))
    expected.update({"mixed.jsonl#1": None, "mixed.jsonl#2": "bad_json", "mixed.jsonl#3": None,
                     "mixed.jsonl#4": "bad_record", "mixed.jsonl#5": "empty", "mixed.jsonl#6": None})
    return expected


def test_every_bad_input_is_one_error_and_every_good_one_an_article(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.orchestrate.SMALL_RUN_BYTES", 0)  # through the worker pool
    folder = tmp_path / "in"
    folder.mkdir()
    expected = _hostile_corpus(folder)
    run([folder], tmp_path / "out", workers=2)
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    input_errors = errors[errors["error"] != "extractor_failed"]
    assert not (errors["error"] == "extractor_failed").any(), errors[errors["error"] == "extractor_failed"].to_dict("records")
    for source, error in expected.items():
        rows = input_errors[input_errors["source"] == source]
        if error is None:
            assert source in set(articles["source"]), source
            assert rows.empty, rows.to_dict("records")
        else:
            assert list(rows["error"]) == [error], (source, rows.to_dict("records"))
            assert source not in set(articles["source"])
    by_source = articles.set_index("source")
    assert by_source.loc["ro-1250.txt", "text"] == by_source.loc["ro-8859-16.txt", "text"]
    assert "Ședința consiliului local" in by_source.loc["odd-unicode.txt", "text"]
    assert by_source.loc["english.txt", "language"] == "en"
    assert by_source.loc["russian.txt", "language"] == "ru"


@pytest.mark.skipif(not SEEDS.exists(), reason=f"no seed articles at {SEEDS}")
def test_hostile_neighbours_do_not_change_the_seeds_output(tmp_path):
    clean_in, mixed_in = tmp_path / "clean", tmp_path / "mixed"
    clean_in.mkdir()
    mixed_in.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, clean_in / path.name)
        shutil.copy(path, mixed_in / path.name)
    _hostile_corpus(mixed_in)
    run([clean_in], tmp_path / "out_clean", workers=1)
    run([mixed_in], tmp_path / "out_mixed", workers=2)
    seed_ids = set(pd.read_parquet(tmp_path / "out_clean" / "articles.parquet")["article_id"])
    for table in TABLES:
        a = pd.read_parquet(tmp_path / "out_clean" / f"{table}.parquet")
        b = pd.read_parquet(tmp_path / "out_mixed" / f"{table}.parquet")
        b = b[b["article_id"].isin(seed_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(a.drop(columns=["input_sha1"], errors="ignore"),
                                      b.drop(columns=["input_sha1"], errors="ignore"), check_like=True)
