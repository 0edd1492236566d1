"""`make bench`: throughput, per-stage time shares and peak memory on a reproducible corpus.

The corpus is built from the sample articles (data/raw, plus ../shared/seeds
when present), varied deterministically (paragraph order, numbers, weekdays),
into JSONL files under build/bench/. The same texts are also tokenised by
spacy.blank alone, and our speed is printed as a ratio of it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIRS = [ROOT / "data" / "raw", ROOT.parent / "shared" / "seeds"]
RECORDS_PER_FILE = 250


def base_articles() -> list[tuple[str, str]]:
    """(language, text) of every sample article in pt/ro/bg."""
    from pipeline.ingest import discover, read_input
    from pipeline.orchestrate import process_article

    bases = []
    for item in discover([d for d in SAMPLE_DIRS if d.is_dir()]):
        for record in read_input(item):
            if hasattr(record, "text"):
                article, _ = process_article(record)
                if article.language in ("pt", "ro", "bg"):
                    bases.append((article.language, article.text))
    return bases


def build_corpus(folder: Path, size: int, seed: int = 13) -> tuple[list[str], list[str]]:
    """(texts, their languages); the records carry no language, so detection is measured too."""
    rng = random.Random(seed)
    bases = base_articles()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.jsonl"):
        old.unlink()
    texts, languages = [], []
    for n in range(size):
        lang, text = bases[n % len(bases)]
        title, *paragraphs = text.split("\n\n")
        rng.shuffle(paragraphs)
        body = re.sub(r"\b\d{2,3}\b", lambda m: str(int(m.group()) + rng.randint(1, 9)), "\n\n".join(paragraphs))
        texts.append(json.dumps({"id": f"bench-{n:06d}", "text": f"{title}\n\n{body}"}, ensure_ascii=False))
        languages.append(lang)
    for start in range(0, size, RECORDS_PER_FILE):
        (folder / f"part-{start // RECORDS_PER_FILE:04d}.jsonl").write_text(
            "\n".join(texts[start:start + RECORDS_PER_FILE]) + "\n", encoding="utf-8")
    return [json.loads(t)["text"] for t in texts], languages


def spacy_alone(texts: list[str], languages: list[str]) -> float:
    """Articles per second for spacy.blank tokenisation only, one core."""
    from pipeline.nlp import blank

    for lang in set(languages):
        blank(lang)
    started = time.perf_counter()
    for text, lang in zip(texts, languages):
        blank(lang)(text)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.orchestrate import run, warm_up

    started = time.perf_counter()
    warm_up()  # once per run: workers are forked from this warm process
    startup = time.perf_counter() - started
    work = ROOT / "build" / "bench"
    texts, languages = build_corpus(work / "corpus", args.articles)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"corpus: {len(texts)} articles, {words:.0f} words on average, {args.workers} workers")
    print(f"start-up (spaCy, lemma tables, lexicons, gazetteer; once per run): {startup:.1f} s")

    cpu_before = _children_cpu_seconds()
    summary = run([work / "corpus"], work / "out", workers=args.workers, incremental=False)
    worker_cpu = _children_cpu_seconds() - cpu_before
    rate = summary.articles / summary.seconds
    peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"extract after start-up: {summary.articles} articles in {summary.seconds:.1f} s = {rate:.0f} articles/s "
          f"({rate / args.workers:.0f} per core), {summary.errors} errors")
    if worker_cpu > 0:  # CPU time is steadier than wall time on a shared host
        print(f"worker CPU: {1000 * worker_cpu / summary.articles:.2f} ms per article "
              f"= {summary.articles / worker_cpu:.0f} articles per CPU-second")
    print(f"peak RSS: worker {peak_worker:.0f} MB, main process {peak_main:.0f} MB")
    total = sum(summary.timings.values()) or 1.0
    print("time shares: " + ", ".join(f"{stage} {100 * t / total:.1f}%"
                                      for stage, t in summary.timings.most_common()))
    baseline = spacy_alone(texts, languages)
    print(f"spacy.blank tokenisation alone: {baseline:.0f} articles/s on one core; "
          f"civicnews per core = {rate / args.workers / baseline:.3f} of it")

    print(f"gazetteer load (fresh process): {gazetteer_load_seconds():.2f} s")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def gazetteer_load_seconds() -> float:
    """Load time of the place index in a process that has not loaded it yet."""
    code = ("import time; from extractors import gazetteer; t = time.perf_counter(); "
            "gazetteer.load(); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(done.stdout.strip())


if __name__ == "__main__":
    main()
