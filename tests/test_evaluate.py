import pytest

from pipeline.evaluate import names_match


@pytest.mark.parametrize("a, b", [
    ("Asociației Comunelor din România", "Asociația Comunelor din România"),
    ("Ministerului Sănătății", "Ministerul Sănătății"),
    ("Националното сдружение на общините", "Национално сдружение на общините"),
    ("Агенцията за социално подпомагане", "Агенция за социално подпомагане"),
    ("SORIN Stefan DECA", "Sorin Ștefan Deca"),
    ("Confederação Nacional dos Municípios", "confederacao nacional dos municipios"),
    ("Надя Клисурска-Жекова", "Надя Клисурска-Жекова"),
])
def test_names_match_across_case_diacritics_and_inflection(a, b):
    assert names_match(a, b)


@pytest.mark.parametrize("a, b", [
    ("Ministerul Sănătății", "Ministerul Educației"),
    ("Asociația Comunelor din România", "Asociația Orașelor din România"),
    ("Георги Георгиев", "Георги Икономов"),
    ("Ministerul Sănătății", "Ministerul"),
    ("da", "de"),
    ("", ""),
])
def test_different_names_do_not_match(a, b):
    assert not names_match(a, b)
