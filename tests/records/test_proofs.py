"""Checkpoints, inclusion proofs and consistency proofs through the commands: every entry
is proved and the proof checks by itself; an altered entry or proof fails; a history
rewritten between two checkpoints fails the consistency proof."""

from __future__ import annotations

import hashlib
import json
import pathlib
from typing import Any

import pytest
from sqlalchemy import text

from civilaffairs.cli import main
from civilaffairs.records.merkle import leaf_hash, verify_consistency, verify_inclusion
from civilaffairs.records.proofs import check_consistency_proof, check_inclusion_proof
from records.support import people, record


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["records", *args, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def checkpoint(capsys: pytest.CaptureFixture[str], url: str, path: pathlib.Path) -> dict[str, Any]:
    code, out, _ = run(capsys, "checkpoint", "--db", url, "--out", str(path))
    assert code == 0, out
    return dict(json.loads(path.read_text()))


def test_every_entry_is_proved_without_the_rest_of_the_ledger(
    capsys: pytest.CaptureFixture[str], store: Any, tmp_path: pathlib.Path
) -> None:
    for number in range(1, 5):
        record(store, number)
    cp = checkpoint(capsys, store.url, tmp_path / "cp.json")
    assert cp["tree_size"] == 8
    others = set(people(2, start=20)) | set(people(2, start=30))
    for index in range(cp["tree_size"]):
        code, out, _ = run(
            capsys,
            "prove",
            str(index),
            "--db",
            store.url,
            "--checkpoint",
            str(tmp_path / "cp.json"),
        )
        assert code == 0
        proof = json.loads(out)
        assert proof["checkpoint"] == cp
        assert proof["root_hash"] == cp["root_hash"]
        # the proof checks with the bare algorithm, from its own content only
        assert verify_inclusion(
            leaf_hash(proof["entry"].encode("utf-8")),
            proof["leaf_index"],
            proof["tree_size"],
            [bytes.fromhex(h) for h in proof["audit_path"]],
            bytes.fromhex(cp["root_hash"]),
        )
        assert check_inclusion_proof(proof).ok
        # it holds the entry and hashes, nobody's resident ID nor other households
        assert json.loads(proof["entry"])["seq"] == index
        for rid in others:
            assert rid not in out
        assert "HH-0002" not in out or index in (2, 3)
        # an altered entry fails
        forged = dict(proof, entry=proof["entry"].replace('"eligible":', '"eligible": '))
        assert not check_inclusion_proof(forged).ok
        path = tmp_path / "proof.json"
        path.write_text(json.dumps(forged))
        code, out, err = run(capsys, "check-proof", str(path))
        assert code == 1
        assert err.startswith(f"error: entry {index} is not proved")


def test_a_proof_with_a_forged_checkpoint_or_path_fails(
    capsys: pytest.CaptureFixture[str], store: Any, tmp_path: pathlib.Path
) -> None:
    record(store, 1)
    record(store, 2)
    code, out, _ = run(capsys, "prove", "1", "--db", store.url)
    proof = json.loads(out)
    assert check_inclusion_proof(proof).ok  # a checkpoint signed now, with the configured key
    assert proof["checkpoint"]["tree_size"] == 4
    bad_path = dict(proof, audit_path=[*proof["audit_path"][:-1], "00" * 32])
    assert not check_inclusion_proof(bad_path).ok
    bad_cp = dict(proof, checkpoint=dict(proof["checkpoint"], tree_size=5))
    assert "signature does not verify" in check_inclusion_proof(bad_cp).en
    other_root = dict(proof, checkpoint=dict(proof["checkpoint"], root_hash="00" * 32))
    assert not check_inclusion_proof(other_root).ok
    assert not check_inclusion_proof({"format": "x"}).ok
    code, _, err = run(capsys, "prove", "9", "--db", store.url)
    assert code == 1
    assert "entry 9 is not in the ledger's tree of 4 entries" in err


def test_consistency_between_checkpoints_and_a_rewritten_history(
    capsys: pytest.CaptureFixture[str], store: Any, tmp_path: pathlib.Path
) -> None:
    record(store, 1)
    record(store, 2)
    old = checkpoint(capsys, store.url, tmp_path / "old.json")
    record(store, 3)
    new = checkpoint(capsys, store.url, tmp_path / "new.json")
    code, out, _ = run(
        capsys,
        "consistency",
        str(tmp_path / "old.json"),
        str(tmp_path / "new.json"),
        "--db",
        store.url,
    )
    assert code == 0
    proof = json.loads(out)
    assert proof["old"] == {"tree_size": 4, "root_hash": old["root_hash"]}
    assert proof["new"] == {"tree_size": 6, "root_hash": new["root_hash"]}
    assert verify_consistency(
        4,
        6,
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(h) for h in proof["path"]],
    )
    path = tmp_path / "consistency.json"
    path.write_text(out)
    assert run(capsys, "check-proof", str(path))[0] == 0
    # the same history offered as a newer checkpoint of a ledger whose entry 1 was rewritten
    with store.engine.begin() as c:
        data = bytes(c.execute(text("SELECT entry FROM ledger_entries WHERE seq = 1")).scalar_one())
        forged = data.replace(b'"amount_fen":', b'"amount_fen":1')
        c.execute(
            text(
                "UPDATE ledger_entries SET entry = :e, entry_hash = :h, leaf_hash = :l "
                "WHERE seq = 1"
            ),
            {"e": forged, "h": hashlib.sha256(forged).hexdigest(), "l": leaf_hash(forged).hex()},
        )
    code, _, err = run(
        capsys,
        "consistency",
        str(tmp_path / "old.json"),
        str(tmp_path / "new.json"),
        "--db",
        store.url,
    )
    assert code == 1
    assert err.count("\n") == 1
    assert "no longer have NEW's root" in err
    # a checkpoint of the rewritten ledger does not extend the old one
    from civilaffairs.records.checkpoints import sign_checkpoint
    from civilaffairs.records.config import signing_key
    from civilaffairs.records.ledger import leaf_hashes
    from civilaffairs.records.merkle import tree_root

    with store.reading() as session:
        leaves = leaf_hashes(session)
    rewritten = sign_checkpoint(
        signing_key(),
        ledger=store.ledger_id,
        tree_size=len(leaves),
        root_hash=tree_root(leaves).hex(),
        chain_head=new["chain_head"],
    )
    (tmp_path / "rewritten.json").write_text(json.dumps(rewritten))
    code, _, err = run(
        capsys,
        "consistency",
        str(tmp_path / "old.json"),
        str(tmp_path / "rewritten.json"),
        "--db",
        store.url,
    )
    assert code == 1
    assert err == (
        "error: history rewritten: the tree of 6 entries does not extend the tree of 4 (an entry "
        "among the first 4 was altered, deleted, inserted or reordered)\n"
    )
    # and a forged proof fails by itself
    forged_proof = dict(proof, old={"tree_size": 4, "root_hash": "11" * 32})
    assert not check_consistency_proof(forged_proof).ok


def test_checkpoints_are_signed_by_the_trusted_key(
    capsys: pytest.CaptureFixture[str],
    store: Any,
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record(store, 1)
    checkpoint(capsys, store.url, tmp_path / "cp.json")
    assert (
        run(capsys, "verify", "--db", store.url, "--checkpoint", str(tmp_path / "cp.json"))[0] == 0
    )
    # another key is configured as the trusted one: the checkpoint is refused
    assert main(["records", "keygen", "--out", str(tmp_path / "other.pem")]) == 0
    capsys.readouterr()
    monkeypatch.setenv("CIVILAFFAIRS_LEDGER_PUBLIC_KEY", str(tmp_path / "other.pem.pub"))
    code, _, err = run(
        capsys, "verify", "--db", store.url, "--checkpoint", str(tmp_path / "cp.json")
    )
    assert code == 1
    assert "not with the trusted key" in err
    # no signing key: no checkpoint, one line
    monkeypatch.delenv("CIVILAFFAIRS_LEDGER_PUBLIC_KEY")
    monkeypatch.delenv("CIVILAFFAIRS_LEDGER_SIGNING_KEY")
    code, _, err = run(capsys, "checkpoint", "--db", store.url, "--out", str(tmp_path / "x.json"))
    assert code == 1
    assert err.startswith(
        "error: CIVILAFFAIRS_LEDGER_SIGNING_KEY: CIVILAFFAIRS_LEDGER_SIGNING_KEY is not set"
    )
    assert not (tmp_path / "x.json").exists()


def test_a_tampered_ledger_is_not_signed(
    capsys: pytest.CaptureFixture[str], store: Any, tmp_path: pathlib.Path
) -> None:
    record(store, 1)
    with store.engine.begin() as c:
        c.execute(text("UPDATE ledger_entries SET entry_hash = :h WHERE seq = 0"), {"h": "0" * 64})
    code, _, err = run(capsys, "checkpoint", "--db", store.url, "--out", str(tmp_path / "cp.json"))
    assert code == 1
    assert err == "error: entry 0: altered: its content does not hash to its stored hash\n"
    assert not (tmp_path / "cp.json").exists()
