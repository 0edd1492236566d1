"""Clutter goes, the article stays, the headline is found even behind page furniture."""
import pytest

from corpus_support import case_article, load_cases
from pipeline.clean import clean

CASES = load_cases("clean")


@pytest.mark.parametrize("case_id, case", CASES, ids=[c[0] for c in CASES])
def test_clean_corpus(case_id, case):
    article = case_article(case)
    article.title = None  # the clean stage finds it
    clean(article)
    expect = case["expect"]
    assert article.title == expect["title"]
    assert article.text.startswith(expect["title"])
    assert article.text.count(expect["title"]) == expect.get("title_count", article.text.count(expect["title"]))
    for kept in expect.get("present", []):
        assert kept in article.text
    for dropped in expect.get("absent", []):
        assert dropped not in article.text


def test_metadata_title_wins_and_is_not_repeated():
    article = case_article({"text": "Título do site\nTítulo real\nCorpo da notícia aqui.", "lang": "pt"})
    article.title = "Título real"
    clean(article)
    assert article.text == "Título real\n\nTítulo do site\n\nCorpo da notícia aqui."


def test_control_characters_and_odd_spaces_are_normalised():
    article = case_article({"text": "Titlu\x07 cu\u00a0spațiu\nText\u200b cu caractere ciudate\x1b.", "lang": "ro"})
    article.title = None
    clean(article)
    assert article.text == "Titlu cu spațiu\n\nText cu caractere ciudate."
