"""高龄津贴 (old-age allowance) by age band.

Legal basis: 老年人权益保障法 (2018) art. 33 encourages an allowance for people aged 80 and
over; amounts and bands are local (Beijing: 100 / 500 / 800 yuan a month at 80–89 /
90–99 / 100+). Each band is a standard ``elderly.allowance.<first age>``; a region pays
the highest band a member has reached among the bands it publishes. Where a region publishes
no band at all, the allowance is *not assessed* (there is nothing to apply), never "not
eligible".
"""

from __future__ import annotations

from civilaffairs.engine.expr import Expr, count, flag, money, person, standard, total, where
from civilaffairs.programs.base import Basis, Rules

__all__ = ["BANDS", "elderly_allowance"]

BANDS: tuple[int, ...] = (80, 90, 100)

r = Rules(
    "elderly_allowance",
    zh="高龄津贴",
    en="Old-age allowance",
    area="elderly",
    basis=Basis("中华人民共和国老年人权益保障法", "第三十三条"),
)

per_member: Expr = money("0")
reached: Expr = flag(False)
published: Expr = flag(False)
for band in BANDS:  # ascending: a higher published band replaces a lower one
    rate = standard(f"elderly.allowance.{band}", optional=True)
    published = published | rate.is_set
    at_band = (person.age >= band) & rate.is_set
    per_member = where(at_band, rate.or_else(money("0")), per_member)
    reached = reached | at_band

r.skip_unless(
    published,
    zh="本地区未登记高龄津贴标准，未评估",
    en="no old-age allowance standard registered for this region; not assessed",
)
total_allowance = r.quantity(
    "total", total(per_member), zh="各档津贴合计", en="allowances by band, total"
)
recipients = r.quantity("recipients", count(reached), zh="领取人数", en="members receiving")
r.condition(
    "has_recipient",
    recipients > 0,
    zh="有达到本地津贴年龄档的老年人 {recipients} 名",
    en="{recipients} members reached a local allowance band",
    basis="老年人权益保障法第三十三条；标准由地方规定",
)
r.amount(total_allowance, zh="月津贴", en="monthly allowance")

elderly_allowance = r.build()
