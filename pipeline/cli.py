"""The `civicnews` command: `extract` articles into Parquet tables, `evaluate` against gold."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured records from pt/ro/bg press articles (see README.md).")
err = Console(stderr=True)


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="Article files or folders (.txt, .html, .htm, .json, .jsonl)."),
    out: Path = typer.Option(Path("data/processed"), "--out", "-o", help="Output folder for the Parquet tables."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Worker processes (0 = all cores)."),
    full: bool = typer.Option(False, "--full",
                              help="Reprocess every input and rewrite the tables from these inputs alone."),
    drop_missing: bool = typer.Option(False, "--drop-missing",
                                      help="Drop the rows of input files that are no longer there."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    engine: str = typer.Option("local", "--engine", help="local (process pool) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address (default: a local Dask cluster)."),
) -> None:
    """Extract every article under INPUTS into Parquet tables in --out."""
    from pipeline.orchestrate import run
    from pipeline.write import OutputError

    for path in inputs:
        if not path.exists():
            err.print(f"[red]error:[/] input not found: {path}")
            raise typer.Exit(2)
    progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=quiet, transient=True)
    with progress:
        task = progress.add_task("files", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            summary = run(inputs, out, workers=workers, incremental=not full, drop_missing=drop_missing,
                          progress=advance, engine=engine, scheduler=scheduler)
        except (OutputError, ValueError, RuntimeError) as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2)
    languages = ", ".join(f"{lang} {n}" for lang, n in summary.languages.most_common()) or "none"
    state = "written" if summary.written else "unchanged (nothing new to process)"
    superseded = (f"{summary.superseded} articles of earlier runs replaced by newer records with the same id\n"
                  if summary.superseded else "")
    err.print(
        f"{summary.files_seen} input files: {summary.files_processed} processed, {summary.files_unchanged} unchanged\n"
        f"{summary.articles} articles ({languages}); {summary.errors} errors\n"
        f"{superseded}output {state}: {out}  ({summary.seconds:.1f} s)")


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold annotations (JSONL, one article a line)."),
    input_dir: Optional[Path] = typer.Option(None, "--input", "-i",
                                             help="Folder with the gold's article files (default: the gold's folder)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    details: bool = typer.Option(False, "--details", help="Also list every mismatch, article by article."),
) -> None:
    """Run the pipeline on the gold's articles and print per-field scores."""
    from pipeline.evaluate import evaluate_gold

    try:
        report = evaluate_gold(gold, input_dir or gold.parent)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    if not details:
        report.pop("differences")
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(title=f"civicnews evaluate {gold.name} ({report['articles']} articles)")
    for column in ("field", "n", "accuracy", "precision", "recall", "f1"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, score in report["fields"].items():
        cells = [f"{score[k]:.3f}" if score.get(k) is not None else "" for k in ("accuracy", "precision", "recall", "f1")]
        table.add_row(name, str(score["n"]), *cells)
    console = Console(width=120)
    console.print(table)
    current = None
    for diff in report.get("differences", []):
        if diff["file"] != current:
            current = diff["file"]
            console.print(f"\n[bold]{current}[/]")
        expected = "" if diff["expected"] is None else f"expected {diff['expected']}"
        predicted = "" if diff["predicted"] is None else f"got {diff['predicted']}"
        console.print(f"  {diff['field']}: " + "  |  ".join(x for x in (expected, predicted) if x), markup=False)
