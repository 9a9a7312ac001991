"""What the store keeps of a person: pseudonyms and masked IDs, never the number, unless an
encryption key is configured (then AES-GCM ciphertext that decrypts with it only)."""

from __future__ import annotations

import base64
import json
import os
import pathlib
from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from civilaffairs.convert import structure
from civilaffairs.domain import Household
from civilaffairs.records.errors import KeyProblem
from civilaffairs.records.models import Snapshot, SnapshotMember
from civilaffairs.records.privacy import Protector
from records.support import ID_KEY, household_data, people, record


def _every_text(store: Any) -> str:
    """Every value of every table, as text."""
    parts = []
    with store.engine.connect() as c:
        for table in inspect(c).get_table_names():
            for row in c.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(json.dumps(value, ensure_ascii=False, default=str))
    return "\n".join(parts)


def test_no_resident_id_or_name_is_stored(store: Any) -> None:
    for n in (1, 2):
        record(store, n)
    everything = _every_text(store)
    for rid in people(2, start=10) + people(2, start=20):
        assert rid not in everything
        assert rid[:6] + "********" + rid[-4:] in everything
    assert "张三" not in everything and "李四" not in everything
    if store.dialect == "sqlite":
        raw = pathlib.Path(store.url[len("sqlite:///") :]).read_bytes()
        for rid in people(2, start=10):
            assert rid.encode() not in raw
    protector = Protector(ID_KEY.encode())
    with store.reading() as session:
        keys = session.scalars(select(SnapshotMember.person_key).order_by(SnapshotMember.id))
        assert list(keys)[:2] == [protector.person_key(rid) for rid in people(2, start=10)]
        document = session.scalars(select(Snapshot.document)).first()
    assert document is not None
    head = document["members"][0]
    assert set(head) >= {"id_key", "id_masked", "name_masked", "birth_date", "sex"}
    assert "id_number" not in head and "name" not in head and "id_encrypted" not in head
    # the snapshot still assesses without the numbers
    for member in document["members"]:
        for field in ("id_key", "id_masked", "name_masked"):
            member.pop(field)
    document["id"] = "again"
    assert structure(document, Household).size == 2


def test_with_an_encryption_key_the_number_is_kept_encrypted(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("CIVILAFFAIRS_ENCRYPTION_KEY", key)
    record(store, 1)
    everything = _every_text(store)
    ids = people(2, start=10)
    for rid in ids:
        assert rid not in everything
    protector = Protector.from_environment()
    with store.reading() as session:
        sealed = list(
            session.scalars(select(SnapshotMember.id_encrypted).order_by(SnapshotMember.id))
        )
        document = session.scalars(select(Snapshot.document)).one()
    assert [protector.decrypt(s, "resident_id") for s in sealed] == ids
    assert protector.decrypt(document["members"][0]["name_encrypted"], "name") == "张三"
    # the ciphertext is bound to its purpose and its key
    with pytest.raises(KeyProblem):
        protector.decrypt(sealed[0], "name")
    with pytest.raises(KeyProblem):
        Protector(ID_KEY.encode(), os.urandom(32)).decrypt(sealed[0], "resident_id")
    with pytest.raises(KeyProblem):
        Protector(ID_KEY.encode()).decrypt(sealed[0], "resident_id")


@pytest.mark.parametrize("value", ["short", "zz" * 32, "=" * 44])
def test_a_malformed_encryption_key_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CIVILAFFAIRS_ENCRYPTION_KEY", value)
    with pytest.raises(KeyProblem, match="32 random bytes"):
        Protector.from_environment()


def test_a_household_id_holding_a_resident_id(store: Any) -> None:
    from civilaffairs.engine.single import assess
    from civilaffairs.periods import Month
    from civilaffairs.records.recording import record_assessment
    from records.support import standards_registry

    data = household_data(1)
    rid = data["members"][0]["id_number"]
    data["id"] = f"CASE-{rid}"
    household = structure(data, Household)
    protector = Protector.from_environment()
    assessment = assess(household, Month.parse("2024-08"), ["dibao"], registry=standards_registry())
    record_assessment(store, household, assessment, protector=protector)
    everything = _every_text(store)
    assert rid not in everything
    case = protector.case_id(household.id)
    assert case.startswith("CASE-" + rid[:6] + "********" + rid[-4:] + "~")
    assert case in everything
    other = protector.case_id(f"CASE-{people(1, start=500)[0]}")
    assert other != case
