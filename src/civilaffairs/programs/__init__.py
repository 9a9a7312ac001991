"""National programmes (国家层面的救助与福利项目), each defined once.

``NATIONAL`` lists them in a stable order; the national baseline plugin registers them as
the core service module ``social_assistance``. Exclusivity between programmes is expressed as
conditions (``excluded_by``) so that both back ends apply it the same way: tekun excludes
dibao, the orphan allowance and the disability nursing subsidy for the same household.
"""

from __future__ import annotations

from civilaffairs.programs.base import Basis, Condition, Program, Quantity, Rules, RuleVersion
from civilaffairs.programs.children import orphan, unsupported_child
from civilaffairs.programs.dibao import dibao
from civilaffairs.programs.disability import disability_living, disability_nursing
from civilaffairs.programs.elderly import elderly_allowance
from civilaffairs.programs.high_spending import high_spending
from civilaffairs.programs.marginal import marginal
from civilaffairs.programs.module import ServiceModule
from civilaffairs.programs.tekun import tekun
from civilaffairs.programs.temporary import temporary

#: The national programmes, by id, in evaluation-friendly order.
NATIONAL: dict[str, Program] = {
    p.id: p
    for p in (
        tekun,
        dibao,
        marginal,
        high_spending,
        temporary,
        disability_living,
        disability_nursing,
        orphan,
        unsupported_child,
        elderly_allowance,
    )
}

#: The core service module: the national social-assistance and welfare programmes.
SOCIAL_ASSISTANCE = ServiceModule(
    "social_assistance",
    zh="社会救助与社会福利",
    en="Social assistance and welfare",
    programs=tuple(NATIONAL.values()),
    description_zh="最低生活保障、特困人员救助供养、低保边缘、临时救助、残疾人两项补贴、"
    "儿童福利和高龄津贴等全国性项目。",
    description_en="The national programmes: dibao, tekun, marginal households, temporary "
    "assistance, the disabled persons' two subsidies, child welfare and old-age allowances.",
)

__all__ = [
    "NATIONAL",
    "SOCIAL_ASSISTANCE",
    "Basis",
    "Condition",
    "Program",
    "Quantity",
    "RuleVersion",
    "Rules",
    "ServiceModule",
]
