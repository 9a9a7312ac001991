"""The programme compiler (规则编译): one expression tree, three back ends.

:func:`compile_version` turns a :class:`~civilaffairs.programs.base.RuleVersion` into a
:class:`Compiled` with

* ``scalar``: a plain Python function generated from the trees for one household
  (:mod:`civilaffairs.engine.scalar`);
* :meth:`Compiled.evaluate_batch`: the column-wise evaluator, which walks the same trees
  with numpy over a batch (:mod:`civilaffairs.engine.columns`);
* the formula text of every quantity and condition (:mod:`civilaffairs.engine.render`),
  from which a decision's steps are made (:mod:`civilaffairs.engine.explain`).

No formula is written twice: the explanation and both evaluators read the same tree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.engine.bounds import checked_nodes
from civilaffairs.engine.columns import BatchEnv, BatchOutcome, Opt, finish, is_pure, start_batch
from civilaffairs.engine.render import leaf_name, render
from civilaffairs.engine.scalar import ScalarResult, build_scalar
from civilaffairs.errors import ProgramError

if TYPE_CHECKING:
    from civilaffairs.programs.base import RuleVersion

__all__ = ["Compiled", "Opt", "ScalarResult", "compile_version", "render"]


@attrs.define
class Compiled:
    """A compiled rule version."""

    version: RuleVersion
    scalar: Callable[..., Any]
    source: str
    standards: tuple[str, ...]
    points: tuple[str, ...]
    households: tuple[str, ...]
    persons: tuple[str, ...]
    #: Ids of the nodes that read inputs only (shared between the programmes of a batch).
    pure: frozenset[int]
    #: Standard keys read as required (not ``optional=True``).
    required: frozenset[str]
    #: Ids of the nodes whose value could leave int64 (see :mod:`civilaffairs.engine.bounds`):
    #: computed exactly in bulk.
    checked: frozenset[int] = frozenset()
    #: Names of the per-member quantities (what later programmes may read), in order.
    person_quantities: tuple[str, ...] = ()

    def evaluate(self, H: Any, P: Any, S: Any, C: Any, E: Any) -> ScalarResult:
        """Run the scalar evaluator for one household."""
        read: set[str] = set()
        values, passed, tested, applies, notes = self.scalar(H, P, S, C, E, read)
        return ScalarResult(values, passed, tested, read, applies, notes)

    def evaluate_batch(
        self, env: BatchEnv, standards: Mapping[str, Opt], policies: Mapping[str, Any]
    ) -> BatchOutcome:
        """Run the column-wise evaluator over a batch."""
        run = start_batch(self.version, env, standards, policies, self.pure, self.checked)
        return finish(run)


def compile_version(version: RuleVersion) -> Compiled:
    """Compile *version*: check its names, generate its scalar evaluator."""
    names: dict[str, str] = {}
    for node in version.nodes():
        if node.op in ("std", "policy"):
            names.setdefault(leaf_name(node), node.op)
    clash = [q.name for q in version.quantities if q.name in names]
    if clash:
        raise ProgramError(
            f"quantity {clash[0]!r} has the name of a {names[clash[0]]} the rules read inline; "
            "rename one of them so formulas stay unambiguous"
        )
    fn, gen, source = build_scalar(version)
    nodes = list(version.nodes())
    return Compiled(
        version=version,
        scalar=fn,
        source=source,
        standards=tuple(gen.std),
        points=tuple(gen.pol),
        households=tuple(sorted(gen.hh)),
        persons=tuple(sorted(gen.pp)),
        pure=frozenset(id(n) for n in nodes if is_pure(n)),
        required=frozenset(n.meta[0] for n in nodes if n.op == "std" and not n.optional),
        checked=checked_nodes(version),
        person_quantities=tuple(q.name for q in version.quantities if q.level == "person"),
    )
