"""困难残疾人生活补贴和重度残疾人护理补贴 (the disabled persons' two subsidies).

Legal basis: 国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见
(国发〔2015〕52号), from 2016-01-01. The living subsidy goes to disabled members of dibao
households; the nursing subsidy to members with grade 1–2 disability (and, by local rule,
grade 3–4 intellectual or mental disability) who need long-term care. Both can be held
together; the nursing subsidy does not overlap with a work-injury nursing allowance or
with 特困 care support. Amounts are local standards.
"""

from __future__ import annotations

from civilaffairs.engine.expr import count, eligible, person, standard
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.points import BoolPoint

__all__ = ["BASIS", "GUOFA_2015_52", "disability_living", "disability_nursing"]

GUOFA_2015_52 = "国发〔2015〕52号"
BASIS = Basis("关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见", "", GUOFA_2015_52)

# -- living subsidy ---------------------------------------------------------------------------
living = Rules(
    "disability_living",
    zh="困难残疾人生活补贴",
    en="Living subsidy for disabled people in hardship",
    area="disability",
    basis=BASIS,
)
in_dibao = living.quantity("in_dibao", eligible("dibao"), zh="符合低保", en="dibao-eligible")
living.condition(
    "dibao_household",
    in_dibao,
    zh="家庭为低保家庭（{in_dibao}）",
    en="household receives dibao ({in_dibao})",
    basis=GUOFA_2015_52,
)
disabled = living.quantity(
    "disabled", count(person.disability_grade > 0), zh="持证残疾人数", en="disabled members"
)
living.condition(
    "has_disabled",
    disabled > 0,
    zh="有持证残疾人 {disabled} 名",
    en="{disabled} disabled members",
    basis=GUOFA_2015_52,
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
        basis=f"{GUOFA_2015_52}：有条件的地方可扩大",
    )
)
nursing.excluded_by(
    "tekun",
    zh="未享受特困人员照料护理（与护理补贴不重复）",
    en="not receiving tekun care support",
    basis="特困人员照料护理与重度残疾人护理补贴不重复享受（地方规定，如重庆）",
)
grade = person.disability_grade
graded = ((grade >= 1) & (grade <= 2)) | (
    wider & person.disability_category.isin(("intellectual", "mental")) & (grade >= 3)
)
needs_care = person.self_care != "full"
no_overlap = ~person.own.has("work_injury_nursing", "supported_as_tekun")
members = nursing.quantity(
    "care_members",
    count(graded & needs_care & no_overlap),
    zh="需长期照护的重度残疾人数",
    en="severely disabled members needing long-term care",
)
nursing.condition(
    "has_eligible",
    members > 0,
    zh="有需长期照护的重度残疾人 {care_members} 名（不含领取工伤护理费者）",
    en="{care_members} severely disabled members need long-term care (excluding "
    "work-injury nursing allowance)",
    basis=GUOFA_2015_52,
)
nursing_rate = nursing.quantity(
    "nursing_rate",
    standard("disability.nursing_subsidy"),
    zh="护理补贴标准",
    en="nursing subsidy standard",
)
nursing.amount(nursing_rate * members, zh="月护理补贴", en="monthly nursing subsidy")
disability_nursing = nursing.build()
