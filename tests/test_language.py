import pytest

from corpus_support import make_article
from pipeline.language import detect_language, guess_language


@pytest.mark.parametrize("text, lang", [
    ("Secretaria de Saúde promove campanha de vacinação", "pt"),
    ("Secretaria Municipal de Assistência Social", "pt"),
    ("A Câmara Municipal aprovou ontem o orçamento para o próximo ano, com votos a favor da maioria.", "pt"),
    ("Primăria comunei organizează întâlnirea anuală", "ro"),
    ("Consiliul Județean a aprobat ieri bugetul Direcției de Asistență Socială pentru anul viitor.", "ro"),
    ("Кметът на общината откри форума", "bg"),
    ("Агенцията за социално подпомагане обяви нови мерки за подкрепа на семействата с деца.", "bg"),
    ("The city council approved the new budget for social services on Monday.", "en"),
    ("Мэр города открыл заседание вчера вечером в здании администрации.", "ru"),
    ("Градоначалникот го отвори состанокот вчера во општината.", "mk"),
    ("El alcalde inauguró ayer la reunión en el ayuntamiento de la ciudad.", "es"),
    ("12 34 !!", "und"),
])
def test_guess_language(text, lang):
    code, score = guess_language(text)
    assert code == lang
    assert 0.0 <= score <= 1.0


def test_declared_language_wins():
    article = make_article("Texto curto", "und")
    article.declared_language = "pt"
    assert detect_language(article).language == "pt"
    assert article.language_score == 1.0
