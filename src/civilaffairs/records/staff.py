"""Caseworkers, approving officials and their declared relatives (工作人员及近亲属备案).

最低生活保障审核确认办法 (民发〔2021〕57号) requires applications by relatives of the staff
who handle them to be declared (备案); the store keeps each declared relative by pseudonym
(never the number), so the audits can match them against the caseload
(:func:`civilaffairs.records.caseload.relatives`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from civilaffairs.records.errors import NotFound, RecordsError

if TYPE_CHECKING:
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.store import Store

__all__ = ["ROLES", "assign_case", "declare_relative", "set_staff"]

#: The roles of staff: caseworker (经办人), approver (审批人), or both.
ROLES = ("caseworker", "approver", "both")


def set_staff(store: Store, staff_id: str, role: str, region: str | None = None) -> None:
    """Add or update a staff member.

    :raises RecordsError: for an unknown role or an empty id.
    """
    from civilaffairs.records.models import Staff

    if role not in ROLES:
        raise RecordsError(
            f"role must be one of {', '.join(ROLES)} (角色无效)",
            path="--role",
            zh=f"角色应为 {', '.join(ROLES)} 之一",
        )
    if not staff_id.strip() or len(staff_id) > 64:
        raise RecordsError(
            "a staff id is 1 to 64 characters (工作人员编号无效)",
            path="STAFF",
            zh="工作人员编号应为 1 至 64 个字符",
        )
    with store.writing() as session:
        row = session.get(Staff, staff_id)
        if row is None:
            session.add(Staff(id=staff_id, role=role, region=region))
        else:
            row.role = role
            if region is not None:
                row.region = region


def declare_relative(
    store: Store, staff_id: str, resident_id: str, relation: str, *, protector: Protector
) -> str:
    """Declare that the person with *resident_id* is *staff_id*'s *relation*; return the
    masked ID. The number is kept only as its pseudonym and masked form.

    :raises NotFound: if the staff member is not recorded.
    :raises InvalidIdentifier: if *resident_id* is not a valid resident ID.
    """
    from sqlalchemy import select

    from civilaffairs.ids import ResidentId, mask
    from civilaffairs.records.models import Staff, StaffRelative

    rid = ResidentId.parse(resident_id.strip())
    key = protector.person_key(rid.unmasked)
    masked = mask(rid.unmasked)
    with store.writing() as session:
        if session.get(Staff, staff_id) is None:
            raise NotFound(
                f"no staff member {staff_id!r} is recorded: add them with 'records staff' "
                "(未找到该工作人员)",
                path="STAFF",
                zh=f"未找到工作人员 {staff_id!r}：请先用 'records staff' 登记",
            )
        row = session.scalar(
            select(StaffRelative).where(
                StaffRelative.staff_id == staff_id, StaffRelative.person_key == key
            )
        )
        if row is None:
            session.add(
                StaffRelative(
                    staff_id=staff_id, person_key=key, person_masked=masked, relation=relation
                )
            )
        else:
            row.relation = relation
    return masked


def assign_case(
    store: Store,
    household_id: str,
    *,
    caseworker: str | None = None,
    approver: str | None = None,
    protector: Protector | None = None,
) -> str:
    """Name the caseworker and approver of a recorded case; return its stored id.

    :raises NotFound: if the case or a staff member is not recorded.
    """
    from sqlalchemy import select

    from civilaffairs.records.models import ApplicationRow, Staff

    candidates = [household_id]
    if protector is not None:
        candidates.append(protector.case_id(household_id))
    with store.writing() as session:
        app = session.scalar(
            select(ApplicationRow).where(ApplicationRow.household_id.in_(candidates))
        )
        if app is None:
            raise NotFound(
                "no such case is recorded (未找到该户的案卷)",
                path="HOUSEHOLD",
                zh="未找到该户的案卷",
            )
        for staff_id in (caseworker, approver):
            if staff_id is not None and session.get(Staff, staff_id) is None:
                raise NotFound(
                    f"no staff member {staff_id!r} is recorded: add them with 'records staff' "
                    "(未找到该工作人员)",
                    path="STAFF",
                    zh=f"未找到工作人员 {staff_id!r}：请先用 'records staff' 登记",
                )
        if caseworker is not None:
            app.caseworker_id = caseworker
        if approver is not None:
            app.approver_id = approver
        return str(app.household_id)
