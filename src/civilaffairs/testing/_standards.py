"""Hypothesis strategies for standards (标准的属性测试数据生成).

Re-exported from :mod:`civilaffairs.testing.strategies`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st

from civilaffairs.money import Money
from civilaffairs.standards import CATALOGUE, Kind, ResidenceScope, Source, StandardValue

__all__ = [
    "residences",
    "sources",
    "standard_keys",
    "standard_values",
]


def standard_keys(kind: Kind | None = None) -> st.SearchStrategy[str]:
    """Keys of the catalogue, optionally only those of one
    :class:`~civilaffairs.standards.catalogue.Kind`."""
    keys = [k for k, spec in CATALOGUE.items() if kind is None or spec.kind is kind]
    return st.sampled_from(keys)


def residences(*, allow_both: bool = True) -> st.SearchStrategy[ResidenceScope]:
    """Residences; ``allow_both=False`` gives only urban and rural (for lookups)."""
    choices = list(ResidenceScope) if allow_both else [ResidenceScope.URBAN, ResidenceScope.RURAL]
    return st.sampled_from(choices)


_TEXT = st.text(
    alphabet=st.sampled_from("民政厅局关于调整标准的通知省市区县"), min_size=2, max_size=12
)


@st.composite
def sources(draw: st.DrawFn, *, cited: bool | None = None) -> Source:
    """Sources; ``cited=True`` always has a title, ``False`` only an issuer."""
    issuer = draw(_TEXT)
    if cited is False:
        return Source(issuer=issuer)
    title = draw(_TEXT if cited else st.none() | _TEXT)
    date = draw(st.none() | st.dates(_dt.date(2000, 1, 1), _dt.date(2030, 12, 31)))
    return Source(issuer=issuer, title=title, date=date)


@st.composite
def standard_values(
    draw: st.DrawFn,
    *,
    key: str | None = None,
    regions: Sequence[str] = ("000000", "110000", "110100", "110105", "310000"),
    plugins: Sequence[str] = ("a", "b"),
    min_date: _dt.date = _dt.date(2020, 1, 1),
    max_date: _dt.date = _dt.date(2020, 12, 31),
    with_until: bool = True,
) -> StandardValue:
    """Valid :class:`~civilaffairs.standards.values.StandardValue` objects over a small set
    of regions and dates, so that generated tables have overlaps, ties and supersessions."""
    k = key if key is not None else draw(standard_keys())
    spec = CATALOGUE[k]
    start = draw(st.dates(min_date, max_date))
    until = None
    if with_until and draw(st.integers(0, 3)) == 0:
        until = draw(st.dates(start, max_date + _dt.timedelta(days=60)))
    value: Money | Decimal
    if spec.kind is Kind.MONEY:
        value = Money.from_fen(draw(st.integers(0, 10**7)))
    else:
        value = Decimal(draw(st.integers(0, 99_999))).scaleb(-4)
    provisional = draw(st.booleans())
    return StandardValue.build(
        k,
        draw(st.sampled_from(list(regions))),
        start,
        value,
        residence=draw(residences()),
        source=draw(sources()),
        provisional=provisional,
        note="generated" if provisional else None,
        until=until,
        plugin=draw(st.sampled_from(list(plugins))),
    )
