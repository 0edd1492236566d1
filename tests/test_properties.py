"""Property tests: any Unicode text gives valid records from every extractor, never an exception."""
import math
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import Article
from pipeline.orchestrate import process_article

ROLES = {"head_of_state", "prime_minister", "deputy_prime_minister", "minister", "deputy_minister",
         "secretary_of_state", "secretary_general", "deputy_secretary_general", "governor", "deputy_governor",
         "mayor", "deputy_mayor", "councillor", "member_of_parliament", "president", "vice_president", "director",
         "deputy_director", "executive_director", "deputy_executive_director", "head_of_department", "secretary",
         "coordinator", "manager", "expert", "representative", "adviser", "ambassador", "other"}
TOPICS = {"social_assistance", "child_family", "elderly_disability", "education", "health",
          "employment_workforce", "poverty_inclusion", "eu_funds", "budget_finance", "legislation_policy",
          "planning", "local_governance", "rural_development", "infrastructure"}
RELATIONS = {"organiser", "partner", "funder", "host", "participant", "mentioned"}
KINDS = {"participants", "target", "count", "money", "percent"}
QUALIFIERS = {"exact", "approximately", "over", "under", "up_to"}
MODES = {None, "in_person", "online", "hybrid"}

# Real press fragments, so that random text reaches deep into the rules.
FRAGMENTS = [
    "Primarul comunei ", "Ministerul Sănătății", " a avut loc în ", "peste 200 de persoane", " (ACoR) ",
    "secretar de stat în cadrul ", "24-26 октомври", "кметът на община ", "Агенцията за социално подпомагане",
    " над 150 участници", "заместник-министър на ", "próxima terça-feira (12), às 9 horas", " R$ 3 milhões ",
    "A Prefeitura de ", "O presidente ", ", coordenadora do ", "20.02.2020", "ora 09.00", " 1.500 ", "2,5%",
    "„", "“", " – ", "\n\n", "dl. ", "г-жа ", " și ", " и ", " da ", "Ана Иванова", "Maria Popescu",
]
texts = st.lists(st.one_of(st.text(min_size=0, max_size=40), st.sampled_from(FRAGMENTS)), max_size=25).map("".join)


def _check(article: Article) -> None:
    n = len(article.text)
    event = article.event
    for value in (event.published_date, event.start, event.end):
        assert value is None or isinstance(value, date)
    assert event.start is None or event.end is None or event.start <= event.end
    assert event.time is None or (len(event.time) == 5 and event.time[2] == ":")
    assert event.mode in MODES
    place = article.place
    for value in (place.lat, place.lon):
        assert value is None or (isinstance(value, float) and math.isfinite(value))
    for org in article.organisations:
        assert org.name and org.relation in RELATIONS and 0 <= org.start < org.end <= n
    for official in article.officials:
        assert official.name and official.role in ROLES and 0 <= official.start < official.end <= n
    for number in article.numbers:
        assert math.isfinite(number.value) and number.kind in KINDS and number.qualifier in QUALIFIERS
        assert 0 <= number.start < number.end <= n
    for topic in article.topics:
        assert topic.topic in TOPICS and 0.0 <= topic.score <= 1.0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=st.sampled_from(["pt", "ro", "bg"]), published=st.one_of(st.none(), st.dates()))
def test_any_text_gives_valid_records(text, lang, published):
    article = Article(source="prop", article_id="prop", text=text, declared_language=lang, published=published,
                      published_year=published.year if published else None,
                      published_month=published.month if published else None)
    article, errors = process_article(article)
    assert not [e for e in errors if e.error == "extractor_failed"], errors
    _check(article)
