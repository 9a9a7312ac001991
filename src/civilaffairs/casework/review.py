"""Periodic review scheduling (定期核查): when a case is next due for review.

**The rule.** 最低生活保障审核确认办法 (民政部 民发〔2021〕57号, 2021-06-11) sets two intervals
for dibao households: households whose economic situation changes little in the short term
(短期内经济状况变化不大) are reviewed by the township (街道) **once a year**; households whose
income is unstable and whose members can work (收入来源不固定、家庭成员有劳动能力) **every half
year**; where the situation has not changed markedly the amount is not adjusted, and a major
emergency may lengthen the intervals. The text names no categories of members: local
rules that classify by elderly, minors, severely disabled or seriously ill members
(e.g. Xianyang's A/B/C classes) are provincial practice, which a province registers as its
own intervals. 特困人员认定办法 (民发〔2021〕43号) sets no interval: for 特困 the interval is
*not set* until a province registers one.

Sources: the wording of 民发〔2021〕57号 as restated by 重庆市民政局 (渝民〔2023〕3号,
http://www.cqsdj.gov.cn/bmjz/bm/mzj/zfxxgkml_124879/zczxwd/202112/t20211228_10241308_wap.html)
and in the 2021 social-work examination's explanation of the new 办法; the article number of
the national text was not verified.

**Policy points.** The intervals are policy points of the programmes (``dibao``:
``review_months_stable`` 12 and ``review_months_variable`` 6; ``tekun``: ``review_months``,
not set), so a province overrides them like any other point::

    register.add("dibao", "review_months_variable", "610400", "2023-01-01", 3)

**Categories** (``review_category`` of the caseload):

* ``stable``: 短期内经济状况变化不大的低保家庭, interval ``dibao.review_months_stable``;
* ``variable``: 收入来源不固定、家庭成员有劳动能力的低保家庭, interval
  ``dibao.review_months_variable``;
* ``tekun``: 特困人员, interval ``tekun.review_months``.

The next review is due on the corresponding day of the month *interval* months after the
last review (the last day of that month if it has no such day), 民法典第二百零二条.

>>> import datetime as dt
>>> from civilaffairs.casework.review import next_review
>>> s = next_review("variable", dt.date(2024, 8, 31), region="110105")
>>> s.due, s.interval_months
(datetime.date(2025, 2, 28), 6)
>>> print(s.to_text("en").splitlines()[1])
  [variable] due: 2025-02-28
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.casework.periods import CIVIL_CODE_PERIODS, add_months
from civilaffairs.checks import CheckDecision, Context
from civilaffairs.errors import CivilAffairsError

__all__ = [
    "REVIEW_CATEGORIES",
    "ReviewCategory",
    "ReviewSchedule",
    "UnknownReviewCategory",
    "next_review",
    "review_interval",
]

_57 = "最低生活保障审核确认办法（民政部 民发〔2021〕57号，2021-06-11）"


@attrs.frozen
class ReviewCategory:
    """A review category: the programme and policy point that hold its interval."""

    name: str
    program: str
    point: str
    zh: str
    en: str
    basis: str


#: The review categories by name.
REVIEW_CATEGORIES: Mapping[str, ReviewCategory] = {
    c.name: c
    for c in (
        ReviewCategory(
            "stable",
            "dibao",
            "review_months_stable",
            "短期内经济状况变化不大的低保家庭",
            "dibao household whose situation changes little",
            f"{_57}：对短期内经济状况变化不大的最低生活保障家庭，每年核查一次",
        ),
        ReviewCategory(
            "variable",
            "dibao",
            "review_months_variable",
            "收入来源不固定、家庭成员有劳动能力的低保家庭",
            "dibao household with unstable income and members able to work",
            f"{_57}：对收入来源不固定、家庭成员有劳动能力的最低生活保障家庭，每半年核查一次",
        ),
        ReviewCategory(
            "tekun",
            "tekun",
            "review_months",
            "特困人员",
            "tekun person",
            "特困人员认定办法（民发〔2021〕43号）未规定定期核查间隔：由省级规定",
        ),
    )
}


class UnknownReviewCategory(CivilAffairsError, LookupError):
    """A review category that is not one of :data:`REVIEW_CATEGORIES` (未知的核查类别)."""

    code = "unknown_review_category"
    title_zh = "未知的核查类别"


def _category(name: str) -> ReviewCategory:
    found = REVIEW_CATEGORIES.get(name) if isinstance(name, str) else None
    if found is None:
        known = ", ".join(REVIEW_CATEGORIES)
        raise UnknownReviewCategory(
            f"unknown review category {name!r} (known: {known})",
            path="review_category",
            zh=f"未知的核查类别 {name!r}（可用：{known}）",
        )
    return found


def review_interval(
    category: str,
    region: str,
    on: _dt.date,
    *,
    registry: Any = None,
    residence: str | None = None,
) -> tuple[int | None, Any]:
    """The interval in months of *category* for *region* on *on* (``None``: not set), and
    the :class:`~civilaffairs.policies.ResolvedPolicy` it came from.

    :raises UnknownReviewCategory: for an unknown category.
    """
    cat = _category(category)
    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    resolved = registry.policy(cat.program, cat.point, region, on, residence)
    value = resolved.value
    return (None if value is None else int(value)), resolved


@attrs.frozen
class ReviewSchedule:
    """When a case is next due for periodic review, and why (定期核查安排).

    :param category: the review category.
    :param last_review: the date of the last review (or of the approval).
    :param region: the county code of the case.
    :param interval_months: the interval applied; ``None`` where the region has none (*not
        set*), and then ``due`` is ``None`` too.
    :param due: the date the next review is due.
    :param decision: the explanation: the interval's policy point and who set it, the
        arithmetic, as a :class:`~civilaffairs.checks.CheckDecision`.
    """

    category: str
    last_review: _dt.date
    region: str
    interval_months: int | None
    due: _dt.date | None
    decision: CheckDecision

    def overdue(self, day: _dt.date) -> bool | None:
        """Whether the review is overdue on *day* (due before it); ``None`` if not set."""
        return None if self.due is None else self.due < day

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON form."""
        return {
            "category": self.category,
            "last_review": self.last_review.isoformat(),
            "region": self.region,
            "interval_months": self.interval_months,
            "due": None if self.due is None else self.due.isoformat(),
            "explanation": self.decision.to_dict(lang),
        }

    def to_text(self, lang: str = "zh") -> str:
        """A readable report."""
        zh = lang == "zh"
        due = self.due.isoformat() if self.due else ("未设定" if zh else "not set")
        head = "定期核查" if zh else "periodic review"
        lines = [f"{head} · {self.region} · {self.last_review.isoformat()}"]
        lines.append(f"  [{self.category}] {'应核查日期' if zh else 'due'}: {due}")
        for c in self.decision.conditions:
            mark = "–" if c.passed is None else "✓" if c.passed else "✗"
            lines.append(f"    {mark} {c.label(lang)} ({c.basis})")
        for s in self.decision.steps:
            lines.append(f"    = {s.name}: {s.formula} = {s.result}")
        for name, value in self.decision.facts.items():
            lines.append(f"    · {name}: {value}")
        return "\n".join(lines)


def next_review(
    category: str,
    last_review: _dt.date | str,
    *,
    region: str,
    registry: Any = None,
    residence: str | None = None,
    policy_on: _dt.date | str | None = None,
) -> ReviewSchedule:
    """The next periodic review of a case of *category* last reviewed on *last_review*.

    The interval is the policy point in force for *region* on the day of the last review
    (or on *policy_on*).

    :param category: ``"stable"``, ``"variable"`` or ``"tekun"`` (:data:`REVIEW_CATEGORIES`).
    :param last_review: date of the last review or of the approval.
    :param region: the 6-digit county code of the case.
    :param registry: standards and policies (the installed plugins' by default).
    :param residence: ``"urban"`` or ``"rural"`` where a province sets them apart.
    :param policy_on: the day whose interval applies (default: *last_review*); an audit
        passes its own month so that every case is measured by the rule in force then.
    :raises UnknownReviewCategory: for an unknown category.
    """
    from civilaffairs.standards.values import parse_on

    cat = _category(category)
    day = parse_on(last_review)
    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    rule_day = parse_on(policy_on) if policy_on is not None else day
    months, resolved = review_interval(
        category, region, rule_day, registry=registry, residence=residence
    )
    ctx = Context(registry, day, region)
    who = "national default (全国默认值)"
    if resolved.override is not None:
        o = resolved.override
        who = f"{o.region} from {o.effective_from.isoformat()} (plugin {o.plugin})"
    ctx.fact("policy", f"{cat.program}.{cat.point} = {months}; {who}")
    ctx.condition(
        "interval_set",
        None if months is None else True,
        zh="{what}的核查间隔：{months_zh}",
        en="review interval of a {what_en}: {months_en}",
        basis=cat.basis,
        what=cat.zh,
        what_en=cat.en,
        months_zh="未设定" if months is None else f"{months} 个月",
        months_en="not set" if months is None else f"{months} months",
    )
    due: _dt.date | None = None
    if months is not None:
        due = ctx.step(
            "due",
            "last_review + interval months (对应日；无对应日取月末)",
            result=add_months(day, months),
            last_review=day,
            interval=months,
        )
        ctx.fact("counting", CIVIL_CODE_PERIODS)
    decision = ctx.decide(cat.name, "due" if due else "not_set", passed=due is not None)
    return ReviewSchedule(cat.name, day, region, months, due, decision)
