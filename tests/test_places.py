import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_support import case_article, load_cases, make_article
from extractors import gazetteer, places
from pipeline.article import Organisation
from pipeline.textnorm import fold

EXPECT_FIELDS = {
    "place_name": "name",
    "place_name_latin": "name_latin",
    "place_admin1": "admin1",
    "place_country": "country",
    "venue": "venue",
}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _extract(case: dict):
    article = case_article(case)
    article.event.mode = case.get("mode")
    # `"organisers": [name, ...]`: every occurrence of each name is the event's organiser, as the
    # organisations extractor reports it.
    article.organisations = [
        Organisation(name, relation="organiser", start=m.start(), end=m.end())
        for name in case.get("organisers", ()) for m in re.finditer(re.escape(name), case["text"])
    ]
    return places.extract(article)


@pytest.mark.parametrize("case_id,case", load_cases("places"))
def test_corpus(case_id, case):
    place = _extract(case)
    got = {key: getattr(place, attr) for key, attr in EXPECT_FIELDS.items() if key in case["expect"]}
    assert got == case["expect"], case["text"]


def test_corpus_has_twenty_cases_per_language():
    per_language = {}
    for case_id, _ in load_cases("places"):
        lang = case_id.split(":")[0]
        per_language[lang] = per_language.get(lang, 0) + 1
    assert set(per_language) == {"pt", "ro", "bg"}
    assert min(per_language.values()) >= 20


def test_gazetteer_loads_fast():
    gazetteer.load.cache_clear()
    started, started_cpu = time.perf_counter(), time.process_time()
    index = gazetteer.load()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(f"gazetteer.load(): {elapsed:.3f} s ({cpu:.3f} s CPU), {len(index.by_key)} names")
    # CPU time: a busy machine (the whole suite, other jobs) stretches the wall clock, not the work.
    assert cpu < 1.0
    assert {p.country for places_ in index.by_key.values() for p in places_} == set(gazetteer.COUNTRIES)


def test_bulk_name_keys_equal_name_key():
    names = [p.name for places_ in gazetteer.load().by_key.values() for p in places_] + ["Йордан", "Bârlad-Sud", "Foz do Iguaçu", "ș ş’"]
    assert gazetteer.name_keys(names) == [gazetteer.name_key(n) for n in names]


def test_gazetteer_rows_are_well_formed():
    index = gazetteer.load()
    for places_ in index.by_key.values():
        for p in places_:
            assert p.name and p.admin1 and p.country in gazetteer.COUNTRIES and 1 <= p.rank <= 4
            assert (p.lat is None) == (p.lon is None)
            if p.lat is not None:
                assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180


def test_coordinates_come_with_the_place():
    article = make_article("Forum\n\nФорумът се провежда в Банско.", "bg")
    place = places.extract(article)
    assert place.name == "Банско" and place.lat == pytest.approx(41.84, abs=0.05) and place.lon == pytest.approx(23.49, abs=0.05)


def test_unsupported_language_gives_an_empty_place():
    assert places.extract(make_article("Meeting in Paris\n\nThe meeting took place in Paris.", "en")) == places.Place()


def _seed_cases():
    gold = SEEDS / "gold.jsonl"
    if not gold.exists():
        return []
    return [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("gold", _seed_cases(), ids=lambda g: g["file"][:3])
def test_seed(gold):
    article = make_article((SEEDS / gold["file"]).read_text(encoding="utf-8"), gold["language"])
    article.event.mode = gold.get("event_mode")
    place = places.extract(article)
    expected = gold["place"]
    assert fold(place.name) == fold(expected["name"])
    assert place.country == expected["country"]
    assert place.admin1 == expected["admin1"]
    assert place.name_latin == expected["name_latin"]
    assert place.venue == expected.get("venue")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), lang=st.sampled_from(["pt", "ro", "bg"]))
def test_never_raises_on_any_text(text, lang):
    place = places.extract(make_article(text, lang))
    assert place.country in (None, *gazetteer.COUNTRIES)


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(st.sampled_from([
        "em", "no", "în", "la", "в", "jud.", "comuna", "гр.", "Hotel", "хотел", "Bd.", "nr.", "4", ",",
        "(MG)", "–", "\n", "Constanței", "São Paulo", "Банско", "a avut loc", "се провежда", "realizado",
        "Natal", "Бяла", "Sat", "„", "“", "Capitalei", "Столична община",
    ]), max_size=40),
    lang=st.sampled_from(["pt", "ro", "bg"]),
)
def test_never_raises_on_place_like_text(words, lang):
    place = places.extract(make_article(" ".join(words), lang))
    assert place.name is None or place.country in gazetteer.COUNTRIES


def test_a_locality_ending_the_organisers_name_is_its_seat():
    text = "Atelier pentru asistenții sociali\n\nConsiliul Raional Soroca organizează un atelier de două zile."
    start = text.index("Consiliul")
    organiser = Organisation("Consiliul Raional Soroca", relation="organiser", start=start, end=start + 24)
    assert places.find_place(text, "ro")[0] is None
    place, _ = places.find_place(text, "ro", organisations=[organiser])
    assert (place.name, place.admin1, place.country) == ("Soroca", "Soroca", "MD")


def test_bulgarian_towns_keep_their_bulgarian_spelling_and_coordinates():
    index = gazetteer.load()
    nesebar = index.by_key[gazetteer.name_key("Несебър")]
    assert [p.name for p in nesebar] == ["Несебър"] and nesebar[0].lat is not None
    assert gazetteer.name_key("Несебар") not in index.by_key


def test_curated_places_carry_their_source_note():
    text = (gazetteer.GAZETTEER_DIR / "curated.tsv").read_text(encoding="utf-8")
    assert "Source:" in text
    assert all(p.rank == 1 and p.lat is not None for p in gazetteer._curated())
