"""``civilaffairs records``: the case records store and its decision ledger.

Every sub-command takes ``--db URL_OR_PATH`` (else ``CIVILAFFAIRS_DATABASE_URL``, else
``records.sqlite`` in the working directory). Output goes through the masking boundary of
the command line; a problem is one line on stderr and exit status 1. ``verify`` and
``consistency`` also exit 1, with one line naming the first bad entry, when the ledger
does not verify.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from civilaffairs.cli import fail, lang_option, warn_registry

if TYPE_CHECKING:
    from civilaffairs.decision import Assessment, Lang
    from civilaffairs.domain import Household
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.recording import Recorded
    from civilaffairs.records.store import Store

__all__ = ["Recorder", "records_group"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: SHA-256 digests and UUIDs written in hexadecimal: the ledger's hashes and ids. They are
#: no personal data, but their runs of digits can look like a resident ID to the masking
#: routine, which would garble a hash; they are passed through as they are.
_HEX_TOKEN = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
    r"[0-9a-f]{12})(?![0-9A-Za-z])"
)


def echo(text: str, *, err: bool = False) -> None:
    """Print *text* through the command line's masking boundary
    (:func:`civilaffairs.ids.mask_text`), leaving the ledger's hashes and ids whole."""
    from civilaffairs.ids import mask_text

    out: list[str] = []
    last = 0
    for match in _HEX_TOKEN.finditer(text):
        out.append(mask_text(text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(mask_text(text[last:]))
    click.echo("".join(out), err=err)


def db_option(func: _F) -> _F:
    """The ``--db URL_OR_PATH`` option."""
    return click.option(
        "--db",
        "db",
        default=None,
        metavar="URL_OR_PATH",
        help="Database: a SQLAlchemy URL (postgresql://…, sqlite:///…) or a SQLite file path "
        "(default: $CIVILAFFAIRS_DATABASE_URL, else records.sqlite here).",
    )(func)


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "zh"


def _day(value: str, option: str) -> _dt.date:
    from civilaffairs.errors import InvalidPeriod

    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidPeriod(
            f"{option} takes a date as YYYY-MM-DD (日期格式错误)",
            path=option,
            zh=f"{option} 应为 YYYY-MM-DD 格式的日期",
        ) from None


def _month(value: str | None) -> Any:
    from civilaffairs.cli.assess import parse_on

    return parse_on(value)


def _open(db: str | None, *, create: bool = False) -> Store:
    from civilaffairs.records.store import Store

    return Store.open(db, create=create)


def _protector(required: bool = True) -> Protector | None:
    from civilaffairs.records.privacy import Protector

    if required:
        return Protector.from_environment()
    try:
        return Protector.from_environment()
    except Exception:
        return None


def _trusted() -> Any:
    from civilaffairs.records.config import public_key

    return public_key()


def _write(path: str, document: Any) -> None:
    from civilaffairs.records.checkpoints import write_json_atomic

    write_json_atomic(path, document)


def _one_household(path: str, household_id: str | None) -> Household:
    """The household in FILE (the one with *household_id* if FILE holds several)."""
    from civilaffairs.cli._inputs import iter_households
    from civilaffairs.errors import CivilAffairsError

    found: list[Household] = []
    for label, household, error in iter_households(path):
        if error is not None:
            raise error.at(label) if error.path is None else error
        if household is not None and (household_id is None or household.id == household_id):
            found.append(household)
    if len(found) != 1:
        raise CivilAffairsError(
            f"{path} holds {len(found)} matching households; give a file of one household "
            "(文件中应恰有一户)",
            path="FILE",
            zh=f"{path} 中有 {len(found)} 户相符；请给出只含一户的文件",
        )
    return found[0]


@click.group("records", context_settings={"help_option_names": ["-h", "--help"]})
def records_group() -> None:
    """Case records and the decision ledger (案卷库与认定账本), on SQLite or PostgreSQL.

    \b
    Record:    assess FILE… --on YYYY-MM --record [--db …]
               records review | appeal | appeal-outcome | pay | import-bulk
    Staff:     records staff | relative | assign
    Look:      records show | due | caseload | audit
    Ledger:    records verify | checkpoint | prove | consistency | check-proof | keygen
    """


# -- the ledger -----------------------------------------------------------------------------


@records_group.command("verify")
@db_option
@click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A signed checkpoint the ledger must still extend (repeatable).",
)
@lang_option()
def verify_command(db: str | None, checkpoints: tuple[str, ...], lang: str) -> None:
    """Verify the whole ledger: every entry's hash, the chain, the rows of the decisions
    and appeals tables, the snapshots, the ledger head and the checkpoints kept in the
    store and given with --checkpoint.

    Exit 0 and one summary line if intact; otherwise exit 1 and ONE line naming the
    first bad entry (altered, deleted, inserted, reordered, or missing after a
    checkpoint).
    """
    from civilaffairs.records.checkpoints import read_checkpoint
    from civilaffairs.records.verify import verify

    language = _lang(lang)
    store = _open(db)
    try:
        trusted = _trusted()
        refs = [read_checkpoint(path, trusted=trusted)[1] for path in checkpoints]
        result = verify(store, refs)
    finally:
        store.close()
    if result.problem is not None:
        fail(result.problem.line(language))
    if language == "zh":
        echo(f"账本完好：{result.size} 条，树根 {result.root_hash}")
    else:
        echo(f"ledger intact: {result.size} entries, root {result.root_hash}")


@records_group.command("checkpoint")
@db_option
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="File.")
@lang_option()
def checkpoint_command(db: str | None, out: str, lang: str) -> None:
    """Verify the ledger and write a checkpoint of it (tree size, root, time) signed with
    the Ed25519 key of CIVILAFFAIRS_LEDGER_SIGNING_KEY to --out; the store keeps a copy.
    A ledger that does not verify is not signed."""
    from civilaffairs.records.config import signing_key
    from civilaffairs.records.verify import create_checkpoint

    key = signing_key()
    store = _open(db)
    try:
        document = create_checkpoint(store, key)
    finally:
        store.close()
    _write(out, document)
    if _lang(lang) == "zh":
        echo(f"检查点：{document['tree_size']} 条，树根 {document['root_hash']} → {out}")
    else:
        echo(f"checkpoint: {document['tree_size']} entries, root {document['root_hash']} → {out}")


@records_group.command("prove")
@click.argument("entry", type=click.IntRange(min=0))
@db_option
@click.option(
    "--checkpoint",
    "checkpoint",
    type=click.Path(dir_okay=False),
    help="Prove against this signed checkpoint's tree (default: the whole ledger now).",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the proof here.")
@lang_option()
def prove_command(
    entry: int, db: str | None, checkpoint: str | None, out: str | None, lang: str
) -> None:
    """The inclusion proof of ledger entry ENTRY, as JSON: the entry itself, its audit
    path and the tree's root (and the signed checkpoint), which anyone checks with
    'records check-proof' or civilaffairs.records.merkle.verify_inclusion, without the
    rest of the ledger and without anyone else's data."""
    import os

    from civilaffairs.records.checkpoints import read_checkpoint
    from civilaffairs.records.config import SIGNING_KEY_ENV, signing_key
    from civilaffairs.records.proofs import inclusion_proof

    trusted = _trusted()
    document = read_checkpoint(checkpoint, trusted=trusted)[0] if checkpoint else None
    key = signing_key() if document is None and os.environ.get(SIGNING_KEY_ENV) else None
    store = _open(db)
    try:
        proof = inclusion_proof(store, entry, checkpoint=document, trusted=trusted, signing_key=key)
    finally:
        store.close()
    if out:
        _write(out, proof)
        echo(
            f"包含证明：第 {entry} 条 → {out}"
            if _lang(lang) == "zh"
            else f"inclusion proof of entry {entry} → {out}"
        )
    else:
        echo(json.dumps(proof, ensure_ascii=False, indent=2))


@records_group.command("consistency")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@db_option
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the proof here.")
@lang_option()
def consistency_command(old: str, new: str, db: str | None, out: str | None, lang: str) -> None:
    """The consistency proof that checkpoint NEW extends checkpoint OLD, computed from the
    database and checked against both. A history rewritten between them fails: exit 1 and
    one line."""
    from civilaffairs.records.checkpoints import read_checkpoint
    from civilaffairs.records.proofs import consistency_proof

    trusted = _trusted()
    old_doc = read_checkpoint(old, trusted=trusted)[0]
    new_doc = read_checkpoint(new, trusted=trusted)[0]
    store = _open(db)
    try:
        proof = consistency_proof(store, old_doc, new_doc, trusted=trusted)
    finally:
        store.close()
    if out:
        _write(out, proof)
        echo(
            f"一致性证明：{proof['old']['tree_size']} → {proof['new']['tree_size']} 条 → {out}"
            if _lang(lang) == "zh"
            else f"consistency proof {proof['old']['tree_size']} → "
            f"{proof['new']['tree_size']} entries → {out}"
        )
    else:
        echo(json.dumps(proof, ensure_ascii=False, indent=2))


@records_group.command("check-proof")
@click.argument("proof", type=click.Path(dir_okay=False))
@lang_option()
def check_proof_command(proof: str, lang: str) -> None:
    """Check an inclusion or consistency proof file by itself (no database): exit 0 if it
    holds, 1 with one line if not. The checkpoint in an inclusion proof is checked with
    CIVILAFFAIRS_LEDGER_PUBLIC_KEY when set."""
    import pathlib

    from civilaffairs.records.proofs import (
        CONSISTENCY_FORMAT,
        check_consistency_proof,
        check_inclusion_proof,
    )

    language = _lang(lang)
    try:
        document = json.loads(pathlib.Path(proof).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        document = None
    if document is None:
        fail(
            f"{proof}: " + ("无法读取或不是 JSON" if language == "zh" else "unreadable or not JSON")
        )
    if isinstance(document, dict) and document.get("format") == CONSISTENCY_FORMAT:
        result = check_consistency_proof(document)
    else:
        result = check_inclusion_proof(document, trusted=_trusted())
    text = result.zh if language == "zh" else result.en
    if not result.ok:
        fail(text)
    echo(text)


@records_group.command("keygen")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="File.")
@lang_option()
def keygen_command(out: str, lang: str) -> None:
    """Create an Ed25519 signing key for checkpoints: the private key (PEM, readable only
    by you) at --out and its public key beside it (<out>.pub). Point
    CIVILAFFAIRS_LEDGER_SIGNING_KEY at the first; publish the second. An existing file is
    not overwritten."""
    import os

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    from civilaffairs.records.checkpoints import key_id

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    if os.path.lexists(out):
        fail(f"{out}: " + ("文件已存在" if _lang(lang) == "zh" else "file exists"))
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private)
    with open(out + ".pub", "wb") as f:
        f.write(public)
    echo(f"{out} ({out}.pub): key {key_id(key.public_key())}")


# -- recording ------------------------------------------------------------------------------


class Recorder:
    """Records what ``assess --record`` assesses: opens the store and the keys before the
    first household, records each household's assessment in its own transaction, and
    prints a summary on stderr at the end (stdout keeps the output contract)."""

    def __init__(self, store: Store, protector: Protector, lang: Lang, registry: Any) -> None:
        from civilaffairs.records.reviews import planner

        self.store = store
        self.protector = protector
        self.lang: Lang = lang
        self.plan = planner(registry)
        self.recorded: list[Recorded] = []

    @classmethod
    def open(cls, db: str | None, lang: Lang, registry: Any) -> Recorder:
        """Open the store named by *db* (created if missing) and the keys."""
        protector = _protector()
        assert protector is not None
        return cls(_open(db, create=True), protector, lang, registry)

    def record(self, household: Household, assessment: Assessment) -> None:
        """Record one household's assessment."""
        from civilaffairs.records.recording import record_assessment

        self.recorded += record_assessment(
            self.store,
            household,
            assessment,
            protector=self.protector,
            lang=self.lang,
            review_plan=self.plan,
        )

    def close(self) -> None:
        """Print the summary on stderr and release the store."""
        from civilaffairs.records.config import display_url

        self.store.close()
        if not self.recorded:
            return
        first, last = self.recorded[0].ledger_seq, self.recorded[-1].ledger_seq
        where = display_url(self.store.url)
        if self.lang == "zh":
            echo(
                f"已记录 {len(self.recorded)} 项认定（账本第 {first}–{last} 条）于 {where}",
                err=True,
            )
        else:
            echo(
                f"recorded {len(self.recorded)} decisions (ledger entries {first}–{last}) in "
                f"{where}",
                err=True,
            )


@records_group.command("review")
@click.argument("household_id", metavar="HOUSEHOLD")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--on", "on", required=True, metavar="YYYY-MM", help="Month re-assessed.")
@db_option
@click.option(
    "--review-category",
    "category",
    type=click.Choice(["stable", "variable"]),
    help="The dibao review category (default: from the household, see the docs).",
)
@click.option("--caseworker", default=None, help="The caseworker handling the review.")
@click.option("--approver", default=None, help="The official approving it.")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD", help="Decision date (today).")
@lang_option()
def review_command(
    household_id: str,
    file: str,
    on: str,
    db: str | None,
    category: str | None,
    caseworker: str | None,
    approver: str | None,
    day: str | None,
    lang: str,
) -> None:
    """Re-assess recorded household HOUSEHOLD on the new snapshot in FILE for month --on
    and record the result: each programme's new decision supersedes the last one, with
    the change (start, raise, cut, same, stop), and the review due is marked done."""
    from civilaffairs.records.display import review_lines
    from civilaffairs.records.reviews import review
    from civilaffairs.registry import get_registry

    language = _lang(lang)
    month = _month(on)
    decided = _day(day, "--date") if day else None
    protector = _protector()
    assert protector is not None
    household = _one_household(file, None)
    registry = get_registry()
    warn_registry(registry, language)
    store = _open(db)
    try:
        outcome = review(
            store,
            household_id,
            household,
            month,
            protector=protector,
            registry=registry,
            lang=language,
            decided_on=decided,
            caseworker=caseworker,
            approver=approver,
            category=category,
        )
    finally:
        store.close()
    for line in review_lines(outcome, language):
        echo(line)


@records_group.command("appeal")
@click.argument("decision", type=click.IntRange(min=1))
@click.option(
    "--kind",
    required=True,
    type=click.Choice(["reconsideration", "lawsuit"]),
    help="行政复议 (reconsideration) or 行政诉讼 (lawsuit).",
)
@click.option("--filed", required=True, metavar="YYYY-MM-DD", help="Day it was filed.")
@click.option(
    "--served",
    default=None,
    metavar="YYYY-MM-DD",
    help="Day the decision was served (default: the day it was recorded).",
)
@db_option
@lang_option()
def appeal_command(
    decision: int, kind: str, filed: str, served: str | None, db: str | None, lang: str
) -> None:
    """Record a reconsideration or lawsuit against recorded decision DECISION, with its
    deadlines (行政复议法 2023, 行政诉讼法) and whether it was filed in time."""
    from civilaffairs.records.appeals import file_appeal
    from civilaffairs.records.display import appeal_lines
    from civilaffairs.registry import get_registry

    language = _lang(lang)
    filed_on = _day(filed, "--filed")
    served_on = _day(served, "--served") if served else None
    store = _open(db)
    try:
        record = file_appeal(
            store,
            decision,
            kind,
            filed_on,
            served_on=served_on,
            registry=get_registry(),
            lang=language,
        )
    finally:
        store.close()
    for line in appeal_lines(record, language):
        echo(line)


@records_group.command("appeal-outcome")
@click.argument("appeal", type=click.IntRange(min=1))
@click.option(
    "--outcome",
    required=True,
    metavar="OUTCOME",
    help="upheld, dismissed, withdrawn, changed, revoked, confirmed_unlawful, ordered_to_act.",
)
@click.option("--decided", required=True, metavar="YYYY-MM-DD", help="Day it was decided.")
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False),
    help="The household as re-assessed for the new decision (with --on).",
)
@click.option("--on", "on", default=None, metavar="YYYY-MM", help="Month of the new decision.")
@click.option(
    "--new-decision",
    "new_decision",
    type=click.IntRange(min=1),
    help="An already recorded decision that replaces the one appealed.",
)
@db_option
@lang_option()
def appeal_outcome_command(
    appeal: int,
    outcome: str,
    decided: str,
    file: str | None,
    on: str | None,
    new_decision: int | None,
    db: str | None,
    lang: str,
) -> None:
    """Record the outcome of appeal APPEAL. When it changes the decision, link the new
    one: re-assess the household in --file for --on (recorded as an 'appeal' decision
    superseding the appealed one) or name a recorded decision with --new-decision."""
    from civilaffairs.records.appeals import decide_appeal
    from civilaffairs.records.display import appeal_lines
    from civilaffairs.registry import get_registry

    language = _lang(lang)
    decided_on = _day(decided, "--decided")
    if file is not None and new_decision is not None:
        raise click.UsageError("give --file or --new-decision, not both")
    if (file is None) != (on is None):
        raise click.UsageError("--file and --on go together")
    household = _one_household(file, None) if file else None
    month = _month(on) if on else None
    protector = _protector() if file else None
    registry = get_registry()
    store = _open(db)
    try:
        record = decide_appeal(
            store,
            appeal,
            outcome,
            decided_on,
            protector=protector,
            household=household,
            month=month,
            new_decision_id=new_decision,
            registry=registry,
            lang=language,
        )
    finally:
        store.close()
    for line in appeal_lines(record, language):
        echo(line)


@records_group.command("pay")
@click.option("--on", "on", required=True, metavar="YYYY-MM", help="Month paid.")
@db_option
@lang_option()
def pay_command(on: str, db: str | None, lang: str) -> None:
    """Write the month's payments from the decisions in force (the last recorded for each
    household and programme up to that month); running it again gives the same rows."""
    from civilaffairs.money import Money
    from civilaffairs.records.payments import pay_month

    language = _lang(lang)
    month = _month(on)
    store = _open(db)
    try:
        roll = pay_month(store, month)
    finally:
        store.close()
    for program, (count, total) in roll.by_program.items():
        echo(f"  {program:<20} {count:>8}  {Money.from_fen(total)}")
    paid = Money.from_fen(roll.total_fen)
    echo(
        f"{roll.month} 发放 {roll.payments} 笔，共 {paid.zh()}"
        if language == "zh"
        else f"{roll.month}: {roll.payments} payments, {paid} yuan"
    )


@records_group.command("import-bulk")
@click.argument("results", type=click.Path(dir_okay=False, exists=True))
@db_option
@click.option("--program", "programs", multiple=True, metavar="ID", help="Only these (repeat).")
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(1, 1_000_000))
@lang_option()
def import_bulk_command(
    results: str, db: str | None, programs: tuple[str, ...], batch: int, lang: str
) -> None:
    """Record the decisions of an assess-bulk run: RESULTS is its results file (Parquet),
    with its <stem>.manifest.json beside it (month, versions). Each batch of households is
    one transaction. Household ids are stored as given (bulk ids hold no resident ID)."""
    import pathlib

    import pyarrow.parquet as pq

    from civilaffairs.errors import CivilAffairsError
    from civilaffairs.records.recording import record_bulk
    from civilaffairs.registry import get_registry

    language = _lang(lang)
    path = pathlib.Path(results)
    manifest_path = path.with_name(path.name.removesuffix(".parquet") + ".manifest.json")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        month = str(manifest["month"])
        versions = {"civilaffairs": str(manifest["civilaffairs_version"]), **manifest["plugins"]}
    except (OSError, ValueError, KeyError, TypeError):
        raise CivilAffairsError(
            f"{manifest_path}: missing or not an assess-bulk manifest (缺少批量认定清单)",
            path="RESULTS",
            zh=f"{manifest_path}：缺少或不是批量认定的清单文件",
        ) from None
    registry = get_registry()
    periods = {
        p: str(getattr(registry.programs[p], "period", "monthly")) for p in registry.programs
    }
    table = pq.read_table(path)
    store = _open(db, create=True)
    try:
        count = record_bulk(
            store,
            table,
            month=month,
            versions=versions,
            periods=periods,
            programs=list(programs) or None,
            batch_households=batch,
        )
    finally:
        store.close()
    echo(
        f"已记录 {count} 项认定（{table.num_rows} 户，{month}）"
        if language == "zh"
        else f"recorded {count} decisions ({table.num_rows} households, {month})"
    )


# -- staff ----------------------------------------------------------------------------------


@records_group.command("staff")
@click.argument("staff_id", metavar="STAFF")
@click.option(
    "--role", required=True, type=click.Choice(["caseworker", "approver", "both"]), help="Role."
)
@click.option("--region", default=None, metavar="CODE", help="County code.")
@db_option
@lang_option()
def staff_command(staff_id: str, role: str, region: str | None, db: str | None, lang: str) -> None:
    """Add or update a caseworker (经办人) or approving official (审批人)."""
    from civilaffairs.records.staff import set_staff

    store = _open(db, create=True)
    try:
        set_staff(store, staff_id, role, region)
    finally:
        store.close()
    echo(f"{staff_id}: {role}")


@records_group.command("relative")
@click.argument("staff_id", metavar="STAFF")
@click.argument("resident_id", metavar="RESIDENT_ID")
@click.option("--relation", required=True, help="spouse, parent, child, sibling, …")
@db_option
@lang_option()
def relative_command(
    staff_id: str, resident_id: str, relation: str, db: str | None, lang: str
) -> None:
    """Declare a relative of staff member STAFF (近亲属备案) by resident ID; the store keeps
    only its pseudonym and masked form."""
    from civilaffairs.records.staff import declare_relative

    protector = _protector()
    assert protector is not None
    store = _open(db)
    try:
        masked = declare_relative(store, staff_id, resident_id, relation, protector=protector)
    finally:
        store.close()
    echo(f"{staff_id}: {relation} {masked}")


@records_group.command("assign")
@click.argument("household_id", metavar="HOUSEHOLD")
@click.option("--caseworker", default=None, help="Staff id of the caseworker.")
@click.option("--approver", default=None, help="Staff id of the approving official.")
@db_option
@lang_option()
def assign_command(
    household_id: str, caseworker: str | None, approver: str | None, db: str | None, lang: str
) -> None:
    """Name the caseworker and the approving official of a recorded case."""
    from civilaffairs.records.staff import assign_case

    store = _open(db)
    try:
        case = assign_case(
            store,
            household_id,
            caseworker=caseworker,
            approver=approver,
            protector=_protector(required=False),
        )
    finally:
        store.close()
    echo(f"{case}: {caseworker or '-'} / {approver or '-'}")


# -- looking --------------------------------------------------------------------------------


@records_group.command("show")
@click.argument("household_id", metavar="HOUSEHOLD")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@lang_option()
def show_command(household_id: str, db: str | None, fmt: str, lang: str) -> None:
    """Show a recorded case: members (masked), decisions with their ledger entries,
    payments, reviews and appeals."""
    from civilaffairs.records.display import case_lines, case_view

    language = _lang(lang)
    store = _open(db)
    try:
        view = case_view(store, household_id, language, _protector(required=False))
    finally:
        store.close()
    if fmt == "json":
        echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    for line in case_lines(view, language):
        echo(line)


@records_group.command("due")
@click.option("--on", "on", default=None, metavar="YYYY-MM", help="Month (default: this one).")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@lang_option()
def due_command(on: str | None, db: str | None, fmt: str, lang: str) -> None:
    """List the periodic reviews (定期核查) due by the end of month --on and not yet done,
    earliest first; intervals from civilaffairs.casework.review."""
    from civilaffairs.records.display import due_lines
    from civilaffairs.records.reviews import due_reviews

    language = _lang(lang)
    month = _month(on)
    store = _open(db)
    try:
        due = due_reviews(store, month)
    finally:
        store.close()
    if fmt == "json":
        echo(json.dumps([d.to_dict() for d in due], ensure_ascii=False, indent=2))
        return
    for line in due_lines(due, str(month), language):
        echo(line)


def _caseload(db: str | None, month: Any, language: Lang) -> Any:
    from civilaffairs.records.caseload import caseload

    store = _open(db)
    try:
        result = caseload(store, month)
    finally:
        store.close()
    if result.without_id or result.without_snapshot:
        echo(
            (
                f"警告：{result.without_id} 名无身份证号的成员、{result.without_snapshot} 笔"
                "无家庭快照（批量记录）的发放不在名册中"
            )
            if language == "zh"
            else (
                f"warning: {result.without_id} member(s) without a resident ID and "
                f"{result.without_snapshot} payment(s) without a household snapshot (bulk "
                "records) are not in the caseload"
            ),
            err=True,
        )
    return result


@records_group.command("caseload")
@click.option("--on", "on", default=None, metavar="YYYY-MM", help="Month (default: this one).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="File.")
@db_option
@lang_option()
def caseload_command(on: str | None, out: str, db: str | None, lang: str) -> None:
    """Export the month's caseload (one row per person, programme and month in payment;
    civilaffairs.audit.CASELOAD_SCHEMA) to --out: Parquet, or CSV or JSON Lines by the
    file's ending. People appear as pseudonyms and masked IDs only."""
    language = _lang(lang)
    month = _month(on)
    table = _caseload(db, month, language).table
    _write_table(table, out)
    echo(
        f"{month} 名册 {table.num_rows} 行 → {out}"
        if language == "zh"
        else f"{month}: {table.num_rows} caseload rows → {out}"
    )


def _write_table(table: Any, out: str) -> None:
    """Write *table* to *out* (Parquet; ``.csv`` CSV; ``.jsonl``/``.ndjson`` JSON Lines)
    through a temporary file and a rename."""
    import os
    import pathlib

    target = pathlib.Path(out)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        name = target.name.lower()
        if name.endswith(".csv"):
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, tmp)
        elif name.endswith((".jsonl", ".ndjson")):
            with tmp.open("w", encoding="utf-8") as f:
                for row in table.to_pylist():
                    f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@records_group.command("audit")
@click.option("--on", "on", default=None, metavar="YYYY-MM", help="Month (default: this one).")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Findings file (Parquet).")
@lang_option()
def audit_command(on: str | None, db: str | None, fmt: str, out: str | None, lang: str) -> None:
    """Audit the month's caseload built from the store, with the declared relatives of
    staff: the integrity checks of civilaffairs.audit (audit_caseload). Print the findings
    (text or JSON) and write them to --out (Parquet) if given."""
    from civilaffairs.audit import audit_caseload
    from civilaffairs.records.caseload import relatives
    from civilaffairs.registry import get_registry

    language = _lang(lang)
    month = _month(on)
    result = _caseload(db, month, language)
    store = _open(db)
    try:
        staff_relatives = relatives(store)
    finally:
        store.close()
    registry = get_registry()
    warn_registry(registry, language)
    findings = audit_caseload(result.table, on=month, registry=registry, relatives=staff_relatives)
    if out:
        _write_table(findings, out)
    rows = findings.to_pylist()
    if fmt == "json":
        echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        for f in rows:
            detail = f["detail_zh"] if language == "zh" else f["detail_en"]
            echo(
                # fields apart by " · ": a household id ending in digits next to a masked
                # ID starting with digits would otherwise read as one ID and be masked whole
                f"[{f['severity']}] {f['check_id']} · {f['month']} · {f['household_id']} · "
                f"{f['person_masked']} · {f['program']}: {detail} ({f['basis']})"
            )
    echo(
        f"{month}：名册 {result.table.num_rows} 行，发现 {len(rows)} 项"
        if language == "zh"
        else f"{month}: {result.table.num_rows} caseload rows, {len(rows)} finding(s)",
        err=fmt == "json",
    )
