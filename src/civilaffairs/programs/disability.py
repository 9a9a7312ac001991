"""困难残疾人生活补贴和重度残疾人护理补贴 (the disabled persons' two subsidies).

Legal basis: 国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见
(国发〔2015〕52号), from 2016-01-01.

* The living subsidy goes to disabled members of dibao households ("对象为低保家庭中的残疾人").
  A child receiving the orphan allowance does not receive it ("享受孤儿基本生活保障政策的残疾儿童
  不享受困难残疾人生活补贴，可享受重度残疾人护理补贴").
* The nursing subsidy goes to members with grade 1–2 disability who need long-term care (and,
  where the province widens it, grade 3–4 intellectual or mental disability).
* Both can be held together. A person supported as 特困 receives neither, and a person
  receiving the work-injury nursing allowance receives neither ("领取工伤保险生活护理费，纳入
  特困人员供养保障的残疾人不享受残疾人两项补贴"); whether 特困 persons receive them anyway is a
  provincial choice (policy point ``tekun_persons_receive``, national default no).

Exclusions are per person: a 特困 member does not take the subsidies from the rest of the
household. Amounts are local standards.
"""

from __future__ import annotations

from civilaffairs.engine.expr import Expr, count, eligible, member_value, person, standard
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.points import BoolPoint

__all__ = ["BASIS", "GUOFA_2015_52", "disability_living", "disability_nursing"]

GUOFA_2015_52 = "国发〔2015〕52号"
BASIS = Basis("关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见", "", GUOFA_2015_52)
_NEITHER = (
    f"{GUOFA_2015_52}：领取工伤保险生活护理费，纳入特困人员供养保障的残疾人不享受残疾人两项补贴"
)


def _tekun_point(r: Rules) -> Expr:
    return r.point(
        BoolPoint(
            "tekun_persons_receive",
            "特困人员也享受本补贴",
            "tekun persons receive it too",
            False,
            basis=f"{_NEITHER}（省级另有规定的从其规定）",
        )
    )


def _not_excluded(r: Rules, tekun_receive: Expr) -> Expr:
    return r.quantity(
        "not_excluded",
        (tekun_receive | ~member_value("tekun", "tekun_person"))
        & ~person.own.has("work_injury_nursing")
        & (tekun_receive | ~person.own.has("supported_as_tekun")),
        zh="非特困人员、未领取工伤保险生活护理费",
        en="not tekun, no work-injury nursing allowance",
    )


# -- living subsidy ---------------------------------------------------------------------------
living = Rules(
    "disability_living",
    zh="困难残疾人生活补贴",
    en="Living subsidy for disabled people in hardship",
    area="disability",
    basis=BASIS,
)
living_tekun = _tekun_point(living)
in_dibao = living.quantity("in_dibao", eligible("dibao"), zh="低保家庭", en="dibao household")
living.condition(
    "dibao_household",
    in_dibao,
    zh="家庭为低保家庭（{in_dibao}）",
    en="household receives dibao ({in_dibao})",
    basis=f"{GUOFA_2015_52}：对象为低保家庭中的残疾人",
)
living_ok = _not_excluded(living, living_tekun)
orphan_allowance = living.quantity(
    "orphan_allowance",
    person.own.has("orphan") & (person.age < 18) & ~member_value("tekun", "tekun_person"),
    zh="享受孤儿基本生活保障",
    en="receives the orphan allowance",
)
disabled = living.quantity(
    "disabled",
    count((person.disability_grade > 0) & living_ok & ~orphan_allowance),
    zh="持证残疾人数（特困人员、工伤护理费领取者和享受孤儿基本生活保障的儿童除外）",
    en="disabled members (except tekun persons, work-injury nursing recipients and children "
    "on the orphan allowance)",
)
living.condition(
    "has_disabled",
    disabled > 0,
    zh="有可享受生活补贴的持证残疾人 {disabled} 名",
    en="{disabled} disabled members may receive the living subsidy",
    basis=f"{GUOFA_2015_52}；{_NEITHER}；享受孤儿基本生活保障政策的残疾儿童不享受困难残疾人生活补贴",
)
rate = living.quantity(
    "rate", standard("disability.living_subsidy"), zh="生活补贴标准", en="living subsidy standard"
)
living.amount(rate * disabled, zh="月生活补贴", en="monthly living subsidy")
disability_living = living.build()

# -- nursing subsidy --------------------------------------------------------------------------
nursing = Rules(
    "disability_nursing",
    zh="重度残疾人护理补贴",
    en="Nursing subsidy for severely disabled people",
    area="disability",
    basis=BASIS,
)
wider = nursing.point(
    BoolPoint(
        "include_grade_3_4_intellectual_mental",
        "三、四级智力和精神残疾人纳入",
        "grade 3-4 intellectual and mental disability included",
        False,
        basis=f"{GUOFA_2015_52}：有条件的地方可扩大到非重度智力、精神残疾人或其他残疾人",
    )
)
nursing_tekun = _tekun_point(nursing)
grade = person.disability_grade
graded = ((grade >= 1) & (grade <= 2)) | (
    wider & person.disability_category.isin(("intellectual", "mental")) & (grade >= 3)
)
nursing_ok = _not_excluded(nursing, nursing_tekun)
members = nursing.quantity(
    "care_members",
    count(graded & (person.self_care != "full") & nursing_ok),
    zh="需长期照护的重度残疾人数（特困人员和工伤护理费领取者除外）",
    en="severely disabled members needing long-term care (except tekun persons and "
    "work-injury nursing recipients)",
)
nursing.condition(
    "has_eligible",
    members > 0,
    zh="有需长期照护的重度残疾人 {care_members} 名",
    en="{care_members} severely disabled members need long-term care",
    basis=f"{GUOFA_2015_52}；{_NEITHER}",
)
nursing_rate = nursing.quantity(
    "nursing_rate",
    standard("disability.nursing_subsidy"),
    zh="护理补贴标准",
    en="nursing subsidy standard",
)
nursing.amount(nursing_rate * members, zh="月护理补贴", en="monthly nursing subsidy")
disability_nursing = nursing.build()
