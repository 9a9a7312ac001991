"""``civilaffairs synth``, ``assess-bulk`` and ``simulate``: registry-scale commands.

Each shows a progress bar (click's) on stderr while it works when stderr is a terminal,
and writes nothing to stderr for progress when it is not (piped or redirected); it prints a
summary on stdout, and reports bad input as one line on stderr with exit status 1.

Outputs are all or nothing: files are written under temporary names and moved into place
when the command completes. Interrupted by SIGINT (Ctrl-C) or SIGTERM, a command removes
its temporary files, prints one line and exits with status 130 or 143; an output that
cannot be written (a missing directory, a full disk, an ``--out`` that is an input or lies
inside the input directory) is one line on stderr and exit status 1.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from civilaffairs.cli import EXIT_SIGINT, EXIT_SIGTERM, MAX_CHUNK_SIZE
from civilaffairs.money import Money

__all__ = ["assess_bulk_command", "simulate_command", "synth_command"]


def _unsized() -> Iterator[None]:
    """An iterable without a length: the bar of a run whose total is not known counts up
    without a percentage."""
    yield from ()


@contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[int], None]]:
    """A click progress bar on stderr, redrawn in place (``\\r``) on a terminal; its last
    state stays as one final line (households done of the total). When stderr is not a
    terminal (piped, redirected to a file) nothing at all is written to it."""
    if not _is_terminal(sys.stderr):
        yield lambda n: None
        return
    progressbar: Any = click.progressbar
    with progressbar(
        _unsized() if total is None else None,
        length=total,
        label=label,
        file=sys.stderr,
        show_pos=True,
        show_eta=bool(total),
    ) as bar:

        def update(n: int) -> None:
            bar.update(n)

        yield update


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the command cleans up as for Ctrl-C."""


def _on_term(signum: int, frame: Any) -> None:
    raise _Terminated


@contextmanager
def _interruptible(command: str) -> Iterator[None]:
    """Turn SIGINT and SIGTERM into exit 130 and 143 with one line on stderr, after the
    command's own clean-up has removed its temporary files."""
    try:
        old: Any = signal.signal(signal.SIGTERM, _on_term)
    except ValueError:  # not the main thread
        old = None
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"{command}: interrupted; nothing was written to --out", err=True)
        raise SystemExit(EXIT_SIGINT) from None
    except _Terminated:
        click.echo(f"{command}: terminated; nothing was written to --out", err=True)
        raise SystemExit(EXIT_SIGTERM) from None
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


@click.command("synth")
@click.argument("n", type=click.IntRange(min=0))  # at most MAX_HOUSEHOLDS, checked below
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for households.parquet and persons.parquet.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@click.option(
    "--on",
    "on",
    default="2024-08",
    show_default=True,
    help="Month the ages are drawn for (YYYY-MM).",
)
@click.option(
    "--bad-fraction",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share of deliberately bad households (to try the errors table).",
)
@click.option(
    "--elsewhere",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share of households placed where dibao cannot be assessed on --on (to try the "
    "'not assessed' statuses); by default every household lives where it can.",
)
def synth_command(
    n: int, out: Path, seed: int, on: str, bad_fraction: float, elsewhere: float
) -> None:
    """Write a synthetic registry of N households to directory OUT (Parquet).

    The mix of regions, sizes, ages, disabilities and incomes is described in
    civilaffairs.synth. Households are placed only in counties where dibao can be assessed
    on --on with the installed standards (see `civilaffairs coverage`), unless --elsewhere
    asks otherwise; the same N and seed with the same standards give the same registry. N is
    at most
    100,000,000. The tables are written to a temporary directory inside OUT and moved into
    place when complete.
    """
    from civilaffairs.bulk.run import staged_directory
    from civilaffairs.periods import Month
    from civilaffairs.synth import MAX_HOUSEHOLDS, write_synth

    month = Month.parse(on)  # before anything is created
    if n > MAX_HOUSEHOLDS:
        from civilaffairs.cli import fail

        fail(f"N is {n:,}; synth writes at most {MAX_HOUSEHOLDS:,} households")
    with (
        _interruptible("synth"),
        _progress(n, "synth") as update,
        staged_directory(out, ".synth-") as stage,
    ):
        summary = write_synth(
            n,
            stage,
            seed=seed,
            on=month,
            bad_fraction=bad_fraction,
            elsewhere=elsewhere,
            progress=update,
        )
    click.echo(f"wrote {summary.households} households and {summary.persons} persons to {out}")


def _programs_and_chunks(command: Callable[..., None]) -> Callable[..., None]:
    """The ``--program`` and ``--chunk-size`` options the bulk commands share."""
    command = click.option(
        "--chunk-size",
        default=200_000,
        show_default=True,
        type=click.IntRange(min=1, max=MAX_CHUNK_SIZE),
        help=f"Households per chunk, 1 to {MAX_CHUNK_SIZE:,} (bounds memory).",
    )(command)
    return click.option(
        "--program", "programs", multiple=True, help="Programme id (repeat; default all)."
    )(command)


@click.command("assess-bulk")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--on", "on", required=True, help="Month assessed (YYYY-MM).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Results file (Parquet); errors go to <stem>.errors.parquet and the manifest to "
        "<stem>.manifest.json beside it."
    ),
)
@_programs_and_chunks
def assess_bulk_command(
    source: Path, on: str, out: Path, programs: tuple[str, ...], chunk_size: int
) -> None:
    """Assess every household of the registry in SOURCE for month --on.

    SOURCE is a directory holding households and persons tables (Parquet, CSV or Arrow
    IPC), or a JSON Lines file (.jsonl, .ndjson) of one household per line. Writes one
    row per assessed household to --out and one row per household that could not be
    assessed, with its row number and the reason, to the errors file.
    """
    from civilaffairs.bulk.run import assess_bulk, errors_path_for, manifest_path_for
    from civilaffairs.bulk.sources import open_source
    from civilaffairs.periods import Month

    month = Month.parse(on)
    from civilaffairs.cli import warn_registry
    from civilaffairs.registry import get_registry

    warn_registry(get_registry(), "en")  # plugin errors and disabled values, before the run
    with _interruptible("assess-bulk"):
        src = open_source(source, chunk_size=chunk_size)
        with _progress(src.num_households, "assess") as update:
            summary = assess_bulk(
                src, month, out, programs=programs or None, chunk_size=chunk_size, progress=update
            )
    click.echo(summary.line())
    for pid in summary.programs:
        # a one-off maximum is not a monthly payment: it is labelled and never summed with them
        label = "one-off max" if summary.periods.get(pid) == "one_off_max" else "monthly"
        click.echo(
            f"  {pid:<20} eligible {summary.eligible[pid]:>10}  skipped {summary.skipped[pid]:>10}"
            f"  {label:<11} {Money.from_fen(int(summary.amount_fen[pid])).zh():>20}"
        )
    click.echo(
        f"results: {out}\nerrors:  {errors_path_for(out)}\nmanifest: {manifest_path_for(out)}"
    )


@click.command("simulate")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--on", "on", required=True, help="Month simulated (YYYY-MM).")
@click.option(
    "--set",
    "overrides",
    multiple=True,
    required=True,
    metavar="KEY@REGION=VALUE",
    help="An override, e.g. 'dibao.standard@110000=1500 from 2025-01' (repeat).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=(
        "Directory for summary.json, summary.txt, diff.parquet, errors.parquet, "
        "manifest.json and the chart."
    ),
)
@_programs_and_chunks
def simulate_command(
    source: Path,
    on: str,
    overrides: tuple[str, ...],
    out: Path,
    programs: tuple[str, ...],
    chunk_size: int,
) -> None:
    """Simulate a reform of standards or policies on the registry in SOURCE.

    SOURCE is a directory of households and persons tables or a JSON Lines file, as
    for assess-bulk.

    Only households under the regions the reform names are re-evaluated. Prints the
    table of the dibao totals (or the first programme's) and writes the summary, the
    per-household diff and a chart to --out.
    """
    from civilaffairs.bulk.reform import Reform
    from civilaffairs.bulk.simulate import simulate
    from civilaffairs.bulk.sources import open_source
    from civilaffairs.periods import Month

    month = Month.parse(on)
    reform = Reform.parse(overrides)
    with _interruptible("simulate"):
        src = open_source(source, chunk_size=chunk_size)
        with _progress(src.num_households, "simulate") as update:
            result = simulate(
                src,
                reform,
                month,
                programs=programs or None,
                out=out,
                chunk_size=chunk_size,
                progress=update,
            )
    program = "dibao" if "dibao" in result.programs else (result.programs or [""])[0]
    if program:
        click.echo(result.table(program))
        changes = ", ".join(f"{k} {v}" for k, v in result.changes[program].items())
        click.echo(f"{program}: {changes}")
    click.echo(
        f"{result.households} households, {result.assessed} assessed, {result.errors} errors, "
        f"{result.recomputed} recomputed under the reform"
    )
    for role, path in result.files.items():
        click.echo(f"{role}: {path}")
