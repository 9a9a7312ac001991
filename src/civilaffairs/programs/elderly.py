"""高龄津贴 (old-age allowance) by age band.

Legal basis: 老年人权益保障法 (2018) art. 33 encourages an allowance for people aged 80 and
over; amounts and bands are local (Beijing: 100 / 500 / 800 yuan a month at 80–89 /
90–99 / 100+). Each band is a standard ``elderly.allowance.<first age>``; a region pays
the highest band a member has reached among the bands it publishes.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program

BANDS: tuple[int, ...] = (80, 90, 100)

elderly_allowance = Program(
    "elderly_allowance",
    zh="高龄津贴",
    en="Old-age allowance",
    area="elderly",
    basis=Basis("中华人民共和国老年人权益保障法", "第三十三条"),
    optional_standards=tuple(f"elderly.allowance.{b}" for b in BANDS),
)


@elderly_allowance.quantity(zh="各档津贴合计", en="allowances by band, total")
def total(q: Any, p: Any, ops: Any) -> Any:
    per_person: Any = 0
    for band in BANDS:  # ascending: a higher published band replaces a lower one
        rate, found = p.optional_standard(f"elderly.allowance.{band}")
        reached = (q.age >= band) & ops.to_members(found)
        per_person = ops.where(reached, ops.to_members(rate), per_person)
    return ops.sum_members(per_person * q.alive)


@elderly_allowance.quantity(zh="领取人数", en="members receiving", unit="count")
def recipients(q: Any, p: Any, ops: Any) -> Any:
    any_band: Any = False
    for band in BANDS:
        _, found = p.optional_standard(f"elderly.allowance.{band}")
        any_band = any_band | ((q.age >= band) & ops.to_members(found))
    return ops.count_members(any_band & q.alive)


@elderly_allowance.condition(
    zh="有达到本地津贴年龄档的老年人 {recipients} 名",
    en="{recipients} members reached a local allowance band",
    basis="老年人权益保障法第三十三条；标准由地方规定",
)
def has_recipient(q: Any, p: Any, ops: Any) -> Any:
    return q.recipients > 0


@elderly_allowance.amount(zh="月津贴", en="monthly allowance", formula="total")
def amount(q: Any, p: Any, ops: Any) -> Any:
    return q.total
