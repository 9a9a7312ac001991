"""The ``civilaffairs`` command line (命令行).

Each sub-command lives in its own module and is imported only when it is run, so
``civilaffairs --help`` stays fast. Every command follows one contract: no traceback ever
reaches a user; a failure is one line per problem on stderr, prefixed by its field path.
Commands with ``--lang`` print these lines in that language only (``错误：…`` in Chinese, the
default; ``error: …`` in English).

Exit codes (退出码):

====  ========================================================================================
code  meaning
====  ========================================================================================
0     success (``coverage`` and ``standards`` without ``--key`` report gaps and still exit 0)
1     a problem with the input or the options (a
      :class:`~civilaffairs.errors.CivilAffairsError`: bad field, unknown region, programme
      or key, missing standard, invalid file), or output that cannot be written (a missing
      directory, a full disk, an ``--out`` that is an input); ``validate`` also exits 1
      when any record is invalid
2     wrong usage: an unknown option, a missing argument, a value out of range (click's
      convention)
70    an unexpected internal error (set ``CIVILAFFAIRS_DEBUG=1`` to see the traceback)
130   interrupted by SIGINT (Ctrl-C); the bulk commands leave nothing at their ``--out``
      paths
143   terminated by SIGTERM; as for 130
====  ========================================================================================

Bounds of the count arguments: ``synth N`` at most
:data:`~civilaffairs.synth.MAX_HOUSEHOLDS` households; ``--chunk-size`` of the bulk commands
from 1 to :data:`MAX_CHUNK_SIZE` households.

Personal identifiers are masked in everything the commands print: every line a command
writes goes through ``echo``, which applies :func:`civilaffairs.ids.mask_text` (resident
IDs written whole or with spaces or hyphens), and so do error lines, usage errors that echo
an argument back, and the one-line reports of ``report`` and ``fail``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from civilaffairs._version import __version__

if TYPE_CHECKING:
    from civilaffairs.errors import CivilAffairsError, Lang

__all__ = [
    "MAX_CHUNK_SIZE",
    "LazyGroup",
    "cli",
    "echo",
    "error_prefix",
    "lang_option",
    "main",
    "report",
]

_F = TypeVar("_F", bound=Callable[..., Any])

#: The language chosen with ``--lang`` by the command being run; ``None`` for commands
#: without the option, whose errors keep the historical bilingual form.
_lang: Lang | None = None

#: command name -> "module:attribute" of a click command.
COMMANDS: dict[str, str] = {
    "assess": "civilaffairs.cli.assess:assess_command",
    "id": "civilaffairs.cli.ids:id_command",
    "credit-code": "civilaffairs.cli.ids:credit_code_command",
    "region": "civilaffairs.cli.ids:region_command",
    "synth": "civilaffairs.cli.bulk:synth_command",
    "assess-bulk": "civilaffairs.cli.bulk:assess_bulk_command",
    "simulate": "civilaffairs.cli.bulk:simulate_command",
    "validate": "civilaffairs.cli.validate:validate_command",
    "schema": "civilaffairs.cli.validate:schema_command",
    "plugins": "civilaffairs.cli.plugins:plugins_command",
    "standards": "civilaffairs.cli.plugins:standards_command",
    "coverage": "civilaffairs.cli.plugins:coverage_command",
    "checks": "civilaffairs.cli.checks:checks_command",
    "check": "civilaffairs.cli.checks:check_command",
    "new-plugin": "civilaffairs.cli.plugins:new_plugin_command",
    "records": "civilaffairs.cli.records:records_group",
    "audit": "civilaffairs.cli.audit:audit_command",
    "serve": "civilaffairs.cli.serve:serve_command",
    "export": "civilaffairs.cli.dci:export_group",
    "import": "civilaffairs.cli.dci:import_group",
}

EXIT_INPUT = 1
EXIT_INTERNAL = 70
EXIT_SIGINT = 130
EXIT_SIGTERM = 143

#: The largest ``--chunk-size`` the bulk commands accept: households held in memory at
#: once (a chunk of 2,000,000 households with their members takes about 2 GiB).
MAX_CHUNK_SIZE = 2_000_000


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attr = self.lazy[cmd_name].partition(":")
            cmd = getattr(importlib.import_module(module), attr)
            if not isinstance(cmd, click.Command):  # pragma: no cover - programming error
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            return cmd
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="civilaffairs")
def cli() -> None:
    """civilaffairs: China civil-affairs (民政) rules, standards and decisions."""


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    global _lang
    _lang = "en" if value == "en" else "zh"
    return value


def lang_option(help: str = "Language of the output and of error messages.") -> Callable[[_F], _F]:
    """The ``--lang zh|en`` option (default ``zh``); it also sets the language in which
    :func:`main` prints errors that end the command."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help=help,
        callback=_remember_lang,
    )


def error_prefix(lang: Lang | None) -> str:
    """The prefix of an error line: ``错误：`` in Chinese, ``error:`` and a space otherwise."""
    return "错误：" if lang == "zh" else "error: "


def label_sep(lang: Lang | None) -> str:
    """The separator after a file label or path: ``：`` in Chinese, ``: `` otherwise."""
    return "：" if lang == "zh" else ": "


def echo(text: str, *, err: bool = False) -> None:
    """Print *text* (a line, or several) with every resident ID in it masked: the output
    boundary of every command."""
    from civilaffairs.ids import mask_text

    click.echo(mask_text(text), err=err)


def warn_registry(registry: object, lang: Lang) -> None:
    """Print, to stderr, every plugin error and every conflict that disabled values in
    *registry* (``警告：``/``warning:``): what a run leaves out is always said."""
    head = "警告：" if lang == "zh" else "warning: "
    for problem in (*getattr(registry, "errors", ()), *getattr(registry, "warnings", ())):
        for line in problem.lines(lang):
            echo(head + line, err=True)


def report(exc: CivilAffairsError, lang: Lang | None, label: str | None = None) -> None:
    """Print *exc* to stderr, one line per problem, in *lang* (``None``: the historical
    bilingual form), each prefixed by ``错误：``/``error:`` and *label*."""
    lines = str(exc).splitlines() if lang is None else exc.lines(lang)
    head = error_prefix(lang) + (label + label_sep(lang) if label else "")
    for line in lines or [exc.code]:
        echo(head + line, err=True)


def fail(lines: Sequence[str] | str, code: int = EXIT_INPUT) -> None:
    """Print *lines* to stderr and exit with *code* (no traceback)."""
    if isinstance(lines, str):
        lines = [lines]
    for line in lines:
        echo(f"{error_prefix(_lang)}{line}", err=True)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``civilaffairs`` command; returns the exit code."""
    global _lang
    from civilaffairs.errors import CivilAffairsError

    _lang = None
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        return EXIT_INPUT
    except click.ClickException as exc:
        _show_masked(exc)
        return exc.exit_code
    except CivilAffairsError as exc:
        report(exc, _lang)
        return EXIT_INPUT
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_SIGINT
    except OSError as exc:  # output that cannot be written: a full disk, a closed pipe
        import errno

        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        where = f" {exc.filename}" if exc.filename else ""
        if exc.errno == errno.EPIPE:
            return EXIT_INPUT
        import contextlib

        with contextlib.suppress(OSError):  # stderr may be the full disk too
            click.echo(
                ("错误：无法写出" if _lang == "zh" else "error: cannot write output")
                + f"{where}: {reason}",
                err=True,
            )
        return EXIT_INPUT
    except Exception as exc:
        if os.environ.get("CIVILAFFAIRS_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(exc).__name__}; rerun with CIVILAFFAIRS_DEBUG=1 for details",
            err=True,
        )
        return EXIT_INTERNAL
    return 0


def _show_masked(exc: click.ClickException) -> None:
    """Show a usage error as click would, with the arguments it echoes back masked."""
    import io

    buffer = io.StringIO()
    exc.show(file=buffer)
    echo(buffer.getvalue().rstrip("\n"), err=True)


def run() -> None:  # pragma: no cover - console entry wrapper
    sys.exit(main())
