"""``civilaffairs id``, ``credit-code`` and ``region``: check identifiers and look up regions."""

from __future__ import annotations

import datetime as _dt

import click

from civilaffairs.cli import echo
from civilaffairs.ids import CreditCode, ResidentId


def _region_path(code: str) -> str:
    from civilaffairs import regions
    from civilaffairs.errors import UnknownRegion

    try:
        region = regions.get(code)
    except UnknownRegion:
        return f"{code} (not in the current table)"
    return " / ".join(r.name for r in region.path()) + f" ({region.code})"


@click.command("id")
@click.argument("numbers", nargs=-1, required=True)
@click.option("--on", "on", default=None, help="Compute the age on this date (YYYY-MM-DD).")
def id_command(numbers: tuple[str, ...], on: str | None) -> None:
    """Check resident ID NUMBERS (GB 11643) and show what they encode, masked.

    Each valid number prints its masked form, birth date, sex, age and region path; each
    invalid one prints a one-line reason. Exit 1 if any is invalid.
    """
    from civilaffairs.errors import InvalidIdentifier
    from civilaffairs.periods import parse_date

    day = parse_date(on) if on else _dt.date.today()
    bad = 0
    for number in numbers:
        try:
            rid = ResidentId.parse(number)
        except InvalidIdentifier as exc:
            bad += 1
            echo(f"error: {exc}", err=True)
            continue
        echo(
            f"{rid.masked}  valid  born {rid.birth_date}  {rid.sex.value} ({rid.sex.zh})  "
            f"age {rid.age_on(day)} on {day}  region {_region_path(rid.region_code)}"
        )
    if bad:
        raise SystemExit(1)


@click.command("credit-code")
@click.argument("codes", nargs=-1, required=True)
def credit_code_command(codes: tuple[str, ...]) -> None:
    """Check unified social credit CODES (GB 32100) and decode authority and type."""
    from civilaffairs.errors import InvalidIdentifier

    bad = 0
    for code in codes:
        try:
            cc = CreditCode.parse(code)
        except InvalidIdentifier as exc:
            bad += 1
            echo(f"error: {exc}", err=True)
            continue
        echo(
            f"{cc.masked}  valid  authority {cc.authority.zh}  type {cc.org_type.zh}"
            f" ({cc.org_type.value})  region {_region_path(cc.region_code)}"
        )
    if bad:
        raise SystemExit(1)


@click.command("region")
@click.argument("query")
def region_command(query: str) -> None:
    """Look up an administrative division by 6-digit code, or search by name."""
    from civilaffairs import regions

    if query.strip().isdigit():
        r = regions.get(query)
        echo(f"{r.code}  {r.name}  {r.level.value}  {_region_path(r.code)}")
        for child in r.children():
            echo(f"  {child.code}  {child.name}")
        return
    found = regions.search(query)
    if not found:
        raise click.ClickException(f"no region named like {query!r}")
    for r in found[:50]:
        echo(f"{r.code}  {r.name}  {r.level.value}  {_region_path(r.code)}")
