"""The Merkle tree of the decision ledger (账本默克尔树), as RFC 9162 (Certificate
Transparency version 2.0, section 2.1) defines it.

This module depends on nothing but ``hashlib``, so that another system can copy it, or
reimplement it from the description below, and check a proof without civilaffairs.

**Hashes.** The hash is SHA-256. For the entries ``d[0] … d[n-1]`` (each the canonical bytes
of one ledger entry):

* the hash of an empty tree is ``SHA-256()`` (of no bytes);
* a leaf hash is ``SHA-256(0x00 ‖ d[i])``;
* an interior node hash is ``SHA-256(0x01 ‖ left ‖ right)``;
* the root of ``n > 1`` entries is the node hash of the root of the first ``k`` entries and
  the root of the remaining ``n - k``, where ``k`` is the largest power of two smaller than
  ``n``.

**Inclusion** (:func:`verify_inclusion`, RFC 9162 §2.1.3.2). Given a leaf hash, its index
``i``, the tree size ``n``, the audit path and the root: fail if ``i >= n``; set ``fn = i``,
``sn = n - 1``, ``r = leaf hash``; for each hash ``p`` of the path: if ``sn == 0`` fail; if
``fn`` is odd or ``fn == sn``, set ``r = node(p, r)`` and, if ``fn`` was even, shift ``fn``
and ``sn`` right until ``fn`` is odd or zero; otherwise set ``r = node(r, p)``; then shift
``fn`` and ``sn`` right once. The proof holds if ``sn == 0`` and ``r`` equals the root.

**Consistency** (:func:`verify_consistency`, RFC 9162 §2.1.4.2). Given the old size ``m``,
the new size ``n``, both roots and the path, for ``0 < m < n``: fail on an empty path; if
``m`` is a power of two, put the old root in front of the path; set ``fn = m - 1``,
``sn = n - 1``; shift both right while ``fn`` is odd; set ``fr = sr =`` the first hash of the
path; for each following hash ``c``: if ``sn == 0`` fail; if ``fn`` is odd or ``fn == sn``,
set ``fr = node(c, fr)``, ``sr = node(c, sr)`` and, if ``fn`` was even, shift both right until
``fn`` is odd or zero; otherwise set ``sr = node(sr, c)``; then shift both right once. The
proof holds if ``fr`` equals the old root, ``sr`` the new root and ``sn == 0``. Two edge cases
the RFC leaves to the caller are fixed here: for ``m == n`` the path must be empty and the
roots equal; for ``m == 0`` the path must be empty (every tree extends the empty one).

>>> from civilaffairs.records.merkle import (
...     leaf_hash, tree_root, inclusion_path, verify_inclusion,
...     consistency_path, verify_consistency,
... )
>>> leaves = [leaf_hash(bytes([i])) for i in range(7)]
>>> root = tree_root(leaves)
>>> verify_inclusion(leaves[5], 5, 7, inclusion_path(5, leaves), root)
True
>>> verify_inclusion(leaf_hash(b"forged"), 5, 7, inclusion_path(5, leaves), root)
False
>>> old = tree_root(leaves[:3])
>>> verify_consistency(3, 7, old, root, consistency_path(3, leaves))
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "RootBuilder",
    "consistency_path",
    "inclusion_path",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion",
    "tree_root",
    "verify_consistency",
    "verify_inclusion",
]

#: The root of the empty tree: SHA-256 of no bytes.
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 ‖ entry)``: the hash of a leaf."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 ‖ left ‖ right)``: the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than *n* (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _mth(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    """The root of the leaf hashes ``leaves[lo:hi]``."""
    n = hi - lo
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[lo]
    k = _split(n)
    return node_hash(_mth(leaves, lo, lo + k), _mth(leaves, lo + k, hi))


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """The root (Merkle tree hash) of a tree whose leaf hashes are *leaves*, in order."""
    return _mth(leaves, 0, len(leaves))


class RootBuilder:
    """The root of a growing tree, computed leaf by leaf in O(log n) memory.

    It keeps the roots of the perfect subtrees along the right edge (sizes decreasing
    powers of two), which is how RFC 9162 splits a tree; :meth:`root` folds them from the
    right.

    >>> b = RootBuilder()
    >>> leaves = [leaf_hash(bytes([i])) for i in range(5)]
    >>> for h in leaves:
    ...     b.add(h)
    >>> b.root() == tree_root(leaves), b.size
    (True, 5)
    """

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []

    def add(self, leaf: bytes) -> None:
        """Append one leaf hash."""
        size, node = 1, leaf
        stack = self._stack
        while stack and stack[-1][0] == size:
            left = stack.pop()[1]
            node = node_hash(left, node)
            size *= 2
        stack.append((size, node))
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Append leaf hashes in order."""
        for leaf in leaves:
            self.add(leaf)

    def root(self) -> bytes:
        """The root of the leaves added so far."""
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf *index* in the tree of leaf hashes *leaves* (RFC 9162
    §2.1.3.1 ``PATH``), nearest the leaf first.

    :raises ValueError: if *index* is not a leaf of the tree.
    """
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)}")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(_mth(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(_mth(leaves, lo, lo + k))
            lo = lo + k
    path.reverse()
    return path


def consistency_path(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The consistency proof between the first *old_size* leaves and all of *leaves*
    (RFC 9162 §2.1.4.1 ``PROOF``); empty when *old_size* is 0 or the whole tree.

    :raises ValueError: if *old_size* is negative or larger than the tree.
    """
    n = len(leaves)
    if not 0 <= old_size <= n:
        raise ValueError(f"a tree of {old_size} is not a prefix of a tree of {n}")
    if old_size in (0, n):
        return []
    path: list[bytes] = []
    lo, hi, m, whole = 0, n, old_size, True
    while True:
        if m == hi - lo:
            if not whole:
                path.append(_mth(leaves, lo, hi))
            break
        k = _split(hi - lo)
        if m <= k:
            path.append(_mth(leaves, lo + k, hi))
            hi = lo + k
        else:
            path.append(_mth(leaves, lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    path.reverse()
    return path


def root_from_inclusion(leaf: bytes, index: int, tree_size: int, path: Sequence[bytes]) -> bytes:
    """The root that *path* leads to from *leaf* at *index* in a tree of *tree_size*.

    :raises ValueError: if the path cannot belong to such a tree (wrong length, index out
        of range).
    """
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf {index} is not in a tree of {tree_size}")
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            raise ValueError("the audit path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("the audit path is shorter than the tree is deep")
    return r


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Whether *path* proves that the leaf hash *leaf* is leaf *index* of the tree of
    *tree_size* leaves whose root is *root* (RFC 9162 §2.1.3.2)."""
    try:
        return root_from_inclusion(leaf, index, tree_size, path) == root
    except ValueError:
        return False


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> bool:
    """Whether *path* proves that the tree of *old_size* leaves with root *old_root* is a
    prefix of the tree of *new_size* leaves with root *new_root* (RFC 9162 §2.1.4.2): no
    entry of the old tree was changed, removed or reordered."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if old_size == 0:
        return not path and old_root == EMPTY_ROOT
    if not path:
        return False
    hashes = list(path)
    if old_size & (old_size - 1) == 0:
        hashes.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = hashes[0]
    for c in hashes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
