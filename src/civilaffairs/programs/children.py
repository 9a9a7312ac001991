"""儿童福利 (child welfare): orphans and de-facto unsupported children.

* 孤儿基本生活费 (orphan allowance): 国务院办公厅关于加强孤儿保障工作的意见 (2010; national
  minimum 600 yuan/month in the community, 1000 in institutions). Children under 18 who
  have lost both parents (status ``orphan``).
* 事实无人抚养儿童 (de-facto unsupported children): 民发〔2019〕62号. Under 18, and both
  parents each severely disabled, seriously ill, deprived of liberty or missing for at
  least 6 months, with guardianship revoked, or deported — or one parent dead or missing
  and the other in one of those situations. The allowance follows the local orphan
  standard unless the province publishes its own.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import has_status, status_bit

GUOBAN_2010_54 = "国办发〔2010〕54号"
MINFA_2019_62 = "民发〔2019〕62号"

orphan = Program(
    "orphan",
    zh="孤儿基本生活保障",
    en="Orphan allowance",
    area="child_welfare",
    basis=Basis("国务院办公厅关于加强孤儿保障工作的意见", "", GUOBAN_2010_54),
    standards=("orphan.allowance.community", "orphan.allowance.institution"),
)
orphan.excluded_by(
    "tekun",
    zh="未同时享受特困人员救助供养",
    en="not also supported as tekun",
    basis="孤儿基本生活费与特困供养不重复享受（地方规定）",
)


@orphan.quantity(zh="孤儿人数（社会散居）", en="orphans in the community", unit="count")
def community_orphans(q: Any, p: Any, ops: Any) -> Any:
    o = has_status(q.own, "orphan") & (q.age < 18) & q.alive
    return ops.count_members(o & ~has_status(q.own, "in_institution"))


@orphan.quantity(zh="孤儿人数（机构养育）", en="orphans in institutions", unit="count")
def institution_orphans(q: Any, p: Any, ops: Any) -> Any:
    o = has_status(q.own, "orphan") & (q.age < 18) & q.alive
    return ops.count_members(o & has_status(q.own, "in_institution"))


@orphan.condition(
    zh="有未满18周岁的孤儿（散居 {community_orphans} 名，机构 {institution_orphans} 名）",
    en="orphans under 18 ({community_orphans} community, {institution_orphans} institution)",
    basis=GUOBAN_2010_54,
)
def has_orphan(q: Any, p: Any, ops: Any) -> Any:
    return (q.community_orphans + q.institution_orphans) > 0


@orphan.quantity(zh="散居孤儿标准", en="community standard")
def community_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("orphan.allowance.community")


@orphan.quantity(zh="机构孤儿标准", en="institution standard")
def institution_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("orphan.allowance.institution")


@orphan.amount(
    zh="月基本生活费",
    en="monthly allowance",
    formula="community_rate * community_orphans + institution_rate * institution_orphans",
)
def amount(q: Any, p: Any, ops: Any) -> Any:
    return q.community_rate * q.community_orphans + q.institution_rate * q.institution_orphans


unsupported_child = Program(
    "unsupported_child",
    zh="事实无人抚养儿童基本生活保障",
    en="De-facto unsupported child allowance",
    area="child_welfare",
    basis=Basis("关于进一步加强事实无人抚养儿童保障工作的意见", "", MINFA_2019_62),
    standards=("orphan.allowance.community",),
    optional_standards=("unsupported_child.allowance",),
)

_INCAPABLE = (
    "parent_severely_disabled",
    "parent_seriously_ill",
    "parent_guardianship_revoked",
    "parent_deported",
)
_TIMED = ("parent_imprisoned", "parent_missing")  # count after 6 months
_INCAP_BITS = sum(status_bit(k) for k in _INCAPABLE)
_TIMED_BITS = sum(status_bit(k) for k in _TIMED)
_DEAD = status_bit("parent_dead")
_MISSING = status_bit("parent_missing")


@unsupported_child.quantity(
    zh="事实无人抚养儿童人数", en="de-facto unsupported children", unit="count"
)
def children(q: Any, p: Any, ops: Any) -> Any:
    father_incap = ((q.father & _INCAP_BITS) != 0) | ((q.father_6m & _TIMED_BITS) != 0)
    mother_incap = ((q.mother & _INCAP_BITS) != 0) | ((q.mother_6m & _TIMED_BITS) != 0)
    father_gone = ((q.father & _DEAD) != 0) | ((q.father_6m & _MISSING) != 0)
    mother_gone = ((q.mother & _DEAD) != 0) | ((q.mother_6m & _MISSING) != 0)
    rule = (
        (father_incap & mother_incap) | (father_gone & mother_incap) | (mother_gone & father_incap)
    )
    child = (q.age < 18) & q.alive & ~has_status(q.own, "orphan")
    return ops.count_members(child & rule)


@unsupported_child.condition(
    zh="有父母双方均无法履行抚养义务的未满18周岁儿童 {children} 名",
    en="{children} children under 18 whose parents both cannot support them",
    basis=f"{MINFA_2019_62}第一条",
)
def has_child(q: Any, p: Any, ops: Any) -> Any:
    return q.children > 0


@unsupported_child.quantity(zh="本地公布的保障标准", en="published local standard", unit="flag")
def has_own_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("unsupported_child.allowance")[1]


@unsupported_child.quantity(zh="公布的保障标准", en="published standard")
def own_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("unsupported_child.allowance")[0]


@unsupported_child.quantity(zh="散居孤儿标准", en="community orphan standard")
def orphan_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("orphan.allowance.community")


@unsupported_child.quantity(
    zh="保障标准（未单列则参照散居孤儿）",
    en="rate (the orphan standard unless published)",
    formula="where(has_own_rate, own_rate, orphan_rate)",
)
def rate(q: Any, p: Any, ops: Any) -> Any:
    return ops.where(q.has_own_rate, q.own_rate, q.orphan_rate)


@unsupported_child.amount(zh="月基本生活费", en="monthly allowance", formula="rate * children")
def child_amount(q: Any, p: Any, ops: Any) -> Any:
    return q.rate * q.children
