"""The Merkle tree of RFC 9162: roots, inclusion and consistency proofs, against the
published test vectors and against recomputation for every size."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.records.merkle import (
    EMPTY_ROOT,
    RootBuilder,
    consistency_path,
    inclusion_path,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

# The leaves and roots of the Certificate Transparency reference implementation's tests
# (RFC 6962 and RFC 9162 share the tree hash): the roots of the first 1 to 8 leaves.
CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
             "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def test_hashes_are_the_rfcs() -> None:
    assert EMPTY_ROOT.hex() == hashlib.sha256(b"").hexdigest()
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("n", range(1, 9))
def test_reference_vectors(n: int) -> None:
    leaves = [leaf_hash(bytes.fromhex(d)) for d in CT_LEAVES[:n]]
    assert tree_root(leaves).hex() == CT_ROOTS[n - 1]
    builder = RootBuilder()
    builder.extend(leaves)
    assert builder.root().hex() == CT_ROOTS[n - 1]


def test_every_proof_of_small_trees() -> None:
    for n in range(34):
        leaves = _leaves(n)
        root = tree_root(leaves)
        for i in range(n):
            path = inclusion_path(i, leaves)
            assert verify_inclusion(leaves[i], i, n, path, root)
            assert root_from_inclusion(leaves[i], i, n, path) == root
            assert not verify_inclusion(leaf_hash(b"other"), i, n, path, root)
            if n > 1:
                assert not verify_inclusion(leaves[i], i, n, path[:-1], root)
                assert not verify_inclusion(leaves[i], i, n, [*path, root], root)
        for m in range(n + 1):
            path = consistency_path(m, leaves)
            assert verify_consistency(m, n, tree_root(leaves[:m]), root, path), (m, n)
            if 0 < m < n:
                rewritten = list(leaves)
                rewritten[m - 1] = leaf_hash(b"rewritten")
                assert not verify_consistency(m, n, tree_root(rewritten[:m]), root, path)
                assert not verify_consistency(
                    m, n, tree_root(leaves[:m]), tree_root(rewritten), path
                )


@given(st.integers(1, 300), st.data())
def test_inclusion_holds_and_a_changed_leaf_fails(n: int, data: st.DataObject) -> None:
    leaves = _leaves(n)
    i = data.draw(st.integers(0, n - 1))
    path = inclusion_path(i, leaves)
    root = tree_root(leaves)
    assert verify_inclusion(leaves[i], i, n, path, root)
    bad = bytearray(leaves[i])
    bad[data.draw(st.integers(0, 31))] ^= 1 << data.draw(st.integers(0, 7))
    assert not verify_inclusion(bytes(bad), i, n, path, root)
    if n > 1:
        j = data.draw(st.integers(0, n - 1).filter(lambda j: j != i))
        assert not verify_inclusion(leaves[i], j, n, path, root)


@given(st.integers(1, 300), st.data())
def test_consistency_holds_and_a_rewrite_fails(n: int, data: st.DataObject) -> None:
    leaves = _leaves(n)
    m = data.draw(st.integers(0, n))
    path = consistency_path(m, leaves)
    root = tree_root(leaves)
    assert verify_consistency(m, n, tree_root(leaves[:m]), root, path)
    if m:
        k = data.draw(st.integers(0, m - 1))
        rewritten = [*leaves[:k], leaf_hash(b"forged"), *leaves[k + 1 :]]
        # the old tree as it really was does not lead to the rewritten new tree
        assert not verify_consistency(
            m, n, tree_root(leaves[:m]), tree_root(rewritten), consistency_path(m, rewritten)
        )


def test_edge_cases() -> None:
    leaves = _leaves(5)
    root = tree_root(leaves)
    assert verify_consistency(0, 5, EMPTY_ROOT, root, [])
    assert not verify_consistency(0, 5, root, root, [])
    assert verify_consistency(5, 5, root, root, [])
    assert not verify_consistency(5, 5, root, EMPTY_ROOT, [])
    assert not verify_consistency(3, 5, tree_root(leaves[:3]), root, [])
    assert not verify_consistency(6, 5, root, root, [])
    assert not verify_inclusion(leaves[0], 5, 5, [], root)
    assert not verify_inclusion(leaves[0], -1, 5, [], root)
    with pytest.raises(ValueError, match="not in a tree"):
        inclusion_path(5, leaves)
    with pytest.raises(ValueError, match="not a prefix"):
        consistency_path(6, leaves)
