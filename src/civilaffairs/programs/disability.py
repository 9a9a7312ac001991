"""困难残疾人生活补贴和重度残疾人护理补贴 (the disabled persons' two subsidies).

Legal basis: 国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见
(国发〔2015〕52号), from 2016-01-01. The living subsidy goes to disabled members of dibao
households; the nursing subsidy to members with grade 1–2 disability (and, by local rule,
grade 3–4 intellectual or mental disability) who need long-term care. Both can be held
together; the nursing subsidy does not overlap with a work-injury nursing allowance or
with 特困 care support. Amounts are local standards.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import (
    DIS_INTELLECTUAL,
    DIS_MENTAL,
    SELF_CARE_FULL,
    has_status,
)
from civilaffairs.programs.points import BoolPoint

GUOFA_2015_52 = "国发〔2015〕52号"
BASIS = Basis("关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见", "", GUOFA_2015_52)

disability_living = Program(
    "disability_living",
    zh="困难残疾人生活补贴",
    en="Living subsidy for disabled people in hardship",
    area="disability",
    basis=BASIS,
    standards=("disability.living_subsidy",),
)
disability_living.requires("dibao")


@disability_living.quantity(zh="符合低保", en="dibao-eligible", unit="flag")
def in_dibao(q: Any, p: Any, ops: Any) -> Any:
    return q.eligible_dibao


@disability_living.condition(
    zh="家庭为低保家庭（{in_dibao}）",
    en="household receives dibao ({in_dibao})",
    basis=GUOFA_2015_52,
)
def dibao_household(q: Any, p: Any, ops: Any) -> Any:
    return q.in_dibao


@disability_living.quantity(zh="持证残疾人数", en="disabled members", unit="count")
def disabled(q: Any, p: Any, ops: Any) -> Any:
    return ops.count_members((q.dis_grade > 0) & q.alive)


@disability_living.condition(
    zh="有持证残疾人 {disabled} 名", en="{disabled} disabled members", basis=GUOFA_2015_52
)
def has_disabled(q: Any, p: Any, ops: Any) -> Any:
    return q.disabled > 0


@disability_living.quantity(zh="生活补贴标准", en="living subsidy standard")
def rate(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("disability.living_subsidy")


@disability_living.amount(zh="月生活补贴", en="monthly living subsidy", formula="rate * disabled")
def amount(q: Any, p: Any, ops: Any) -> Any:
    return q.rate * q.disabled


disability_nursing = Program(
    "disability_nursing",
    zh="重度残疾人护理补贴",
    en="Nursing subsidy for severely disabled people",
    area="disability",
    basis=BASIS,
    standards=("disability.nursing_subsidy",),
)
disability_nursing.point(
    BoolPoint(
        "include_grade_3_4_intellectual_mental",
        "三、四级智力和精神残疾人纳入",
        "grade 3-4 intellectual and mental disability included",
        False,
        basis=f"{GUOFA_2015_52}：有条件的地方可扩大",
    )
)
disability_nursing.excluded_by(
    "tekun",
    zh="未享受特困人员照料护理（与护理补贴不重复）",
    en="not receiving tekun care support",
    basis="特困人员照料护理与重度残疾人护理补贴不重复享受（地方规定，如重庆）",
)


@disability_nursing.quantity(
    zh="需长期照护的重度残疾人数",
    en="severely disabled members needing long-term care",
    unit="count",
)
def eligible_members(q: Any, p: Any, ops: Any) -> Any:
    wider = ops.to_members(p.policy("include_grade_3_4_intellectual_mental")) != 0
    im = (q.dis_cat == DIS_INTELLECTUAL) | (q.dis_cat == DIS_MENTAL)
    graded = ((q.dis_grade >= 1) & (q.dis_grade <= 2)) | (wider & im & (q.dis_grade >= 3))
    needs_care = q.self_care != SELF_CARE_FULL
    no_overlap = ~has_status(q.own, "work_injury_nursing") & ~has_status(
        q.own, "supported_as_tekun"
    )
    return ops.count_members(graded & needs_care & no_overlap & q.alive)


@disability_nursing.condition(
    zh="有需长期照护的重度残疾人 {eligible_members} 名（不含领取工伤护理费者）",
    en="{eligible_members} severely disabled members need long-term care (excluding "
    "work-injury nursing allowance)",
    basis=GUOFA_2015_52,
)
def has_eligible(q: Any, p: Any, ops: Any) -> Any:
    return q.eligible_members > 0


@disability_nursing.quantity(zh="护理补贴标准", en="nursing subsidy standard")
def nursing_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("disability.nursing_subsidy")


@disability_nursing.amount(
    zh="月护理补贴", en="monthly nursing subsidy", formula="nursing_rate * eligible_members"
)
def nursing_amount(q: Any, p: Any, ops: Any) -> Any:
    return q.nursing_rate * q.eligible_members
