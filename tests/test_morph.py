"""Base forms of inflected organisation names (pipeline.morph.nominative)."""
import pytest

from pipeline.morph import nominative

CASES = [
    ("ro", "Asociației Comunelor din România", "Asociația Comunelor din România"),
    ("ro", "Ministerului Sănătății", "Ministerul Sănătății"),
    ("ro", "Agenției Naționale", "Agenția Națională"),
    ("ro", "Primăriei", "Primăria"),
    ("ro", "Consiliului Județean", "Consiliul Județean"),
    ("ro", "Consiliului Județean Cluj", "Consiliul Județean Cluj"),
    ("ro", "Colegiului Național al Asistenților Sociali", "Colegiul Național al Asistenților Sociali"),
    ("ro", "Direcției Generale de Asistență Socială și Protecția Copilului",
     "Direcția Generală de Asistență Socială și Protecția Copilului"),
    ("ro", "Agenției Naționale pentru Ocuparea Forței de Muncă",
     "Agenția Națională pentru Ocuparea Forței de Muncă"),
    ("ro", "Uniunii Europene", "Uniunea Europeană"),
    ("ro", "Comisiei Europene", "Comisia Europeană"),
    ("ro", "Casei Județene de Pensii", "Casa Județeană de Pensii"),
    ("ro", "Universității Tehnice", "Universitatea Tehnică"),
    ("ro", "Autorității Naționale pentru Protecția Drepturilor Copilului",
     "Autoritatea Națională pentru Protecția Drepturilor Copilului"),
    ("ro", "Băncii Mondiale", "Banca Mondială"),
    ("ro", "Comunei Valea Mare", "Comuna Valea Mare"),
    ("ro", "Fundației Comunitare", "Fundația Comunitară"),
    ("ro", "al Asociației Orașelor", "Asociația Orașelor"),
    ("ro", "Ministerul Muncii și Protecției Sociale", "Ministerul Muncii și Protecției Sociale"),
    ("ro", "UNICEF România", "UNICEF România"),
    ("bg", "Националното сдружение на общините", "Национално сдружение на общините"),
    ("bg", "Агенцията за социално подпомагане", "Агенция за социално подпомагане"),
    ("bg", "Министерството на труда и социалната политика", "Министерство на труда и социалната политика"),
    ("bg", "Столичната община", "Столична община"),
    ("bg", "Общината", "Община"),
    ("bg", "Националния осигурителен институт", "Национален осигурителен институт"),
    ("bg", "Европейската комисия", "Европейска комисия"),
    ("bg", "Съвета на Европа", "Съвет на Европа"),
    ("bg", "Държавната агенция за закрила на детето", "Държавна агенция за закрила на детето"),
    ("bg", "Комисия за защита от дискриминация", "Комисия за защита от дискриминация"),
    ("bg", "Сметната палата", "Сметна палата"),
    ("bg", "Академия на науките", "Академия на науките"),
    ("pt", "da AMAMS", "AMAMS"),
    ("pt", "do Ministério da Saúde", "Ministério da Saúde"),
    ("pt", "a Confederação Nacional dos Municípios", "Confederação Nacional dos Municípios"),
    ("pt", "pela Secretaria Municipal de Educação", "Secretaria Municipal de Educação"),
    ("pt", "Fundo Nacional de Desenvolvimento da Educação", "Fundo Nacional de Desenvolvimento da Educação"),
]


@pytest.mark.parametrize("lang,phrase,expected", CASES)
def test_nominative(lang, phrase, expected):
    assert nominative(phrase, lang) == expected


@pytest.mark.parametrize("lang", ["pt", "ro", "bg", "xx"])
@pytest.mark.parametrize("phrase", ["", " ", "a", "„“", "123", "ACoR", "Ș", "-ului", "ъ", "\u0301"])
def test_never_raises(lang, phrase):
    assert isinstance(nominative(phrase, lang), str)
