"""Appeal deadlines and states (复议和诉讼期限): administrative reconsideration (行政复议)
and administrative litigation (行政诉讼) against a civil-affairs decision.

**Periods** (each verified in a reproduction of the text; the URLs are the legislature's):

* 行政复议法 (2023 修订, 主席令第9号, adopted 2023-09-01, in force 2024-01-01) 第二十条:
  application within **60 days** of the day the party knew or should have known of the act
  (第一款); a party not told of the right, the organ and the period counts from when it
  learned them, but at most **one year** from knowing the act (第三款); an obstacle
  (不可抗力 or another good reason) suspends the period (第二款; not modelled: the caller
  gives the dates).
* 行政复议法 第二十一条: no application more than **5 years** after the act (**20 years**
  for real property).
* 行政复议法 第六十二条: decision within **60 days** of acceptance under the ordinary
  procedure, extendable by at most **30 days**; **30 days** under the simplified procedure.
* 行政诉讼法 (2017 修正) 第四十五条: lawsuit within **15 days** of receiving the
  reconsideration decision, or of the end of the decision period if none was made.
* 行政诉讼法 第四十六条: lawsuit directly within **6 months** of knowing the act; not more
  than **5 years** after the act (20 for real property).
* 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 (法释〔2018〕1号) 第六十四条: a party
  not told of the right or the period to sue counts from when it learned them, at most
  **one year** from knowing the act.

The 2023 article numbers 第六十二条 (decision periods) and 第二十一条 were read in
third-party reproductions only; the periods themselves agree with the 2017 text (第三十一条:
60 days, extension at most 30) and with current practice notes. The court's own trial
period is not modelled: pass ``trial_months`` to test a lawsuit for delay.

**Counting** (:mod:`civilaffairs.casework.periods`): the day the period starts is not
counted; months end on the corresponding day; a last day that is a rest day moves to the
next working day. **Only weekends are known** unless the caller passes the year's statutory
holidays (``rest_days=RestDays(holidays=...)``): a deadline falling on a public holiday is
otherwise too early by the length of the holiday.

>>> import datetime as dt
>>> from civilaffairs.casework.appeals import appeal_deadlines, appeal_state
>>> d = appeal_deadlines("reconsideration", dt.date(2024, 3, 1))
>>> d.filing
datetime.date(2024, 4, 30)
>>> s = appeal_state("reconsideration", dt.date(2024, 3, 1), on=dt.date(2024, 8, 1),
...                  filed_on=dt.date(2024, 4, 2), accepted_on=dt.date(2024, 4, 3))
>>> s.status, s.timely, s.decision_due
('overdue', True, datetime.date(2024, 6, 3))
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

import attrs

from civilaffairs.casework.periods import (
    CIVIL_PROCEDURE_PERIODS,
    RestDays,
    add_days,
    add_months,
    add_years,
)
from civilaffairs.checks import CheckDecision, Context
from civilaffairs.errors import CivilAffairsError

__all__ = [
    "LITIGATION_LAW",
    "OUTCOMES",
    "RECONSIDERATION_LAW",
    "AppealDeadlines",
    "AppealError",
    "AppealState",
    "Deadline",
    "appeal_deadlines",
    "appeal_state",
]

Kind = Literal["reconsideration", "lawsuit"]

#: 中华人民共和国行政复议法 (2023 修订).
RECONSIDERATION_LAW = (
    "中华人民共和国行政复议法（2023年9月1日修订，主席令第9号，2024年1月1日起施行；"
    "https://www.npc.gov.cn/npc/c2/c30834/202309/t20230901_431409.html）"
)
#: 中华人民共和国行政诉讼法 (2017 修正).
LITIGATION_LAW = (
    "中华人民共和国行政诉讼法（2017年6月27日修正，2017年7月1日起施行；"
    "https://www.npc.gov.cn/zgrdw/npc/xinwen/2017-06/29/content_2024894.htm）"
)
_SPC_2018 = "最高人民法院关于适用《中华人民共和国行政诉讼法》的解释（法释〔2018〕1号）"

#: Outcomes of a reconsideration or lawsuit, and whether each changes the decision appealed.
OUTCOMES: dict[str, bool] = {
    "upheld": False,  # 维持
    "dismissed": False,  # 驳回
    "withdrawn": False,  # 撤回、终止
    "changed": True,  # 变更
    "revoked": True,  # 撤销
    "confirmed_unlawful": True,  # 确认违法
    "ordered_to_act": True,  # 责令履行
}


class AppealError(CivilAffairsError, ValueError):
    """Appeal dates or options that cannot be right (复议诉讼日期或选项错误)."""

    code = "appeal_error"
    title_zh = "复议诉讼日期错误"


@attrs.frozen
class Deadline:
    """One period: its start (not counted), its length, the last day (moved past rest days)
    and the rule.

    :param name: ``file``, ``file_outer``, ``decide``, ``decide_extended``, ``sue``, ...
    """

    name: str
    zh: str
    en: str
    start: _dt.date
    period: str
    last_day: _dt.date
    basis: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "name": self.name,
            "zh": self.zh,
            "en": self.en,
            "start": self.start.isoformat(),
            "period": self.period,
            "last_day": self.last_day.isoformat(),
            "basis": self.basis,
        }


def _date(value: object, path: str) -> _dt.date:
    from civilaffairs.standards.values import parse_on

    try:
        return parse_on(value)
    except CivilAffairsError as exc:
        raise AppealError(exc.message, path=path, zh=exc.message_zh) from None


class _Builder:
    def __init__(self, ctx: Context, rest: RestDays) -> None:
        self.ctx = ctx
        self.rest = rest
        self.items: list[Deadline] = []

    def add(
        self,
        name: str,
        start: _dt.date,
        *,
        days: int = 0,
        months: int = 0,
        years: int = 0,
        zh: str,
        en: str,
        basis: str,
    ) -> Deadline:
        if days:
            end, period = add_days(start, days), f"{days} days"
        elif months:
            end, period = add_months(start, months), f"{months} months"
        else:
            end, period = add_years(start, years), f"{years} years"
        last = self.rest.next_working_day(end)
        self.ctx.step(
            name,
            f"{start.isoformat()} + {period}"
            + (f" = {end.isoformat()}, moved past rest days" if last != end else ""),
            result=last,
        )
        d = Deadline(name, zh, en, start, period, last, basis)
        self.items.append(d)
        return d


@attrs.frozen
class AppealDeadlines:
    """The periods of one appeal (复议或诉讼期限).

    :param kind: ``"reconsideration"`` or ``"lawsuit"``.
    :param served_on: the day the party knew (or should have known) of the decision.
    :param deadlines: every period computed.
    :param filing: the last day to file: the earliest of the filing limits that apply.
    :param decision_due: the last day for the reconsideration decision (when accepted).
    :param explanation: the recorded steps and conditions.
    :param weekends_only: no statutory holiday was given: only weekends moved a last day.
    """

    kind: str
    served_on: _dt.date
    deadlines: tuple[Deadline, ...]
    filing: _dt.date
    decision_due: _dt.date | None
    explanation: CheckDecision
    weekends_only: bool

    def get(self, name: str) -> Deadline | None:
        """The deadline called *name*, if computed."""
        return next((d for d in self.deadlines if d.name == name), None)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON form."""
        return {
            "kind": self.kind,
            "served_on": self.served_on.isoformat(),
            "filing": self.filing.isoformat(),
            "decision_due": None if self.decision_due is None else self.decision_due.isoformat(),
            "deadlines": [d.to_dict() for d in self.deadlines],
            "weekends_only": self.weekends_only,
            "explanation": self.explanation.to_dict(lang),
        }


def appeal_deadlines(
    kind: Kind,
    served_on: _dt.date | str,
    *,
    informed: bool = True,
    informed_on: _dt.date | str | None = None,
    act_date: _dt.date | str | None = None,
    real_property: bool = False,
    accepted_on: _dt.date | str | None = None,
    simplified: bool = False,
    extended: bool = False,
    reconsideration_decision_on: _dt.date | str | None = None,
    reconsideration_due: _dt.date | str | None = None,
    rest_days: RestDays | None = None,
    registry: Any = None,
) -> AppealDeadlines:
    """The periods of a reconsideration or lawsuit against a decision served on
    *served_on*.

    :param kind: ``"reconsideration"`` (行政复议) or ``"lawsuit"`` (行政诉讼).
    :param served_on: the day the party knew or should have known of the decision (for a
        notice, the day it was served).
    :param informed: whether the decision told the party of the right to appeal, the organ
        and the period; if not, the filing period counts from *informed_on* and is at most
        one year from *served_on*.
    :param informed_on: when an uninformed party learned of the right and the period.
    :param act_date: the day the decision was made, for the 5-year (20 for real property)
        outer limit.
    :param real_property: the decision concerns real property (不动产).
    :param accepted_on: reconsideration: the day the application was accepted (受理).
    :param simplified: reconsideration under the simplified procedure (简易程序).
    :param extended: reconsideration decision period extended (延长).
    :param reconsideration_decision_on: lawsuit after reconsideration: the day the party
        received the reconsideration decision.
    :param reconsideration_due: lawsuit after reconsideration that was not decided: the last
        day of the decision period.
    :param rest_days: the rest days (default: weekends only).
    :raises AppealError: for dates in the wrong order or options that do not fit *kind*.
    """
    if kind not in ("reconsideration", "lawsuit"):
        raise AppealError(
            f"kind must be 'reconsideration' or 'lawsuit', got {kind!r}",
            path="kind",
            zh=f"类型应为 reconsideration（行政复议）或 lawsuit（行政诉讼），实为 {kind!r}",
        )
    served = _date(served_on, "served_on")
    rest = rest_days if rest_days is not None else RestDays()
    ctx = Context(registry, served)
    b = _Builder(ctx, rest)
    act = _date(act_date, "act_date") if act_date is not None else None
    if act is not None and act > served:
        raise AppealError(
            "act_date is after served_on: a decision is made before it is served",
            path="act_date",
            zh="作出日期晚于送达日期",
        )
    learned = _date(informed_on, "informed_on") if informed_on is not None else None
    if learned is not None and learned < served:
        raise AppealError(
            "informed_on is before served_on", path="informed_on", zh="知道权利日期早于送达日期"
        )
    limits: list[Deadline] = []
    decision_due: _dt.date | None = None
    if kind == "reconsideration":
        if reconsideration_decision_on is not None or reconsideration_due is not None:
            raise AppealError(
                "reconsideration_decision_on and reconsideration_due belong to a lawsuit",
                path="kind",
                zh="复议决定送达日期仅适用于行政诉讼",
            )
        article = f"{RECONSIDERATION_LAW}第二十条"
        if informed or learned is not None:
            limits.append(
                b.add(
                    "file",
                    served if informed else learned,  # type: ignore[arg-type]
                    days=60,
                    zh="申请行政复议期限",
                    en="time to apply for reconsideration",
                    basis=f"{article}第一款：自知道或者应当知道该行政行为之日起六十日内"
                    + ("" if informed else "；第三款：自知道申请权利、复议机关和期限之日起计算"),
                )
            )
        if not informed:
            limits.append(
                b.add(
                    "file_uninformed",
                    served,
                    years=1,
                    zh="未告知复议权利和期限时的最长期限",
                    en="longest time when not told of the right and the period",
                    basis=f"{article}第三款：自知道或者应当知道行政行为内容之日起最长不得超过一年",
                )
            )
        if act is not None:
            limits.append(
                b.add(
                    "file_outer",
                    act,
                    years=20 if real_property else 5,
                    zh="最长申请期限（自行政行为作出之日起）",
                    en="outer limit from the day of the act",
                    basis=f"{RECONSIDERATION_LAW}第二十一条：因不动产二十年、其他五年，不予受理",
                )
            )
        if accepted_on is not None:
            accepted = _date(accepted_on, "accepted_on")
            if accepted < served:
                raise AppealError(
                    "accepted_on is before served_on", path="accepted_on", zh="受理日期早于送达日期"
                )
            if simplified and extended:
                raise AppealError(
                    "the simplified procedure has no extension (简易程序不延长)",
                    path="extended",
                    zh="简易程序不适用延长",
                )
            a62 = f"{RECONSIDERATION_LAW}第六十二条"
            if simplified:
                due = b.add(
                    "decide",
                    accepted,
                    days=30,
                    zh="简易程序复议决定期限",
                    en="decision period, simplified procedure",
                    basis=f"{a62}第二款：自受理申请之日起三十日内作出行政复议决定",
                )
            else:
                due = b.add(
                    "decide",
                    accepted,
                    days=60,
                    zh="普通程序复议决定期限",
                    en="decision period, ordinary procedure",
                    basis=f"{a62}第一款：自受理申请之日起六十日内作出行政复议决定",
                )
                if extended:
                    due = b.add(
                        "decide_extended",
                        add_days(accepted, 60),
                        days=30,
                        zh="延长后的复议决定期限",
                        en="decision period as extended",
                        basis=f"{a62}第一款：情况复杂的，经批准可以延长，延长期限最多不得超过三十日",
                    )
            decision_due = due.last_day
    else:
        if accepted_on is not None or simplified or extended:
            raise AppealError(
                "accepted_on, simplified and extended belong to a reconsideration",
                path="kind",
                zh="受理日期、简易程序和延长仅适用于行政复议",
            )
        if reconsideration_decision_on is not None or reconsideration_due is not None:
            if reconsideration_decision_on is not None:
                got = _date(reconsideration_decision_on, "reconsideration_decision_on")
                start, what = got, "收到复议决定书之日"
            else:
                start = _date(reconsideration_due, "reconsideration_due")
                what = "复议期满之日"
            if start < served:
                raise AppealError(
                    "the reconsideration date is before served_on",
                    path="reconsideration_decision_on",
                    zh="复议决定日期早于送达日期",
                )
            limits.append(
                b.add(
                    "sue",
                    start,
                    days=15,
                    zh="复议后提起诉讼期限",
                    en="time to sue after reconsideration",
                    basis=f"{LITIGATION_LAW}第四十五条：自{what}起十五日内向人民法院提起诉讼",
                )
            )
        else:
            if informed or learned is not None:
                limits.append(
                    b.add(
                        "sue",
                        served if informed else learned,  # type: ignore[arg-type]
                        months=6,
                        zh="直接提起诉讼期限",
                        en="time to sue directly",
                        basis=f"{LITIGATION_LAW}第四十六条第一款：自知道或者应当知道作出行政行为之日起"
                        "六个月内提出",
                    )
                )
            if not informed:
                limits.append(
                    b.add(
                        "sue_uninformed",
                        served,
                        years=1,
                        zh="未告知起诉期限时的最长期限",
                        en="longest time when not told of the right and the period",
                        basis=f"{_SPC_2018}第六十四条：从知道或者应当知道行政行为内容之日起最长"
                        "不得超过一年",
                    )
                )
            if act is not None:
                limits.append(
                    b.add(
                        "sue_outer",
                        act,
                        years=20 if real_property else 5,
                        zh="最长起诉期限（自行政行为作出之日起）",
                        en="outer limit from the day of the act",
                        basis=f"{LITIGATION_LAW}第四十六条第二款：因不动产二十年、其他五年，不予受理",
                    )
                )
    filing = min(d.last_day for d in limits)
    ctx.condition(
        "informed",
        informed,
        zh="行政决定已告知申请权利、机关和期限",
        en="the decision told the party of the right, the organ and the period",
        basis=RECONSIDERATION_LAW if kind == "reconsideration" else _SPC_2018,
    )
    ctx.fact("filing", filing.isoformat())
    ctx.fact("counting", CIVIL_PROCEDURE_PERIODS)
    if rest.weekends_only:
        ctx.fact(
            "rest_days",
            "only weekends are known; statutory holidays not given "
            "(仅按周末顺延，未提供法定节假日)",
        )
    explanation = ctx.decide(kind, "deadlines", passed=True)
    return AppealDeadlines(
        kind, served, tuple(b.items), filing, decision_due, explanation, rest.weekends_only
    )


@attrs.frozen
class AppealState:
    """Where an appeal stands on a day (复议诉讼状态).

    :param status: ``not_filed`` (time still runs), ``time_expired`` (not filed, time
        over), ``pending`` (filed, not decided, within time), ``overdue`` (filed, not
        decided, the decision period over), ``decided``.
    :param filed: whether it was filed.
    :param timely: filed within time (``None`` if not filed).
    :param decided: whether it was decided.
    :param outcome: the outcome (:data:`OUTCOMES`), if decided.
    :param changed: whether the decision appealed was changed (``None`` if not decided).
    :param new_decision: the id of the decision that replaced it, as the caller links it.
    :param decision_due: the last day for the decision, where known.
    :param deadlines: the periods.
    """

    kind: str
    on: _dt.date
    status: str
    filed: bool
    timely: bool | None
    decided: bool
    outcome: str | None
    changed: bool | None
    new_decision: str | None
    decision_due: _dt.date | None
    deadlines: AppealDeadlines

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON form."""
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "status": self.status,
            "filed": self.filed,
            "timely": self.timely,
            "decided": self.decided,
            "outcome": self.outcome,
            "changed": self.changed,
            "new_decision": self.new_decision,
            "decision_due": None if self.decision_due is None else self.decision_due.isoformat(),
            "deadlines": self.deadlines.to_dict(lang),
        }


def appeal_state(
    kind: Kind,
    served_on: _dt.date | str,
    *,
    on: _dt.date | str,
    filed_on: _dt.date | str | None = None,
    decided_on: _dt.date | str | None = None,
    outcome: str | None = None,
    new_decision: str | None = None,
    trial_months: int | None = None,
    **deadline_options: Any,
) -> AppealState:
    """The state of an appeal on *on*.

    :param filed_on: the day it was filed (申请或起诉之日).
    :param decided_on: the day it was decided.
    :param outcome: one of :data:`OUTCOMES` (required with *decided_on*).
    :param new_decision: the id of the decision that replaced the one appealed, when it was
        changed; the caller links it.
    :param trial_months: a lawsuit's trial period in months, counted from *filed_on*; not
        set by default (the court's period is not modelled), and then a lawsuit is never
        ``overdue``.
    :param deadline_options: passed to :func:`appeal_deadlines` (``accepted_on``, ...).
    :raises AppealError: for dates in the wrong order or an unknown outcome.
    """
    day = _date(on, "on")
    deadlines = appeal_deadlines(kind, served_on, **deadline_options)
    filed = _date(filed_on, "filed_on") if filed_on is not None else None
    decided = _date(decided_on, "decided_on") if decided_on is not None else None
    if filed is not None and filed < deadlines.served_on:
        raise AppealError(
            "filed_on is before served_on", path="filed_on", zh="申请日期早于送达日期"
        )
    if decided is not None and (filed is None or decided < filed):
        raise AppealError(
            "decided_on needs filed_on on or before it",
            path="decided_on",
            zh="决定日期须晚于申请日期",
        )
    if (decided is None) != (outcome is None):
        raise AppealError(
            "give decided_on and outcome together", path="outcome", zh="决定日期与结果须同时给出"
        )
    if outcome is not None and outcome not in OUTCOMES:
        raise AppealError(
            f"unknown outcome {outcome!r} (known: {', '.join(OUTCOMES)})",
            path="outcome",
            zh=f"未知的结果 {outcome!r}",
        )
    changed = OUTCOMES[outcome] if outcome is not None else None
    if new_decision is not None and not changed:
        raise AppealError(
            "new_decision is linked only when the decision was changed",
            path="new_decision",
            zh="仅在原决定被变更或撤销时关联新决定",
        )
    decision_due = deadlines.decision_due
    if kind == "lawsuit" and trial_months is not None and filed is not None:
        decision_due = add_months(filed, trial_months)
    if decided is not None and decided <= day:
        status = "decided"
    elif filed is not None and filed <= day:
        status = "overdue" if decision_due is not None and day > decision_due else "pending"
    else:
        status = "time_expired" if day > deadlines.filing else "not_filed"
    return AppealState(
        kind=kind,
        on=day,
        status=status,
        filed=filed is not None and filed <= day,
        timely=None if filed is None else filed <= deadlines.filing,
        decided=status == "decided",
        outcome=outcome if status == "decided" else None,
        changed=changed if status == "decided" else None,
        new_decision=new_decision if status == "decided" else None,
        decision_due=decision_due,
        deadlines=deadlines,
    )
