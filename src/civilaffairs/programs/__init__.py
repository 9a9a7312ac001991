"""National programmes (国家层面的救助与福利项目), each defined once.

``NATIONAL`` lists them in a stable order; the national baseline plugin registers them.
Exclusivity between programmes is expressed as conditions (``excluded_by``) so that both
back ends apply it the same way: tekun excludes dibao, the orphan allowance and the
disability nursing subsidy for the same household.
"""

from __future__ import annotations

from civilaffairs.programs.base import Basis, Condition, Program, Quantity
from civilaffairs.programs.children import orphan, unsupported_child
from civilaffairs.programs.dibao import dibao
from civilaffairs.programs.disability import disability_living, disability_nursing
from civilaffairs.programs.elderly import elderly_allowance
from civilaffairs.programs.high_spending import high_spending
from civilaffairs.programs.marginal import marginal
from civilaffairs.programs.tekun import tekun
from civilaffairs.programs.temporary import temporary

dibao.excluded_by(
    "tekun",
    zh="未被认定为特困人员（特困人员不再纳入低保）",
    en="not supported as tekun (tekun persons are not also in dibao)",
    basis="特困人员认定办法；社会救助暂行办法第十四条",
)

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

__all__ = ["NATIONAL", "Basis", "Condition", "Program", "Quantity"]
