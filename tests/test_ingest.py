"""Every input format becomes articles; every bad input becomes one explained error."""
import json
from datetime import date

from pipeline.article import Article, InputError
from pipeline.ingest import InputFile, discover, parse_published, read_input, split_input, stable_id


def _read(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return list(read_input(InputFile(path, name)))


def test_txt_is_one_article_with_a_stable_id(tmp_path):
    [article] = _read(tmp_path, "a.txt", "Título da notícia\n\nCorpo do texto.")
    assert isinstance(article, Article)
    assert article.article_id == stable_id("a.txt") == _read(tmp_path, "a.txt", "changed")[0].article_id
    assert article.source == "a.txt"


def test_html_gives_body_title_and_date(tmp_path):
    html = """<html><head><title>Site | Notícia</title>
    <meta property="og:title" content="Prefeitura abre inscrições para curso de cuidadores">
    <meta property="article:published_time" content="2023-04-05T10:00:00-03:00"></head>
    <body><nav>Início | Notícias</nav><article><h1>Prefeitura abre inscrições para curso de cuidadores</h1>
    <p>A Prefeitura de Campinas abriu nesta quarta-feira as inscrições para o curso de cuidadores de idosos,
    com 40 vagas gratuitas oferecidas pela Secretaria Municipal de Assistência Social.</p>
    <p>As aulas começam no dia 20 de abril no Centro de Referência, com duração de três meses.</p></article></body></html>"""
    [article] = _read(tmp_path, "page.html", html)
    assert article.title == "Prefeitura abre inscrições para curso de cuidadores"
    assert "40 vagas gratuitas" in article.text
    assert article.published == date(2023, 4, 5)


def test_html_without_article_is_an_empty_error(tmp_path):
    [error] = _read(tmp_path, "empty.html", "<html><body><nav>Menu</nav></body></html>")
    assert isinstance(error, InputError) and error.error == "empty"


def test_jsonl_records_metadata_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": 7, "text": "Primăria anunță ședința.", "published": "2022-03", "language": "ro",
                    "url": "https://x.example/a"}),
        "{not json",
        json.dumps({"text": 12}),
        json.dumps(["a list"]),
        "",
        json.dumps({"title": "Только заголовок"}),
    ]
    records = _read(tmp_path, "r.jsonl", "\n".join(lines))
    first = records[0]
    assert first.article_id == "7" and first.declared_language == "ro" and first.url == "https://x.example/a"
    assert first.published is None and (first.published_year, first.published_month) == (2022, 3)
    assert [(r.source, r.error) for r in records[1:]] == [
        ("r.jsonl#2", "bad_json"), ("r.jsonl#3", "bad_record"), ("r.jsonl#4", "bad_record"), ("r.jsonl#5", "empty")]


def test_jsonl_with_mixed_encodings(tmp_path):
    data = (json.dumps({"id": "a", "text": "Кметът откри форума."}, ensure_ascii=False).encode("cp1251") + b"\n"
            + json.dumps({"id": "b", "text": "Ședința a avut loc."}, ensure_ascii=False).encode("utf-8") + b"\n")
    a, b = _read(tmp_path, "m.jsonl", data)
    assert a.text == "Кметът откри форума." and b.text == "Ședința a avut loc."


def test_json_list_and_single_record(tmp_path):
    many = _read(tmp_path, "many.json", json.dumps([{"id": "x", "text": "Um."}, {"id": "y", "html": "<p>Dois</p>"}]))
    assert [r.source for r in many] == ["many.json#1", "many.json#2"]
    [one] = _read(tmp_path, "one.json", json.dumps({"text": "Texto único."}))
    assert one.source == "one.json"


def test_unsupported_and_binary_files(tmp_path):
    [pdf] = _read(tmp_path, "doc.pdf", b"%PDF-1.4 ...")
    assert pdf.error == "unsupported_format"
    [png] = _read(tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert png.error == "binary"
    [empty] = _read(tmp_path, "blank.txt", "  \n\t\n")
    assert empty.error == "empty"


def test_discover_skips_hidden_files_and_keeps_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "1.txt", ".hidden.txt"):
        (tmp_path / name).write_text("x")
    assert [i.source for i in discover([tmp_path])] == ["1.txt", "b/2.txt"]


def test_parse_published():
    assert parse_published("2022-03-15T10:00:00Z") == (date(2022, 3, 15), 2022, 3)
    assert parse_published("2022-03") == (None, 2022, 3)
    assert parse_published("2022") == (None, 2022, None)
    assert parse_published("yesterday") == (None, None, None)
    assert parse_published("2022-13-01") == (None, 2022, None)


def test_a_large_jsonl_file_splits_into_slices_of_whole_lines(tmp_path):
    path = tmp_path / "big.jsonl"
    records = [json.dumps({"id": f"r{n}", "text": "x" * (n * 7 % 50)}) for n in range(40)]
    path.write_text("\n\n".join(records) + "\n", encoding="utf-8")
    whole = InputFile(path, "big.jsonl")
    parts = split_input(whole, part_bytes=200)
    assert len(parts) > 5 and parts[0].start == 0 and parts[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))
    sliced = [r for part in parts for r in read_input(part)]
    assert sliced == list(read_input(whole))  # the same records (and empty-text errors), numbered alike
    assert split_input(whole, part_bytes=10**9) == [whole]


def test_a_json_file_without_records_is_one_empty_error(tmp_path):
    for name, data in (("blank.jsonl", b"\n\n  \n"), ("list.json", b"[]")):
        errors = _read(tmp_path, name, data)
        assert [(e.source, e.error) for e in errors] == [(name, "empty")]
