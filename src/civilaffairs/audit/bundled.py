"""The bundled integrity audit checks (内置审计规则), each with its basis.

=================================  =======================================================
id                                 what it flags
=================================  =======================================================
``audit.duplicate_person``         the same person in two households or two counties in
                                   one month
``audit.paid_after_death``         a payment for a month after the month of death
``audit.income_above_standard``    dibao paid while the per-capita income is not below the
                                   standard
``audit.overlapping_tiers``        dibao and 特困 support for one person in one month
``audit.staff_relative``           a declared relative of the caseworker or the approver
                                   (关系保: check the 备案 and the recusal)
``audit.asset_match``              a vehicle, business or other external match, against the
                                   asset rules of the region (audit month only)
``audit.review_overdue``           the periodic review is overdue (audit month only)
=================================  =======================================================

Sources: 社会救助暂行办法 (国务院令第649号) arts. 9, 10, 13, 14; 最低生活保障审核确认办法
(民发〔2021〕57号) arts. 4 and 7 (application by household at the place of registration; the
members of one household) read in a reproduction of the text; 特困人员认定办法 (民发〔2021〕43号)
art. 24 (support ends on death). Where a rule was not found in a national text the basis
says so: the overlapping-tiers check reads 社会救助暂行办法 art. 14 as the library's dibao
programme does (a 特困 person is not also in the dibao household) and is provisional; the
staff-relatives check names the 备案 duty of 民发〔2021〕57号 whose article number was not
verified, with a prefecture notice that applies it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.audit.model import AuditCheck, AuditData, Finding, fill, fill_row, yuan, yuan_text

__all__ = [
    "ASSET_MATCH",
    "BUNDLED_CHECKS",
    "DUPLICATE_PERSON",
    "INCOME_ABOVE_STANDARD",
    "OVERLAPPING_TIERS",
    "PAID_AFTER_DEATH",
    "REVIEW_OVERDUE",
    "STAFF_RELATIVE",
]

DECREE_649 = "社会救助暂行办法（国务院令第649号）"
MINZHENG_57 = "最低生活保障审核确认办法（民政部 民发〔2021〕57号，2021-06-11）"
TEKUN_43 = "特困人员认定办法（民政部 民发〔2021〕43号）"


def _result(
    rows: pa.Array,
    zh: pa.Array,
    en: pa.Array,
    severity: pa.Array | None = None,
    basis: pa.Array | None = None,
) -> pa.Table:
    cols: dict[str, pa.Array] = {"_row": rows, "detail_zh": zh, "detail_en": en}
    if severity is not None:
        cols["severity"] = severity
    if basis is not None:
        cols["basis"] = basis
    return pa.table(cols)


def _take(data: AuditData, name: str, rows: pa.Array) -> pa.Array:
    return pc.take(data.column(name), rows)


def _codes(data: AuditData, name: str) -> np.ndarray:
    """Integer codes of a caseload column (equal values, equal codes), computed once."""

    def build() -> np.ndarray:
        encoded = pc.dictionary_encode(data.column(name))
        codes: np.ndarray = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return codes

    result: np.ndarray = data.memo(f"codes:{name}", build)
    return result


def _person_month(data: AuditData) -> np.ndarray:
    """One integer per (person, month) pair, computed once."""

    def build() -> np.ndarray:
        months = _codes(data, "month")
        width = int(months.max()) + 1 if len(months) else 1
        key: np.ndarray = _codes(data, "person_key") * width + months
        return key

    result: np.ndarray = data.memo("person_month", build)
    return result


def _distinct_per_row(
    data: AuditData, values: str, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each row of *mask* (all rows by default): the number of distinct *values* among
    the rows of the same person and month that are in *mask*. Returns the row numbers and
    the counts, in row order (numpy: sort and search, no loop over rows)."""
    group = _person_month(data)
    vals = _codes(data, values)
    rows = np.arange(len(group)) if mask is None else np.flatnonzero(mask)
    if len(rows) == 0:
        return rows, rows
    g, v = group[rows], vals[rows]
    width = int(vals.max()) + 1
    pairs = np.sort(g * width + v)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    owner = pairs // width
    starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    groups = owner[starts]
    counts = np.diff(np.append(starts, len(owner)))
    return rows, counts[np.searchsorted(groups, g)]


# -- the same person twice -----------------------------------------------------------------

_DUP_ZH = "同一人 {month} 在 {households} 个家庭、{regions} 个县（区）领取"
_DUP_EN = "the same person is paid in {households} households ({regions} county codes) in {month}"


def _dup_columns(data: AuditData) -> pa.Table:
    rows, n = _distinct_per_row(data, "household_id")
    _, r = _distinct_per_row(data, "region")
    flag = (n > 1) | (r > 1)
    rows = pa.array(rows[flag], pa.int64())
    n, r = pa.array(n[flag]), pa.array(r[flag])
    month = _take(data, "month", rows)
    return _result(
        rows,
        fill(_DUP_ZH, month=month, households=n, regions=r),
        fill(_DUP_EN, month=month, households=n, regions=r),
    )


def _dup_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    same = data.person_month(row["person_key"], row["month"])
    n = len({r["household_id"] for r in same})
    m = len({r["region"] for r in same})
    if n <= 1 and m <= 1:
        return []
    values = {"month": row["month"], "households": n, "regions": m}
    return [Finding(fill_row(_DUP_ZH, **values), fill_row(_DUP_EN, **values))]


DUPLICATE_PERSON = AuditCheck(
    "audit.duplicate_person",
    "同一人重复享受",
    "the same person twice",
    f"{MINZHENG_57}第四条：以家庭为单位向户籍所在地乡镇人民政府（街道办事处）申请；第七条：共同"
    "生活的家庭成员（一人只属于一个共同生活家庭）",
    "high",
    _dup_columns,
    _dup_single,
    description_zh="同一人（按身份证号散列）同月出现在两个家庭或两个县（区）。",
    description_en="One person (by pseudonym) in two households or two counties in one month.",
)


# -- paid after death ----------------------------------------------------------------------

_DEATH_ZH = "死亡日期 {death_date}，{month} 仍发放 {paid} 元"
_DEATH_EN = "died on {death_date}; {paid} yuan paid for {month}"


def _death_columns(data: AuditData) -> pa.Table:
    death = data.column("death_date")
    died_month = pc.strftime(pc.cast(death, pa.timestamp("s")), format="%Y-%m")
    flag = pc.and_(
        pc.greater(data.column("month"), died_month), pc.greater(data.column("paid_fen"), 0)
    )
    rows = pc.filter(data.rows, pc.fill_null(flag, False))
    month, paid, died = (
        _take(data, "month", rows),
        yuan_text(_take(data, "paid_fen", rows)),
        _take(data, "death_date", rows),
    )
    return _result(
        rows,
        fill(_DEATH_ZH, death_date=died, month=month, paid=paid),
        fill(_DEATH_EN, death_date=died, month=month, paid=paid),
    )


def _death_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    died = row["death_date"]
    if died is None or row["paid_fen"] <= 0 or row["month"] <= f"{died:%Y-%m}":
        return []
    values = {"death_date": died, "month": row["month"], "paid": yuan(row["paid_fen"])}
    return [Finding(fill_row(_DEATH_ZH, **values), fill_row(_DEATH_EN, **values))]


PAID_AFTER_DEATH = AuditCheck(
    "audit.paid_after_death",
    "死亡后仍发放",
    "paid after death",
    f"{DECREE_649}第十三条：家庭人口状况发生变化的，县级民政部门决定增发、减发或者停发；"
    f"{TEKUN_43}第二十四条：死亡或者被宣告死亡的，终止救助供养",
    "high",
    _death_columns,
    _death_single,
    description_zh="发放月份晚于死亡日期所在月份（民政、公安死亡信息比对）。",
    description_en="A payment month after the month of death (civil-registration match).",
)


# -- income not below the standard ---------------------------------------------------------

_INCOME_ZH = "家庭月人均收入 {income} 元不低于低保标准 {standard} 元，{month} 仍发放 {paid} 元"
_INCOME_EN = (
    "per-capita income {income} yuan is not below the standard {standard} yuan; "
    "{paid} yuan paid for {month}"
)


def _income_columns(data: AuditData) -> pa.Table:
    flag = pc.and_(
        pc.and_(pc.equal(data.column("program"), "dibao"), pc.greater(data.column("paid_fen"), 0)),
        pc.greater_equal(data.column("income_pc_fen"), data.column("standard_fen")),
    )
    rows = pc.filter(data.rows, pc.fill_null(flag, False))
    values = {
        "income": yuan_text(_take(data, "income_pc_fen", rows)),
        "standard": yuan_text(_take(data, "standard_fen", rows)),
        "month": _take(data, "month", rows),
        "paid": yuan_text(_take(data, "paid_fen", rows)),
    }
    return _result(rows, fill(_INCOME_ZH, **values), fill(_INCOME_EN, **values))


def _income_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    income, std = row["income_pc_fen"], row["standard_fen"]
    if row["program"] != "dibao" or row["paid_fen"] <= 0 or income is None or std is None:
        return []
    if income < std:
        return []
    values = {
        "income": yuan(income),
        "standard": yuan(std),
        "month": row["month"],
        "paid": yuan(row["paid_fen"]),
    }
    return [Finding(fill_row(_INCOME_ZH, **values), fill_row(_INCOME_EN, **values))]


INCOME_ABOVE_STANDARD = AuditCheck(
    "audit.income_above_standard",
    "收入不低于标准仍发放低保",
    "dibao paid while income is not below the standard",
    f"{DECREE_649}第九条：共同生活的家庭成员人均收入低于当地最低生活保障标准；第十三条：家庭收入"
    "状况发生变化的，决定增发、减发或者停发",
    "medium",
    _income_columns,
    _income_single,
    description_zh="低保家庭最近一次核定的月人均收入不低于所适用的低保标准，仍在发放。",
    description_en="A dibao household's last assessed per-capita income is not below the "
    "standard applied, and it is still paid.",
)


# -- dibao and tekun together --------------------------------------------------------------

_TIERS = ("dibao", "tekun")
_TIERS_ZH = "{month} 同时享受低保和特困供养（本行：{program}）"
_TIERS_EN = "both dibao and tekun support in {month} (this row: {program})"


def _tiers_columns(data: AuditData) -> pa.Table:
    mask = pc.is_in(data.column("program"), value_set=pa.array(_TIERS))
    rows, n = _distinct_per_row(data, "program", mask.to_numpy(zero_copy_only=False))
    rows = pa.array(rows[n == 2], pa.int64())
    month, program = _take(data, "month", rows), _take(data, "program", rows)
    return _result(
        rows,
        fill(_TIERS_ZH, month=month, program=program),
        fill(_TIERS_EN, month=month, program=program),
    )


def _tiers_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    if row["program"] not in _TIERS:
        return []
    held = {r["program"] for r in data.person_month(row["person_key"], row["month"])}
    if not set(_TIERS) <= held:
        return []
    values = {"month": row["month"], "program": row["program"]}
    return [Finding(fill_row(_TIERS_ZH, **values), fill_row(_TIERS_EN, **values))]


OVERLAPPING_TIERS = AuditCheck(
    "audit.overlapping_tiers",
    "低保与特困供养重复享受",
    "dibao and tekun support together",
    f"{DECREE_649}第十四条；{TEKUN_43}：特困人员由救助供养保障其基本生活，不再同时纳入最低生活"
    "保障家庭（暂定：与本库 dibao 项目同一解读，未见明文“不得同时享受”的全国条款）",
    "high",
    _tiers_columns,
    _tiers_single,
    description_zh="同一人同月既在低保名册又在特困供养名册。",
    description_en="One person on the dibao and the tekun rolls in the same month.",
)


# -- relatives of staff --------------------------------------------------------------------

_ROLES = (("caseworker_id", "经办人", "caseworker"), ("approver_id", "审批人", "approver"))
_REL_ZH = "{role_zh} {staff} 的已申报近亲属（{relation}）：核对近亲属备案及回避"
_REL_EN = "declared relative ({relation}) of the {role_en} {staff}: check the filing and recusal"


def _relations(data: AuditData) -> pa.Table:
    def build() -> pa.Table:
        rel = data.relatives
        g = rel.group_by(["staff_id", "person_key"], use_threads=False).aggregate(
            [("relation", "min")]
        )
        return g.rename_columns(["staff_id", "person_key", "relation"])

    table: pa.Table = data.memo("relations_table", build)
    return table


def _rel_columns(data: AuditData) -> pa.Table:
    rel = _relations(data)
    sep = "\x1f"
    rel_keys = pc.binary_join_element_wise(rel["staff_id"], rel["person_key"], sep)
    relation = rel["relation"].combine_chunks()
    parts = []
    for order, (col, zh, en) in enumerate(_ROLES):
        keys = pc.binary_join_element_wise(data.column(col), data.column("person_key"), sep)
        where = pc.index_in(keys, value_set=rel_keys)
        hit = pc.is_valid(where)
        rows = pc.filter(data.rows, hit)
        n = len(rows)
        if n == 0:
            continue
        staff = _take(data, col, rows)
        rel_of = pc.take(relation, pc.filter(where, hit))
        role_zh = pa.array([zh] * n, pa.string())
        role_en = pa.array([en] * n, pa.string())
        parts.append(
            pa.table(
                {
                    "_row": rows,
                    "_order": pa.array([order] * n, pa.int64()),
                    "detail_zh": fill(_REL_ZH, role_zh=role_zh, staff=staff, relation=rel_of),
                    "detail_en": fill(_REL_EN, role_en=role_en, staff=staff, relation=rel_of),
                }
            )
        )
    if not parts:
        empty = pa.array([], pa.string())
        return _result(pa.array([], pa.int64()), empty, empty)
    t = pa.concat_tables(parts).sort_by([("_row", "ascending"), ("_order", "ascending")])
    return t.drop_columns(["_order"])


def _rel_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    out = []
    for col, zh, en in _ROLES:
        staff = row[col]
        if staff is None:
            continue
        relation = data.relation(staff, row["person_key"])
        if relation is None:
            continue
        out.append(
            Finding(
                fill_row(_REL_ZH, role_zh=zh, staff=staff, relation=relation),
                fill_row(_REL_EN, role_en=en, staff=staff, relation=relation),
            )
        )
    return out


STAFF_RELATIVE = AuditCheck(
    "audit.staff_relative",
    "经办人、审批人近亲属（关系保）",
    "relative of the caseworker or approver",
    f"{MINZHENG_57}：最低生活保障经办人员和村（居）民委员会成员近亲属申请低保的实行备案管理"
    "（条文编号未核实；固原市民政局《关于进一步健全完善最低生活保障经办人员和村（居）民委员会近亲属"
    "享受最低生活保障待遇备案制度的通知》，2022-06-10，据此执行："
    "http://www.nxgy.gov.cn/zwgk/zcwj/qtwj/bmwi/202206/t20220610_3557574.html）",
    "medium",
    _rel_columns,
    _rel_single,
    description_zh="享受人员是经办该案的工作人员或审批人申报的近亲属：核对备案与回避。",
    description_en="The recipient is a declared relative of the staff who handled or approved "
    "the case: check the filing (备案) and the recusal.",
)


# -- external matches against the asset rules -----------------------------------------------

_ASSET_ZH = "外部数据比对：{kind}（{detail}）；{rule_zh}"
_ASSET_EN = "external match: {kind} ({detail}); {rule_en}"
_VEHICLE_BANNED = (
    "high",
    f"{DECREE_649}第九条：符合当地最低生活保障家庭财产状况规定；当地规定不允许拥有机动车"
    "（dibao.vehicle_allowed = false）",
    "当地低保财产规定不允许拥有机动车",
    "the region's dibao asset rules allow no motor vehicle",
)
_VEHICLE_ALLOWED = (
    "low",
    f"{DECREE_649}第九条、第十条：家庭财产状况规定由省级或设区的市级人民政府确定"
    "（dibao.vehicle_allowed = true）",
    "当地规定允许拥有机动车：核对车辆价值是否符合财产规定",
    "the region allows a vehicle: check its value against the asset rules",
)
_OTHER = (
    "medium",
    f"{DECREE_649}第九条、第十条：家庭财产状况规定由省级或设区的市级人民政府确定",
    "对照当地家庭财产状况规定核查",
    "check against the region's asset rules",
)


def _vehicle_rule(data: AuditData, region: str) -> tuple[str, str, str, str]:
    """The asset rule a vehicle of a dibao case in *region* meets, resolved once per region."""

    def build() -> dict[str, tuple[str, str, str, str]]:
        return {}

    cache: dict[str, tuple[str, str, str, str]] = data.memo("vehicle_rules", build)
    if region not in cache:
        try:
            allowed = data.registry.policy(
                "dibao", "vehicle_allowed", region, data.on.first_day
            ).value
        except Exception:  # an unknown region or urban/rural rules that differ
            allowed = None
        cache[region] = (
            _OTHER if allowed is None else _VEHICLE_ALLOWED if allowed else _VEHICLE_BANNED
        )
    return cache[region]


def _rule_of(data: AuditData, program: str, kind: str, region: str) -> tuple[str, str, str, str]:
    if kind == "vehicle" and program == "dibao":
        return _vehicle_rule(data, region)
    return _OTHER


def _asset_columns(data: AuditData) -> pa.Table:
    on = str(data.on)
    t = pa.table(
        {
            "person_key": data.column("person_key"),
            "_row": data.rows,
        }
    ).filter(
        pc.and_(
            pc.equal(data.column("month"), on),
            pc.is_in(data.column("person_key"), value_set=data.matches.column("person_key")),
        )
    )
    m = data.matches.append_column("_match", pa.array(range(data.matches.num_rows), pa.int64()))
    j = t.join(m, keys="person_key", join_type="inner", use_threads=False)
    j = j.sort_by([("_row", "ascending"), ("_match", "ascending")])
    rows = j["_row"].combine_chunks()
    kind = j["kind"].combine_chunks()
    detail = j["detail"].combine_chunks()
    program = _take(data, "program", rows)
    region = _take(data, "region", rows)
    # the rule per distinct (programme, kind, region): a lookup table, not a loop over rows
    keys = pc.binary_join_element_wise(program, kind, region, "\x1f")
    distinct = pc.unique(keys)
    rules = [_rule_of(data, *k.split("\x1f")) for k in distinct.to_pylist()]
    idx = pc.index_in(keys, value_set=distinct)
    sev, basis, rzh, ren = (pa.array([r[i] for r in rules], pa.string()) for i in range(4))
    zh = fill(_ASSET_ZH, kind=kind, detail=detail, rule_zh=pc.take(rzh, idx))
    en = fill(_ASSET_EN, kind=kind, detail=detail, rule_en=pc.take(ren, idx))
    return _result(rows, zh, en, pc.take(sev, idx), pc.take(basis, idx))


def _asset_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    if row["month"] != str(data.on):
        return []
    out = []
    for m in data.matches_of(row["person_key"]):
        sev, basis, rzh, ren = _rule_of(data, row["program"], m["kind"], row["region"])
        out.append(
            Finding(
                fill_row(_ASSET_ZH, kind=m["kind"], detail=m["detail"], rule_zh=rzh),
                fill_row(_ASSET_EN, kind=m["kind"], detail=m["detail"], rule_en=ren),
                severity=sev,
                basis=basis,
            )
        )
    return out


ASSET_MATCH = AuditCheck(
    "audit.asset_match",
    "车辆、工商等外部数据比对",
    "vehicle, business and other external matches",
    f"{DECREE_649}第九条、第十条",
    "medium",
    _asset_columns,
    _asset_single,
    description_zh="审计月份在保人员与车辆、工商登记等外部数据的比对结果，对照当地财产规定"
    "（低保机动车：政策参数 dibao.vehicle_allowed）。",
    description_en="Matches of the audit month's recipients against vehicle, business and "
    "other registers, against the region's asset rules (dibao vehicles: the policy point "
    "dibao.vehicle_allowed).",
)


# -- periodic review overdue ----------------------------------------------------------------

_REVIEW_ZH = "上次核查 {last_review}，应于 {due} 前核查（间隔 {months} 个月），{month} 仍未核查"
_REVIEW_EN = "last reviewed {last_review}; review was due {due} ({months}-month interval)"


def _add_months_np(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Column-wise :func:`civilaffairs.casework.periods.add_months` over day numbers."""
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    day = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months.astype("timedelta64[M]")
    length = (
        (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")
    ).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")
    result: np.ndarray = out.astype(np.int64)
    return result


def _interval(data: AuditData, category: str, region: str) -> int | None:
    """The interval of *category* in *region* as of the audit month, resolved once."""
    from civilaffairs.casework.review import review_interval

    def build() -> dict[tuple[str, str], int | None]:
        return {}

    cache: dict[tuple[str, str], int | None] = data.memo("review_intervals", build)
    key = (category, region)
    if key not in cache:
        try:
            months, _ = review_interval(category, region, data.on.first_day, registry=data.registry)
        except Exception:  # an unknown category or region: not tested
            months = None
        cache[key] = months
    return cache[key]


def _review_basis(category: str) -> str:
    from civilaffairs.casework.review import REVIEW_CATEGORIES

    return REVIEW_CATEGORIES[category].basis


def _review_columns(data: AuditData) -> pa.Table:
    on = str(data.on)
    mask = pc.and_(
        pc.equal(data.column("month"), on),
        pc.and_(
            pc.is_valid(data.column("last_review")), pc.is_valid(data.column("review_category"))
        ),
    )
    rows = pc.filter(data.rows, pc.fill_null(mask, False))
    cat = _take(data, "review_category", rows)
    region = _take(data, "region", rows)
    keys = pc.binary_join_element_wise(cat, region, "\x1f")
    distinct = pc.unique(keys)
    intervals = [_interval(data, *k.split("\x1f")) for k in distinct.to_pylist()]
    idx = pc.index_in(keys, value_set=distinct)
    months = pc.take(pa.array(intervals, pa.int64()), idx)
    known = pc.is_valid(months)
    rows, months, cat = (pc.filter(a, known) for a in (rows, months, cat))
    last = _take(data, "last_review", rows)
    days = pc.cast(last, pa.int32()).to_numpy(zero_copy_only=False)
    due_days = _add_months_np(days, months.to_numpy(zero_copy_only=False))
    first = np.datetime64(data.on.first_day, "D").astype(np.int64)
    over = due_days < first
    rows, months, cat, last = (pc.filter(a, pa.array(over)) for a in (rows, months, cat, last))
    due = pc.cast(pa.array(due_days[over].astype(np.int32), pa.int32()), pa.date32())
    month = _take(data, "month", rows)
    values = {"last_review": last, "due": due, "months": months, "month": month}
    distinct_cats = pc.unique(cat)
    bases = pa.array([_review_basis(c) for c in distinct_cats.to_pylist()], pa.string())
    basis = pc.take(bases, pc.index_in(cat, value_set=distinct_cats))
    return _result(rows, fill(_REVIEW_ZH, **values), fill(_REVIEW_EN, **values), basis=basis)


def _review_single(row: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    from civilaffairs.casework.review import REVIEW_CATEGORIES, next_review

    if row["month"] != str(data.on) or row["last_review"] is None:
        return []
    category = row["review_category"]
    if category not in REVIEW_CATEGORIES:
        return []
    try:
        schedule = next_review(
            category,
            row["last_review"],
            region=row["region"],
            registry=data.registry,
            policy_on=data.on.first_day,
        )
    except Exception:  # an unknown region: not tested
        return []
    if schedule.due is None or not schedule.overdue(data.on.first_day):
        return []
    values = {
        "last_review": row["last_review"],
        "due": schedule.due,
        "months": schedule.interval_months,
        "month": row["month"],
    }
    return [
        Finding(
            fill_row(_REVIEW_ZH, **values),
            fill_row(_REVIEW_EN, **values),
            basis=REVIEW_CATEGORIES[category].basis,
        )
    ]


REVIEW_OVERDUE = AuditCheck(
    "audit.review_overdue",
    "定期核查逾期",
    "periodic review overdue",
    f"{MINZHENG_57}：定期核查（每年或每半年）",
    "medium",
    _review_columns,
    _review_single,
    description_zh="审计月份在保、上次核查日期加核查间隔（政策参数）早于审计月份第一天。",
    description_en="In payment in the audit month, and the last review plus the interval (a "
    "policy point) falls before the audit month's first day.",
)

#: The bundled checks, in the order they run.
BUNDLED_CHECKS: tuple[AuditCheck, ...] = (
    DUPLICATE_PERSON,
    PAID_AFTER_DEATH,
    INCOME_ABOVE_STANDARD,
    OVERLAPPING_TIERS,
    STAFF_RELATIVE,
    ASSET_MATCH,
    REVIEW_OVERDUE,
)
