"""儿童福利 (child welfare): orphans and de-facto unsupported children.

* 孤儿基本生活费 (orphan allowance): 国务院办公厅关于加强孤儿保障工作的意见 (2010; national
  minimum 600 yuan/month in the community, 1000 in institutions). Children under 18 who
  have lost both parents (status ``orphan``).
* 事实无人抚养儿童 (de-facto unsupported children): 民发〔2019〕62号. Under 18, and both
  parents each severely disabled, seriously ill, deprived of liberty for a **term** of 6
  months or more, or out of contact for 6 months or more counted from a recorded date (later
  local texts add guardianship revoked and deported) — or one parent dead or missing and the
  other in one of those situations. The allowance follows the local orphan standard unless
  the province publishes its own.

A child who also meets the 特困 conditions gets the orphan or de-facto unsupported child
allowance unless the child chose 特困 support (status ``chose_tekun``; 特困人员认定办法,
民发〔2021〕43号): never both.
"""

from __future__ import annotations

from civilaffairs.engine.expr import count, member_value, person, standard
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.common import parent_cannot, parent_gone

__all__ = ["GUOBAN_2010_54", "MINFA_2019_62", "orphan", "unsupported_child"]

GUOBAN_2010_54 = "国办发〔2010〕54号"
MINFA_2019_62 = "民发〔2019〕62号"

# -- orphan allowance -------------------------------------------------------------------------
o = Rules(
    "orphan",
    zh="孤儿基本生活保障",
    en="Orphan allowance",
    area="child_welfare",
    basis=Basis("国务院办公厅关于加强孤儿保障工作的意见", "", GUOBAN_2010_54),
)
# a child who chose 特困 support is supported there instead, never by both
is_orphan = o.quantity(
    "orphan_paid",
    person.own.has("orphan") & (person.age < 18) & ~member_value("tekun", "tekun_person"),
    zh="孤儿（选择特困人员救助供养的除外）",
    en="an orphan (except a child who chose tekun support)",
)
in_institution = person.own.has("in_institution")
community = o.quantity(
    "community_orphans",
    count(is_orphan & ~in_institution),
    zh="孤儿人数（社会散居）",
    en="orphans in the community",
)
institution = o.quantity(
    "institution_orphans",
    count(is_orphan & in_institution),
    zh="孤儿人数（机构养育）",
    en="orphans in institutions",
)
o.condition(
    "has_orphan",
    (community + institution) > 0,
    zh="有未满18周岁的孤儿（散居 {community_orphans} 名，机构 {institution_orphans} 名；"
    "选择特困人员救助供养的除外）",
    en="orphans under 18 ({community_orphans} community, {institution_orphans} institution; "
    "children who chose tekun support are not counted)",
    basis=GUOBAN_2010_54,
)
community_rate = o.quantity(
    "community_rate",
    standard("orphan.allowance.community"),
    zh="散居孤儿标准",
    en="community standard",
)
institution_rate = o.quantity(
    "institution_rate",
    standard("orphan.allowance.institution"),
    zh="机构孤儿标准",
    en="institution standard",
)
o.amount(
    community_rate * community + institution_rate * institution,
    zh="月基本生活费",
    en="monthly allowance",
)
orphan = o.build()

# -- de-facto unsupported children ----------------------------------------------------------------
u = Rules(
    "unsupported_child",
    zh="事实无人抚养儿童基本生活保障",
    en="De-facto unsupported child allowance",
    area="child_welfare",
    basis=Basis("关于进一步加强事实无人抚养儿童保障工作的意见", "", MINFA_2019_62),
)
father_incap = u.quantity(
    "father_cannot", parent_cannot("father"), zh="父亲无法履行抚养义务", en="father cannot support"
)
mother_incap = u.quantity(
    "mother_cannot", parent_cannot("mother"), zh="母亲无法履行抚养义务", en="mother cannot support"
)
father_gone = u.quantity(
    "father_gone", parent_gone("father"), zh="父亲死亡或失联", en="father dead or missing"
)
mother_gone = u.quantity(
    "mother_gone", parent_gone("mother"), zh="母亲死亡或失联", en="mother dead or missing"
)
unsupported = u.quantity(
    "unsupported",
    (person.age < 18)
    & ~person.own.has("orphan")
    & ((father_incap & mother_incap) | (father_gone & mother_incap) | (mother_gone & father_incap))
    & ~member_value("tekun", "tekun_person"),
    zh="事实无人抚养（选择特困人员救助供养的除外）",
    en="de-facto unsupported (children who chose tekun support excepted)",
)
children = u.quantity(
    "children", count(unsupported), zh="事实无人抚养儿童人数", en="de-facto unsupported children"
)
u.condition(
    "has_child",
    children > 0,
    zh="有父母双方均无法履行抚养义务的未满18周岁儿童 {children} 名",
    en="{children} children under 18 whose parents both cannot support them",
    basis=f"{MINFA_2019_62}第一条",
)
rate = u.quantity(
    "rate",
    standard("unsupported_child.allowance", optional=True).or_else(
        standard("orphan.allowance.community")
    ),
    zh="保障标准（未单列则参照散居孤儿）",
    en="rate (the orphan standard unless published)",
)
u.amount(rate * children, zh="月基本生活费", en="monthly allowance")
unsupported_child = u.build()
