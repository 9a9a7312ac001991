"""Tampering with the ledger is detected, and ``records verify`` names the first bad entry
in one line: a field of any entry edited, an entry deleted, two swapped, one inserted, the
tail truncated after a checkpoint, the history rewritten and rehashed, a row of the
queryable tables or a snapshot edited. On SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from civilaffairs.cli import main
from civilaffairs.records.canonical import canonical_bytes
from civilaffairs.records.merkle import leaf_hash
from records.support import record


def build(store: Any) -> int:
    """A ledger of decisions, a review's decisions and an appeal: returns its size."""
    from civilaffairs.records.appeals import file_appeal

    for number in range(1, 4):
        record(store, number)
    record(store, 1, month="2024-09", wage="900.00")
    file_appeal(store, 2, "reconsideration", dt.date(2024, 9, 10))
    with store.engine.connect() as c:
        return int(c.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one())


def verify(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, list[str]]:
    code = main(["records", "verify", "--db", url, "--lang", "en", *extra])
    out, err = capsys.readouterr()
    lines = [x for x in (out + err).splitlines() if x]
    assert len(lines) == 1, lines
    return code, lines


def bad_entry(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> str:
    code, (line,) = verify(capsys, url, *extra)
    assert code == 1, line
    assert line.startswith("error: ")
    return line


@contextlib.contextmanager
def raw(store: Any) -> Iterator[Any]:
    """A connection with foreign keys unenforced, as someone with database rights has."""
    with store.engine.connect() as c:
        if store.dialect == "sqlite":
            # outside any transaction, where SQLite honours it
            c.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        else:
            c.exec_driver_sql("SET session_replication_role = replica")
        yield c
        c.commit()
        if store.dialect == "sqlite":
            c.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def entry(store: Any, seq: int) -> bytes:
    with store.engine.connect() as c:
        return bytes(
            c.execute(
                text("SELECT entry FROM ledger_entries WHERE seq = :s"), {"s": seq}
            ).scalar_one()
        )


def put(store: Any, seq: int, data: bytes, *, rehash: bool = False) -> None:
    sets = "entry = :e" + (", entry_hash = :h, leaf_hash = :l" if rehash else "")
    with raw(store) as c:
        c.execute(
            text(f"UPDATE ledger_entries SET {sets} WHERE seq = :s"),
            {
                "e": data,
                "h": hashlib.sha256(data).hexdigest(),
                "l": leaf_hash(data).hex(),
                "s": seq,
            },
        )


def changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return "x"
    return [value]


FIELDS = [
    ("seq",),
    ("prev",),
    ("time",),
    ("kind",),
    ("ledger",),
    ("record", "household"),
    ("record", "program"),
    ("record", "month"),
    ("record", "eligible"),
    ("record", "amount_fen"),
    ("record", "change"),
    ("record", "supersedes"),
    ("record", "snapshot"),
    ("record", "decision", "amount"),
    ("record", "decision", "conditions"),
    ("record", "kind"),
    ("record", "filed_on"),
]


def test_an_intact_ledger_verifies(capsys: pytest.CaptureFixture[str], store: Any) -> None:
    size = build(store)
    code, (line,) = verify(capsys, store.url)
    assert code == 0
    assert line.startswith(f"ledger intact: {size} entries, root ")


def _edited(body: dict[str, Any], path: tuple[str, ...], seq: int) -> dict[str, Any] | None:
    """*body* with the field at *path* changed, or ``None`` if it has no such field."""
    body = json.loads(json.dumps(body))
    holder: Any = body
    for key in path[:-1]:
        holder = holder.get(key) if isinstance(holder, dict) else None
    if not isinstance(holder, dict) or path[-1] not in holder:
        return None
    holder[path[-1]] = seq + 100 if path == ("seq",) else changed(holder[path[-1]])
    return body


def test_editing_any_field_of_any_entry_is_named(store: Any) -> None:
    """Every field of every entry, edited with and without the stored hashes recomputed:
    the verification (over the rows as read from the database) names that entry."""
    import attrs

    from civilaffairs.records.ledger import verify_entries
    from civilaffairs.records.verify import _stored_entries

    size = build(store)
    with store.reading() as session:
        rows = list(_stored_entries(session))
        head = session.execute(text("SELECT size, head_hash FROM ledger_head")).one()
    checked = 0
    for seq in range(size):
        body = json.loads(rows[seq].entry)
        for path in FIELDS:
            forged = _edited(body, path, seq)
            if forged is None:
                continue
            data = canonical_bytes(forged)
            for rehash in (False, True):
                row = attrs.evolve(rows[seq], entry=data)
                if rehash:
                    row = attrs.evolve(
                        row,
                        entry_hash=hashlib.sha256(data).hexdigest(),
                        leaf_hash=leaf_hash(data).hex(),
                    )
                result = verify_entries(
                    [*rows[:seq], row, *rows[seq + 1 :]],
                    ledger_id=store.ledger_id,
                    head_size=head.size,
                    head_hash=head.head_hash,
                )
                assert result.problem is not None, (seq, path, rehash)
                assert result.problem.entry == seq, (seq, path, rehash, result.problem)
                checked += 1
    assert checked > 10 * size


@pytest.mark.parametrize(
    "path",
    [("prev",), ("record", "amount_fen"), ("record", "decision", "amount"), ("record", "kind")],
    ids=".".join,
)
def test_editing_a_field_in_the_database_is_named(
    capsys: pytest.CaptureFixture[str], store: Any, path: tuple[str, ...]
) -> None:
    size = build(store)
    for seq in range(size):
        forged = _edited(json.loads(entry(store, seq)), path, seq)
        if forged is not None:
            break
    assert forged is not None
    put(store, seq, canonical_bytes(forged))
    assert f"error: entry {seq}: altered" in bad_entry(capsys, store.url)
    put(store, seq, canonical_bytes(forged), rehash=True)
    assert bad_entry(capsys, store.url).startswith(f"error: entry {seq}: ")


def test_a_byte_of_any_entry_is_named(capsys: pytest.CaptureFixture[str], store: Any) -> None:
    size = build(store)
    for seq in range(size):
        original = entry(store, seq)
        forged = bytearray(original)
        forged[len(forged) // 2] ^= 0x01
        put(store, seq, bytes(forged))
        assert f"error: entry {seq}: altered" in bad_entry(capsys, store.url)
        put(store, seq, original)


def test_a_row_of_the_decisions_table_edited_is_named(
    capsys: pytest.CaptureFixture[str], store: Any
) -> None:
    build(store)
    with raw(store) as c:
        seq = c.execute(text("SELECT ledger_seq FROM decisions WHERE id = 3")).scalar_one()
        c.execute(text("UPDATE decisions SET amount_fen = amount_fen + 100 WHERE id = 3"))
    line = bad_entry(capsys, store.url)
    assert line == (
        f"error: entry {seq}: its row in the decisions table differs from the ledger (the row "
        "was edited)"
    )


def test_the_document_of_a_decision_edited_is_named(
    capsys: pytest.CaptureFixture[str], store: Any
) -> None:
    build(store)
    with raw(store) as c:
        seq, doc = c.execute(text("SELECT ledger_seq, document FROM decisions WHERE id = 2")).one()
        doc = json.loads(doc) if isinstance(doc, str) else doc
        doc["basis"] = "forged"
        c.execute(
            text("UPDATE decisions SET document = :d WHERE id = 2"),
            {"d": json.dumps(doc, ensure_ascii=False)},
        )
    assert bad_entry(capsys, store.url).startswith(f"error: entry {seq}: its row in the decisions")


def test_a_deleted_entry_is_named(capsys: pytest.CaptureFixture[str], store: Any) -> None:
    build(store)
    with raw(store) as c:
        c.execute(text("DELETE FROM decisions WHERE ledger_seq = 4"))
        c.execute(text("DELETE FROM ledger_entries WHERE seq = 4"))
    assert bad_entry(capsys, store.url) == (
        "error: entry 4: missing (deleted): the next stored entry is 5"
    )
    # renumbering the rest does not hide it
    with raw(store) as c:
        c.execute(text("UPDATE ledger_entries SET seq = seq - 1 WHERE seq > 4"))
        c.execute(text("UPDATE decisions SET ledger_seq = ledger_seq - 1 WHERE ledger_seq > 4"))
        c.execute(text("UPDATE appeals SET ledger_seq = ledger_seq - 1 WHERE ledger_seq > 4"))
    assert bad_entry(capsys, store.url).startswith("error: entry 4: out of place: its content")


def test_two_swapped_entries_are_named(capsys: pytest.CaptureFixture[str], store: Any) -> None:
    build(store)
    with raw(store) as c:
        for a, b in ((2, 1000), (5, 2), (1000, 5)):
            c.execute(
                text("UPDATE decisions SET ledger_seq = :b WHERE ledger_seq = :a"), {"a": a, "b": b}
            )
            c.execute(text("UPDATE ledger_entries SET seq = :b WHERE seq = :a"), {"a": a, "b": b})
    assert bad_entry(capsys, store.url) == (
        "error: entry 2: out of place: its content says it is entry 5 (entries were "
        "reordered or deleted)"
    )


def test_an_inserted_entry_is_named(capsys: pytest.CaptureFixture[str], store: Any) -> None:
    """A well-formed entry inserted at 3, chained to entry 2, the rest renumbered."""
    build(store)
    with raw(store) as c:
        prev = c.execute(text("SELECT entry_hash FROM ledger_entries WHERE seq = 2")).scalar_one()
        body = json.loads(entry(store, 3))
        body["prev"] = prev
        data = canonical_bytes(body)
        c.execute(text("UPDATE decisions SET ledger_seq = ledger_seq + 1000 WHERE ledger_seq >= 3"))
        c.execute(text("UPDATE appeals SET ledger_seq = ledger_seq + 1000 WHERE ledger_seq >= 3"))
        c.execute(text("UPDATE ledger_entries SET seq = seq + 1000 WHERE seq >= 3"))
        c.execute(text("UPDATE ledger_entries SET seq = seq - 999 WHERE seq >= 1000"))
        c.execute(
            text("UPDATE decisions SET ledger_seq = ledger_seq - 999 WHERE ledger_seq >= 1000")
        )
        c.execute(text("UPDATE appeals SET ledger_seq = ledger_seq - 999 WHERE ledger_seq >= 1000"))
        c.execute(
            text(
                "INSERT INTO ledger_entries (seq, kind, entry, entry_hash, prev_hash, leaf_hash) "
                "VALUES (3, 'decision', :e, :h, :p, :l)"
            ),
            {
                "e": data,
                "h": hashlib.sha256(data).hexdigest(),
                "p": prev,
                "l": leaf_hash(data).hex(),
            },
        )
        c.execute(
            text(
                "INSERT INTO decisions (ledger_seq, application_id, snapshot_id, program, month, "
                "eligible, amount_fen, period, first_failed, rule_version, library_version, "
                "versions, income_pc_fen, standard_fen, lang, origin, change, supersedes_id, "
                "decided_on, document) SELECT 3, application_id, snapshot_id, program, month, "
                "eligible, amount_fen, period, first_failed, rule_version, library_version, "
                "versions, income_pc_fen, standard_fen, lang, origin, change, supersedes_id, "
                "decided_on, document FROM decisions WHERE ledger_seq = 4"
            )
        )
    assert bad_entry(capsys, store.url) == (
        "error: entry 3: an entry was inserted at or before it: the entry that was 3 now "
        "stands at 4"
    )


def test_an_entry_appended_outside_an_append_is_named(
    capsys: pytest.CaptureFixture[str], store: Any
) -> None:
    size = build(store)
    with raw(store) as c:
        prev = c.execute(
            text("SELECT entry_hash FROM ledger_entries WHERE seq = :s"), {"s": size - 1}
        ).scalar_one()
        body = json.loads(entry(store, 0))
        body.update(seq=size, prev=prev)
        data = canonical_bytes(body)
        c.execute(
            text(
                "INSERT INTO ledger_entries (seq, kind, entry, entry_hash, prev_hash, leaf_hash) "
                "VALUES (:s, 'decision', :e, :h, :p, :l)"
            ),
            {
                "s": size,
                "e": data,
                "h": hashlib.sha256(data).hexdigest(),
                "p": prev,
                "l": leaf_hash(data).hex(),
            },
        )
    line = bad_entry(capsys, store.url)
    assert line.startswith(f"error: entry {size}: ")


def test_truncation_after_a_checkpoint_is_named(
    capsys: pytest.CaptureFixture[str], store: Any, tmp_path: Any
) -> None:
    size = build(store)
    assert (
        main(["records", "checkpoint", "--db", store.url, "--out", str(tmp_path / "cp.json")]) == 0
    )
    capsys.readouterr()
    # the tail deleted: the checkpoint kept in the store names it
    with raw(store) as c:
        c.execute(text("DELETE FROM appeals"))
        c.execute(text("DELETE FROM decisions WHERE ledger_seq >= :s"), {"s": size - 3})
        c.execute(text("DELETE FROM ledger_entries WHERE seq >= :s"), {"s": size - 3})
    assert bad_entry(capsys, store.url) == (
        f"error: entry {size - 3}: missing: checkpoint #1 counts {size} entries, the ledger "
        f"ends at {size - 3} (its tail was deleted)"
    )
    # without that checkpoint, the ledger head names it
    with raw(store) as c:
        c.execute(text("DELETE FROM checkpoints"))
    assert bad_entry(capsys, store.url).startswith(
        f"error: entry {size - 3}: missing: the ledger head counts {size} entries"
    )
    # the head rewritten too: the checkpoint file names it
    with raw(store) as c:
        head = c.execute(
            text("SELECT entry_hash FROM ledger_entries WHERE seq = :s"), {"s": size - 4}
        ).scalar_one()
        c.execute(
            text("UPDATE ledger_head SET size = :n, head_hash = :h"), {"n": size - 3, "h": head}
        )
    assert verify(capsys, store.url)[0] == 0  # the limit: without a checkpoint it looks whole
    line = bad_entry(capsys, store.url, "--checkpoint", str(tmp_path / "cp.json"))
    assert line.startswith(f"error: entry {size - 3}: missing: ")
    assert f"counts {size} entries" in line


def _rehash_from(store: Any, start: int) -> None:
    """Recompute every stored hash and chain link from entry *start* on, as someone who
    rewrites history would."""
    with raw(store) as c:
        prev = c.execute(
            text("SELECT entry_hash FROM ledger_entries WHERE seq = :s"), {"s": start - 1}
        ).scalar_one()
        rows = c.execute(
            text("SELECT seq, entry FROM ledger_entries WHERE seq >= :s ORDER BY seq"), {"s": start}
        ).all()
        for seq, data in rows:
            body = json.loads(bytes(data))
            body["prev"] = prev
            new = canonical_bytes(body)
            digest = hashlib.sha256(new).hexdigest()
            c.execute(
                text(
                    "UPDATE ledger_entries SET entry = :e, entry_hash = :h, prev_hash = :p, "
                    "leaf_hash = :l WHERE seq = :s"
                ),
                {"e": new, "h": digest, "p": prev, "l": leaf_hash(new).hex(), "s": seq},
            )
            prev = digest
        c.execute(text("UPDATE ledger_head SET head_hash = :h"), {"h": prev})


def test_a_rewritten_and_rehashed_history_fails_against_checkpoints(
    capsys: pytest.CaptureFixture[str], store: Any, tmp_path: Any
) -> None:
    from civilaffairs.records.config import signing_key
    from civilaffairs.records.verify import create_checkpoint

    record(store, 1)
    record(store, 2)
    create_checkpoint(store, signing_key())  # 4 entries
    size = build(store)
    assert (
        main(["records", "checkpoint", "--db", store.url, "--out", str(tmp_path / "cp.json")]) == 0
    )
    capsys.readouterr()
    # decision 6 (entry 5) paid more: its entry, its row and every later hash rewritten
    with raw(store) as c:
        c.execute(text("UPDATE decisions SET amount_fen = amount_fen + 50000 WHERE ledger_seq = 5"))
    body = json.loads(entry(store, 5))
    body["record"]["amount_fen"] += 50000
    put(store, 5, canonical_bytes(body), rehash=True)
    _rehash_from(store, 6)
    line = bad_entry(capsys, store.url)
    assert line.startswith(f"error: entry 4: history rewritten between entries 4 and {size - 1}")
    with raw(store) as c:
        c.execute(text("DELETE FROM checkpoints"))
    assert verify(capsys, store.url)[0] == 0  # the limit: nothing left to compare with
    line = bad_entry(capsys, store.url, "--checkpoint", str(tmp_path / "cp.json"))
    assert line.startswith("error: entry 0: history rewritten between entries 0 and")


def test_an_altered_snapshot_is_named(capsys: pytest.CaptureFixture[str], store: Any) -> None:
    build(store)
    with raw(store) as c:
        doc = c.execute(text("SELECT document FROM snapshots WHERE id = 2")).scalar_one()
        doc = json.loads(doc) if isinstance(doc, str) else doc
        doc["members"][0]["incomes"] = []
        c.execute(
            text("UPDATE snapshots SET document = :d WHERE id = 2"),
            {"d": json.dumps(doc, ensure_ascii=False)},
        )
    assert bad_entry(capsys, store.url) == (
        "error: entry 2: the household snapshot it was decided on (snapshot 2) was altered"
    )


def test_a_decision_outside_the_ledger_and_a_forged_checkpoint(
    capsys: pytest.CaptureFixture[str], store: Any
) -> None:
    from civilaffairs.records.config import signing_key
    from civilaffairs.records.verify import create_checkpoint

    build(store)
    create_checkpoint(store, signing_key())
    with raw(store) as c:
        doc = c.execute(text("SELECT document FROM checkpoints WHERE id = 1")).scalar_one()
        doc = json.loads(doc) if isinstance(doc, str) else doc
        doc["tree_size"] = 1
        c.execute(text("UPDATE checkpoints SET document = :d WHERE id = 1"), {"d": json.dumps(doc)})
    assert "checkpoint #1: the signature does not verify" in bad_entry(capsys, store.url)
    with raw(store) as c:
        c.execute(text("DELETE FROM checkpoints"))
        c.execute(
            text(
                "INSERT INTO decisions (ledger_seq, application_id, snapshot_id, program, month, "
                "eligible, amount_fen, period, first_failed, rule_version, library_version, "
                "versions, income_pc_fen, standard_fen, lang, origin, change, supersedes_id, "
                "decided_on, document) SELECT 9999, application_id, snapshot_id, program, month, "
                "eligible, amount_fen, period, first_failed, rule_version, library_version, "
                "versions, income_pc_fen, standard_fen, lang, origin, change, supersedes_id, "
                "decided_on, document FROM decisions WHERE id = 1"
            )
        )
    assert "is not in the ledger" in bad_entry(capsys, store.url)
