"""Primary-level self-government (基层群众自治): villagers' and residents' committees.

The checks of this module decide what the two organic laws decide with numbers:

* :data:`ELECTION` (``self_governance.election``): whether a committee election is valid and
  who is elected. 村民委员会组织法 art. 15 para. 2: the election is valid when **more than
  half** of the villagers registered to vote cast a ballot; a candidate is elected with
  **more than half** of the ballots cast; seats left unfilled go to an additional round
  (另行选举) in which the candidates with most votes are elected with **at least one third**
  of the ballots cast. The committee has 3 to 7 members (art. 6); a residents' committee 5 to
  9 (城市居民委员会组织法 art. 7). The residents' law sets no turnout or majority rule: the
  provincial implementing measures do (居组法 art. 22), so those are standard keys that
  provinces register, and without them the validity is *not determined*.
* :data:`RECALL` (``self_governance.recall``): recalling a member of a villagers' committee
  (村组法 art. 16): a petition of at least one fifth of the villagers entitled to vote or at
  least one third of the villager representatives; a vote with more than half of the
  registered villagers taking part, carried by more than half of those voting.
* :data:`MEETING` (``self_governance.meeting``): quorum and decision of a villagers' meeting
  (村组法 art. 22), a villager representatives' meeting (arts. 25 and 26), a villager
  group meeting (art. 28) and a residents' meeting (居组法 art. 9).
* :data:`TERM` (``self_governance.term``) and :func:`due_report`: when a committee's
  five-year term (村组法 art. 11, 居组法 art. 8) ends and how many days are left, for one
  record or, column-wise, for a whole table of committees.
* :data:`RULES_FILING` (``self_governance.village_rules_filing``): a 村规民约 or 村民自治章程
  adopted by the villagers' meeting and filed with the township government, and the review
  items of 村组法 art. 27.

Law cited: 中华人民共和国村民委员会组织法 (adopted 1998-11-04, revised 2010-10-28, amended
2018-12-29) and 中华人民共和国城市居民委员会组织法 (adopted 1989-12-26, amended 2018-12-29),
both amended by the NPC Standing Committee's decision of 2018-12-29; articles are those of
these texts. (Both laws were changed again on 2025-10-28 with effect from 2026-01-01, with
new article numbers; this module does not yet follow those texts.)

"以上" in these laws includes the number itself, "过半数" does not: at least one fifth is
``5 × n ≥ total``, more than half is ``2 × n > total``. Every threshold is computed as the
smallest whole count that satisfies it, in whole numbers, and shown as a step.

>>> from civilaffairs.modules.self_governance import ELECTION, Election
>>> from civilaffairs.convert import structure
>>> record = ELECTION.structure({
...     "type": "committee_election", "kind": "village", "registered_voters": 1000,
...     "ballots_cast": 600, "seats": 3,
...     "candidates": [{"name": "甲", "votes": 400}, {"name": "乙", "votes": 350},
...                    {"name": "丙", "votes": 200}, {"name": "丁", "votes": 150}]})
>>> decision = ELECTION(record, "2024-05-01").decisions[0]
>>> decision.passed, decision.outcome, decision.facts["unfilled_seats"]
(True, ('甲', '乙'), '1')
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
import math
import warnings
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from civilaffairs.checks import Check, Context
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import (
    ANY_LEVEL,
    ID_PATTERN,
    META,
    UNREAD,
    bool_field,
    date_field,
    describe,
    enum_field,
    int_field,
    items_field,
    record_field,
    region_field,
    region_problems,
    text_field,
)
from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

__all__ = [
    "ELECTION",
    "MEETING",
    "MODULE",
    "RECALL",
    "RULES_FILING",
    "TERM",
    "AdoptingBody",
    "Candidate",
    "CommitteeKind",
    "CommitteeTerm",
    "DueReportWarning",
    "Election",
    "ElectionRound",
    "FilingAuthority",
    "Meeting",
    "MeetingKind",
    "Recall",
    "ReviewItems",
    "RulesDocument",
    "RulesFiling",
    "at_least_fraction",
    "due_report",
    "due_report_with_errors",
    "more_than_half",
    "term_end",
]

#: Upper bound of any head count in these records (voters, households, members).
MAX_COUNT = 10_000_000
#: The national pseudo-region, used when a record names no region.
NATIONAL = "000000"

VILLAGE_LAW = "村民委员会组织法"
RESIDENTS_LAW = "城市居民委员会组织法"
_ART = {
    "size.village": f"{VILLAGE_LAW}第六条",
    "size.residents": f"{RESIDENTS_LAW}第七条",
    "term.village": f"{VILLAGE_LAW}第十一条第二款",
    "term.residents": f"{RESIDENTS_LAW}第八条第一款",
    "election.village": f"{VILLAGE_LAW}第十五条第二款",
    "election.residents": f"{RESIDENTS_LAW}第八条、第二十二条（省级实施办法）",
    "recall": f"{VILLAGE_LAW}第十六条",
    "villagers_meeting": f"{VILLAGE_LAW}第二十二条第一款",
    "representatives_composition": f"{VILLAGE_LAW}第二十五条第一款",
    "representatives_meeting": f"{VILLAGE_LAW}第二十六条第二款",
    "group_meeting": f"{VILLAGE_LAW}第二十八条第一款",
    "residents_meeting": f"{RESIDENTS_LAW}第九条第三款",
    "rules_adoption": f"{VILLAGE_LAW}第二十七条第一款",
    "rules_review": f"{VILLAGE_LAW}第二十七条第二款",
}


# ---------------------------------------------------------------------------------------------
# code lists


class CommitteeKind(LabelledEnum):
    """Which committee (委员会类别): villagers' (村民委员会) or residents' (居民委员会)."""

    VILLAGE = "village"
    RESIDENTS = "residents"


label(CommitteeKind, VILLAGE="村民委员会", RESIDENTS="居民委员会")


class ElectionRound(LabelledEnum):
    """The first vote of an election, or the additional round (另行选举) for seats left
    unfilled by it (村组法 art. 15 para. 2)."""

    FIRST = "first"
    ADDITIONAL = "additional"


label(ElectionRound, FIRST="第一次投票", ADDITIONAL="另行选举")


class MeetingKind(LabelledEnum):
    """Which meeting (会议类别)."""

    VILLAGERS = "villagers_meeting"
    REPRESENTATIVES = "villager_representatives_meeting"
    GROUP = "villager_group_meeting"
    RESIDENTS = "residents_meeting"


label(
    MeetingKind,
    VILLAGERS="村民会议",
    REPRESENTATIVES="村民代表会议",
    GROUP="村民小组会议",
    RESIDENTS="居民会议",
)

#: Alias: the body that adopted a document is the meeting that adopted it.
AdoptingBody = MeetingKind


class RulesDocument(LabelledEnum):
    """The document filed (备案文件): 村规民约 or 村民自治章程 (村组法 art. 27)."""

    VILLAGE_RULES = "village_rules"
    CHARTER = "self_governance_charter"


label(RulesDocument, VILLAGE_RULES="村规民约", CHARTER="村民自治章程")


class FilingAuthority(LabelledEnum):
    """Where the document was filed (备案机关)."""

    TOWNSHIP_GOVERNMENT = "township_government"
    COUNTY_GOVERNMENT = "county_government"
    OTHER = "other"


label(
    FilingAuthority,
    TOWNSHIP_GOVERNMENT="乡、民族乡、镇人民政府",
    COUNTY_GOVERNMENT="县级人民政府",
    OTHER="其他机关",
)


# ---------------------------------------------------------------------------------------------
# thresholds


def more_than_half(total: int) -> int:
    """The smallest whole count that is more than half of *total* (过半数).

    >>> more_than_half(1000), more_than_half(999), more_than_half(0)
    (501, 500, 1)
    """
    return total // 2 + 1


def at_least_fraction(total: int, numerator: int, denominator: int) -> int:
    """The smallest whole count that is at least *numerator*/*denominator* of *total*
    (…分之…以上, the number itself included).

    >>> at_least_fraction(600, 1, 3), at_least_fraction(601, 1, 3), at_least_fraction(30, 2, 3)
    (200, 201, 20)
    """
    return -(-total * numerator // denominator)


def _more_than_share(total: int, share: Decimal) -> int:
    """The smallest whole count that is more than *share* of *total*."""
    return math.floor(Decimal(total) * share) + 1


def _at_least_share(total: int, share: Decimal) -> int:
    """The smallest whole count that is at least *share* of *total*."""
    return math.ceil(Decimal(total) * share)


# ---------------------------------------------------------------------------------------------
# field helpers


def _count(*, optional: bool = False) -> Any:
    return int_field(minimum=0, maximum=MAX_COUNT, optional=optional)


def _optional_region() -> Any:
    """An optional GB/T 2260 code of any level (the check uses the national values when
    it is left out)."""

    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise ValidationError.single(
                attribute.name,
                f"expected a 6-digit division code as text, got {describe(value)} (应为文本)",
                zh=f"应为文本形式的6位行政区划代码，实为{describe(value, 'zh')}",
            )
        problem = region_problems(value, ANY_LEVEL)
        if problem:
            raise ValidationError.single(
                attribute.name, problem[0], "unknown_region", zh=problem[1]
            )

    return attrs.field(
        default=None,
        validator=check,
        metadata={META: {"type": "region", "levels": ANY_LEVEL, "nullable": True}},
    )


def _id(*, optional: bool = True) -> Any:
    return text_field(max_length=64, pattern=ID_PATTERN, optional=optional)


def _problem(path: str, en: str, zh: str, code: str = "invalid") -> FieldError:
    return FieldError(path, f"{en} ({zh})", code, zh=zh)


def _known(*values: Any) -> bool:
    return all(v is not UNREAD and v is not None for v in values)


def _raise(errors: list[FieldError], what: str) -> None:
    if errors:
        raise ValidationError(errors, what=what)


# ---------------------------------------------------------------------------------------------
# records


@attrs.frozen(kw_only=True)
class Candidate:
    """A candidate and the votes received (候选人及得票).

    :param name: the candidate's name: the caller's own data, shown in the outcome, never
        in an error message.
    :param votes: votes received (得票数).
    """

    name: str = text_field(max_length=100, personal=True, repr=lambda _: "***")
    votes: int = _count()


@attrs.frozen(kw_only=True)
class Election:
    """The count of one committee election (选举计票结果), the input of :data:`ELECTION`.

    :param kind: ``village`` or ``residents``.
    :param registered_voters: voters registered for the election (登记参加选举的人数).
    :param ballots_cast: ballots cast (参加投票人数).
    :param seats: seats to fill in this vote (应选名额); in the first vote, the size of the
        committee.
    :param candidates: every candidate with the votes received.
    :param round: ``first`` (the default when left out) or ``additional`` (另行选举).
    :param id: the election's identifier, shown as the decision's subject.
    :param region: GB/T 2260 code, for provincial values; national values without it.
    :param date: the day of the vote (选举日).
    """

    kind: CommitteeKind = enum_field(CommitteeKind)
    registered_voters: int = _count()
    ballots_cast: int = _count()
    seats: int = int_field(minimum=1, maximum=1000)
    candidates: tuple[Candidate, ...] = items_field(Candidate, max_items=1000)
    round: ElectionRound | None = enum_field(ElectionRound, optional=True)
    id: str | None = _id()
    region: str | None = _optional_region()
    date: _dt.date | None = date_field(optional=True)

    def __attrs_post_init__(self) -> None:
        _raise(self.check_rules(attrs.asdict(self, recurse=False)), "election")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """No more ballots than registered voters; no candidate with more votes than
        ballots; no more votes in all than ``ballots_cast × seats`` (each ballot marks at
        most as many names as there are seats)."""
        errors: list[FieldError] = []
        registered = fields.get("registered_voters", UNREAD)
        ballots = fields.get("ballots_cast", UNREAD)
        seats = fields.get("seats", UNREAD)
        candidates = fields.get("candidates", UNREAD)
        if _known(registered, ballots) and ballots > registered:
            errors.append(
                _problem(
                    "ballots_cast",
                    f"{ballots} ballots cast is more than the {registered} registered voters",
                    f"参加投票人数 {ballots} 超过登记参加选举的人数 {registered}",
                    "too_large",
                )
            )
        if _known(ballots, candidates):
            for i, candidate in enumerate(candidates):
                if candidate is not None and candidate.votes > ballots:
                    errors.append(
                        _problem(
                            f"candidates[{i}].votes",
                            f"{candidate.votes} votes is more than the {ballots} ballots cast",
                            f"得票数 {candidate.votes} 超过参加投票人数 {ballots}",
                            "too_large",
                        )
                    )
            if _known(seats):
                total = sum(c.votes for c in candidates if c is not None)
                if total > ballots * seats:
                    errors.append(
                        _problem(
                            "candidates",
                            f"the votes add up to {total}, more than {ballots} ballots × "
                            f"{seats} seats",
                            f"得票合计 {total}，超过参加投票人数 {ballots} × 应选名额 {seats}",
                            "too_large",
                        )
                    )
        return errors


@attrs.frozen(kw_only=True)
class Recall:
    """A recall of a villagers' committee member (罢免村民委员会成员), the input of
    :data:`RECALL` (村组法 art. 16).

    :param eligible_voters: villagers entitled to vote (本村有选举权的村民).
    :param petitioners: villagers who signed the petition (联名村民), if it came from them.
    :param representatives: villager representatives (村民代表总数), with
        *representative_petitioners*, if it came from them.
    :param representative_petitioners: representatives who signed (联名村民代表).
    :param registered_voters: villagers registered for the vote (登记参加选举的村民); the
        vote fields are left out while only the petition is checked.
    :param ballots_cast: villagers who voted.
    :param votes_for: votes for the recall.
    """

    eligible_voters: int = _count()
    petitioners: int | None = _count(optional=True)
    representatives: int | None = _count(optional=True)
    representative_petitioners: int | None = _count(optional=True)
    registered_voters: int | None = _count(optional=True)
    ballots_cast: int | None = _count(optional=True)
    votes_for: int | None = _count(optional=True)
    id: str | None = _id()
    region: str | None = _optional_region()
    date: _dt.date | None = date_field(optional=True)

    def __attrs_post_init__(self) -> None:
        _raise(self.check_rules(attrs.asdict(self, recurse=False)), "recall")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Counts that cannot be: more signatures than signers, more ballots than voters."""
        errors: list[FieldError] = []
        pairs = (
            ("petitioners", "eligible_voters", "联名村民人数", "有选举权的村民人数"),
            ("representative_petitioners", "representatives", "联名村民代表人数", "村民代表人数"),
            ("ballots_cast", "registered_voters", "参加投票人数", "登记参加选举的村民人数"),
            ("votes_for", "ballots_cast", "赞成罢免票数", "参加投票人数"),
        )
        for part, whole, part_zh, whole_zh in pairs:
            a, b = fields.get(part, UNREAD), fields.get(whole, UNREAD)
            if _known(a, b) and a > b:
                errors.append(
                    _problem(
                        part, f"{a} is more than {whole} {b}", f"{part_zh} {a} 超过{whole_zh} {b}"
                    )
                )
        reps, signed = (
            fields.get("representatives", UNREAD),
            fields.get("representative_petitioners", UNREAD),
        )
        if signed is not UNREAD and signed is not None and reps is None:
            errors.append(
                _problem(
                    "representatives",
                    "is required with representative_petitioners",
                    "填写联名村民代表人数时须填写村民代表总数",
                    "missing",
                )
            )
        if fields.get("petitioners") is None and signed is None:
            errors.append(
                _problem(
                    "petitioners",
                    "give petitioners or representative_petitioners",
                    "须填写联名村民人数或联名村民代表人数",
                    "missing",
                )
            )
        vote = [fields.get(k, UNREAD) for k in ("registered_voters", "ballots_cast", "votes_for")]
        if UNREAD not in vote and any(v is not None for v in vote) and None in vote:
            errors.extend(
                _problem(
                    k, "is required once the vote is given", "填写表决结果时须一并填写", "missing"
                )
                for k, v in zip(
                    ("registered_voters", "ballots_cast", "votes_for"), vote, strict=True
                )
                if v is None
            )
        return errors


@attrs.frozen(kw_only=True)
class Meeting:
    """Attendance and vote of a meeting (会议出席与表决), the input of :data:`MEETING`.

    :param kind: ``villagers_meeting``, ``villager_representatives_meeting``,
        ``villager_group_meeting`` or ``residents_meeting``.
    :param members: who make up the meeting: villagers (or residents) aged 18 or over, or the
        representatives' meeting's members (组成人员); for a residents' meeting of household or
        group representatives, those representatives (居组法 art. 9).
    :param present: people present (到会人数).
    :param households: households of the village or group (户数), with
        *households_present*, when the meeting is of household representatives.
    :param households_present: households represented (到会的户的代表).
    :param votes_for: votes for the decision (赞成票); left out to check the quorum only.
    :param representatives: villager representatives among the members of a
        representatives' meeting (村民代表人数, art. 25).
    :param women_representatives: women among those representatives (妇女村民代表人数).
    """

    kind: MeetingKind = enum_field(MeetingKind)
    members: int = _count()
    present: int = _count()
    households: int | None = _count(optional=True)
    households_present: int | None = _count(optional=True)
    votes_for: int | None = _count(optional=True)
    representatives: int | None = _count(optional=True)
    women_representatives: int | None = _count(optional=True)
    id: str | None = _id()
    region: str | None = _optional_region()
    date: _dt.date | None = date_field(optional=True)

    def __attrs_post_init__(self) -> None:
        _raise(self.check_rules(attrs.asdict(self, recurse=False)), "meeting")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Counts that cannot be, and fields that belong to other kinds of meeting."""
        errors: list[FieldError] = []
        kind = fields.get("kind", UNREAD)
        households, represented = (
            fields.get("households", UNREAD),
            fields.get("households_present", UNREAD),
        )
        present, members = fields.get("present", UNREAD), fields.get("members", UNREAD)
        votes = fields.get("votes_for", UNREAD)
        reps, women = (
            fields.get("representatives", UNREAD),
            fields.get("women_representatives", UNREAD),
        )
        household_kinds = (MeetingKind.VILLAGERS, MeetingKind.GROUP)
        if _known(present, members) and present > members:
            errors.append(
                _problem(
                    "present",
                    f"{present} present is more than the {members} members",
                    f"到会人数 {present} 超过应到人数 {members}",
                    "too_large",
                )
            )
        if _known(votes, present) and votes > present:
            errors.append(
                _problem(
                    "votes_for",
                    f"{votes} votes is more than the {present} present",
                    f"赞成票 {votes} 超过到会人数 {present}",
                    "too_large",
                )
            )
        if isinstance(kind, MeetingKind):
            for name, value in (("households", households), ("households_present", represented)):
                if _known(value) and kind not in household_kinds:
                    errors.append(
                        _problem(
                            name,
                            f"applies to villagers' and group meetings only, not {kind.value}",
                            f"仅适用于村民会议和村民小组会议，不适用于{kind.zh}",
                        )
                    )
            for name, value in (("representatives", reps), ("women_representatives", women)):
                if _known(value) and kind is not MeetingKind.REPRESENTATIVES:
                    errors.append(
                        _problem(
                            name,
                            f"applies to representatives' meetings only, not {kind.value}",
                            f"仅适用于村民代表会议，不适用于{kind.zh}",
                        )
                    )
        if (households is None) != (represented is None) and UNREAD not in (
            households,
            represented,
        ):
            missing = "households" if households is None else "households_present"
            errors.append(
                _problem(
                    missing,
                    "households and households_present go together",
                    "户数与到会户代表数须同时填写",
                    "missing",
                )
            )
        if _known(households, represented) and represented > households:
            errors.append(
                _problem(
                    "households_present",
                    f"{represented} households represented is more than the {households} "
                    "households",
                    f"到会户代表 {represented} 户超过总户数 {households}",
                    "too_large",
                )
            )
        if _known(reps, members) and reps > members:
            errors.append(
                _problem(
                    "representatives",
                    f"{reps} representatives is more than the {members} members",
                    f"村民代表 {reps} 人超过组成人员 {members} 人",
                    "too_large",
                )
            )
        if _known(women) and not _known(reps) and reps is not UNREAD:
            errors.append(
                _problem(
                    "representatives",
                    "is required with women_representatives",
                    "填写妇女村民代表人数时须填写村民代表人数",
                    "missing",
                )
            )
        if _known(women, reps) and women > reps:
            errors.append(
                _problem(
                    "women_representatives",
                    f"{women} is more than the {reps} representatives",
                    f"妇女村民代表 {women} 人超过村民代表 {reps} 人",
                    "too_large",
                )
            )
        return errors


@attrs.frozen(kw_only=True)
class CommitteeTerm:
    """One committee and the day it was elected (委员会换届信息), the input of :data:`TERM`.

    :param committee_id: the committee's identifier.
    :param region: GB/T 2260 code of its county, township-level parent or province.
    :param kind: ``village`` or ``residents``.
    :param elected_on: the day it was elected (选举日).
    :param window_days: how many days before the term ends it counts as due (default 90).
    """

    committee_id: str = _id(optional=False)
    region: str = region_field(levels=ANY_LEVEL)
    kind: CommitteeKind = enum_field(CommitteeKind)
    elected_on: _dt.date = date_field()
    window_days: int = int_field(minimum=0, maximum=3650, default=90)

    @property
    def id(self) -> str:
        """The committee's identifier, the decision's subject."""
        return self.committee_id


@attrs.frozen(kw_only=True)
class ReviewItems:
    """The review items of 村组法 art. 27 para. 2, as declared by the filing (审查事项).

    Each is ``true`` when the reviewer found the document clear of the problem, ``false``
    when not, and left out (``null``) when not yet reviewed.
    """

    consistent_with_law: bool | None = bool_field(optional=True)
    no_infringement_of_personal_rights: bool | None = bool_field(optional=True)
    no_infringement_of_democratic_rights: bool | None = bool_field(optional=True)
    no_infringement_of_property_rights: bool | None = bool_field(optional=True)


@attrs.frozen(kw_only=True)
class RulesFiling:
    """A 村规民约 or 村民自治章程 and its filing (备案记录), the input of :data:`RULES_FILING`.

    :param document: ``village_rules`` (村规民约) or ``self_governance_charter``.
    :param adopted_on: the day the meeting adopted or amended it.
    :param meeting: the meeting that adopted it, with attendance and vote.
    :param filed_with: where it was filed; left out when not filed yet.
    :param filed_on: the day it was filed; left out when not filed yet.
    :param review: the review items as declared; left out: none reviewed yet.
    """

    document: RulesDocument = enum_field(RulesDocument)
    adopted_on: _dt.date = date_field()
    meeting: Meeting = record_field(Meeting)
    review: ReviewItems | None = record_field(ReviewItems, optional=True)
    filed_with: FilingAuthority | None = enum_field(FilingAuthority, optional=True)
    filed_on: _dt.date | None = date_field(optional=True)
    id: str | None = _id()
    region: str | None = _optional_region()

    def __attrs_post_init__(self) -> None:
        _raise(self.check_rules(attrs.asdict(self, recurse=False)), "filing")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """A filing date not before adoption, and given together with the authority."""
        errors: list[FieldError] = []
        adopted, filed = fields.get("adopted_on", UNREAD), fields.get("filed_on", UNREAD)
        authority = fields.get("filed_with", UNREAD)
        if _known(adopted, filed) and filed < adopted:
            errors.append(
                _problem(
                    "filed_on",
                    f"{filed} is before the adoption on {adopted}",
                    f"备案日期 {filed} 早于通过日期 {adopted}",
                )
            )
        if UNREAD not in (filed, authority) and (filed is None) != (authority is None):
            missing = "filed_on" if filed is None else "filed_with"
            errors.append(
                _problem(
                    missing,
                    "filed_on and filed_with go together",
                    "备案日期与备案机关须同时填写",
                    "missing",
                )
            )
        return errors


# ---------------------------------------------------------------------------------------------
# standard keys


def _key(name: str, zh: str, en: str, unit: Unit, description: str, basis: str) -> KeySpec:
    return KeySpec(f"self_governance.{name}", zh, en, unit, description, basis)


#: The standard keys the module declares.
KEYS = (
    _key(
        "village.term_years",
        "村民委员会每届任期",
        "villagers' committee term",
        Unit.YEARS,
        "Years a villagers' committee serves; an election is due when it ends.",
        _ART["term.village"],
    ),
    _key(
        "residents.term_years",
        "居民委员会每届任期",
        "residents' committee term",
        Unit.YEARS,
        "Years a residents' committee serves; an election is due when it ends.",
        _ART["term.residents"],
    ),
    _key(
        "village.members_min",
        "村民委员会成员最少人数",
        "villagers' committee: fewest members",
        Unit.COUNT,
        "Fewest members (主任、副主任和委员) a villagers' committee has.",
        _ART["size.village"],
    ),
    _key(
        "village.members_max",
        "村民委员会成员最多人数",
        "villagers' committee: most members",
        Unit.COUNT,
        "Most members a villagers' committee has.",
        _ART["size.village"],
    ),
    _key(
        "residents.members_min",
        "居民委员会成员最少人数",
        "residents' committee: fewest members",
        Unit.COUNT,
        "Fewest members a residents' committee has.",
        _ART["size.residents"],
    ),
    _key(
        "residents.members_max",
        "居民委员会成员最多人数",
        "residents' committee: most members",
        Unit.COUNT,
        "Most members a residents' committee has.",
        _ART["size.residents"],
    ),
    _key(
        "residents.election.turnout_share",
        "居民委员会选举有效的投票比例",
        "residents' committee election: turnout share",
        Unit.RATIO,
        "The election is valid when MORE than this share of the registered voters vote. "
        "Set by the provincial implementing measures; no national value.",
        _ART["election.residents"],
    ),
    _key(
        "residents.election.elected_share",
        "居民委员会选举当选的得票比例",
        "residents' committee election: share of votes to be elected",
        Unit.RATIO,
        "A candidate is elected in the first vote with MORE than this share of the ballots "
        "cast. Set by the provincial implementing measures; no national value.",
        _ART["election.residents"],
    ),
    _key(
        "residents.election.additional_share",
        "居民委员会另行选举当选的得票比例",
        "residents' committee additional round: share of votes to be elected",
        Unit.RATIO,
        "A candidate is elected in an additional round with AT LEAST this share of the "
        "ballots cast. Set by the provincial implementing measures; no national value.",
        _ART["election.residents"],
    ),
)


# ---------------------------------------------------------------------------------------------
# self_governance.election


def _region(record: Any) -> str:
    region = getattr(record, "region", None)
    return region if isinstance(region, str) else NATIONAL


def _committee_size(record: Election, ctx: Context) -> None:
    kind = record.kind.value
    region = _region(record)
    low = ctx.standard(f"self_governance.{kind}.members_min", region)
    high = ctx.standard(f"self_governance.{kind}.members_max", region)
    basis = _ART[f"size.{kind}"]
    if low is None or high is None:
        ctx.condition(
            "committee_size",
            None,
            zh="{committee}成员人数范围未设定，无法核对应选名额 {seats} 人",
            en="the size range of a {committee_en} is not set; {seats} seats not checked",
            basis=basis,
            committee=record.kind.zh,
            committee_en=f"{kind} committee",
            seats=record.seats,
        )
        return
    ctx.condition(
        "committee_size",
        low <= record.seats <= high,
        zh="应选名额 {seats} 人，{committee}须由 {minimum} 至 {maximum} 人组成",
        en="{seats} seats; a {committee_en} has {minimum} to {maximum} members",
        basis=basis,
        seats=record.seats,
        committee=record.kind.zh,
        committee_en=f"{kind} committee",
        minimum=int(low),
        maximum=int(high),
    )


def _turnout(record: Election, ctx: Context) -> bool | None:
    """Whether the election is valid (``None``: not determined)."""
    if record.kind is CommitteeKind.VILLAGE:
        needed = ctx.step(
            "turnout_needed",
            "floor(registered_voters / 2) + 1",
            registered_voters=record.registered_voters,
            result=more_than_half(record.registered_voters),
        )
        return ctx.condition(
            "turnout",
            record.ballots_cast >= needed,
            zh="参加投票 {ballots_cast} 人，须超过登记参加选举的村民 {registered_voters} 人的"
            "半数，即至少 {needed} 人",
            en="{ballots_cast} voted; more than half of the {registered_voters} registered "
            "voters, at least {needed}, must vote",
            basis=_ART["election.village"],
            ballots_cast=record.ballots_cast,
            registered_voters=record.registered_voters,
            needed=needed,
        )
    key = "self_governance.residents.election.turnout_share"
    share = ctx.standard(key, _region(record))
    if share is None:
        return ctx.condition(
            "turnout",
            None,
            zh="居民委员会选举有效的投票比例未设定（{key}）：居组法未作规定，由省级实施办法"
            "规定；参加投票 {ballots_cast} 人，登记 {registered_voters} 人",
            en="the turnout share of a residents' committee election is not set ({key}): the "
            "law leaves it to the provincial measures; {ballots_cast} of {registered_voters} "
            "voted",
            basis=_ART["election.residents"],
            key=key,
            ballots_cast=record.ballots_cast,
            registered_voters=record.registered_voters,
        )
    needed = ctx.step(
        "turnout_needed",
        "floor(registered_voters × turnout_share) + 1",
        registered_voters=record.registered_voters,
        turnout_share=share,
        result=_more_than_share(record.registered_voters, share),
    )
    return ctx.condition(
        "turnout",
        record.ballots_cast >= needed,
        zh="参加投票 {ballots_cast} 人，须超过登记选民 {registered_voters} 人的 {share}，"
        "即至少 {needed} 人",
        en="{ballots_cast} voted; more than {share} of the {registered_voters} registered "
        "voters, at least {needed}, must vote",
        basis=_ART["election.residents"],
        ballots_cast=record.ballots_cast,
        registered_voters=record.registered_voters,
        share=share,
        needed=needed,
    )


def _votes_needed(record: Election, ctx: Context) -> int | None:
    """The fewest votes that elect a candidate in this round (``None``: not set)."""
    ballots = record.ballots_cast
    first = record.round in (None, ElectionRound.FIRST)
    if record.kind is CommitteeKind.VILLAGE:
        if first:
            result: int = ctx.step(
                "votes_needed",
                "floor(ballots_cast / 2) + 1",
                ballots_cast=ballots,
                result=more_than_half(ballots),
            )
        else:
            result = ctx.step(
                "votes_needed",
                "ceil(ballots_cast / 3)",
                ballots_cast=ballots,
                result=at_least_fraction(ballots, 1, 3),
            )
        return result
    name = "elected_share" if first else "additional_share"
    share = ctx.standard(f"self_governance.residents.election.{name}", _region(record))
    if share is None:
        ctx.fact("votes_needed", f"not set: self_governance.residents.election.{name}")
        return None
    if first:
        return int(
            ctx.step(
                "votes_needed",
                "floor(ballots_cast × elected_share) + 1",
                ballots_cast=ballots,
                elected_share=share,
                result=_more_than_share(ballots, share),
            )
        )
    return int(
        ctx.step(
            "votes_needed",
            "ceil(ballots_cast × additional_share)",
            ballots_cast=ballots,
            additional_share=share,
            result=_at_least_share(ballots, share),
        )
    )


def _elect(
    candidates: Sequence[Candidate], seats: int, needed: int
) -> tuple[list[Candidate], list[Candidate]]:
    """The candidates elected and those tied at the last seat.

    Candidates with at least *needed* votes, most votes first, take the seats. When the
    last seats would have to be shared among candidates with equal votes, none of those is
    elected: they are returned as tied, and the seats they compete for stay open.
    """
    qualified = sorted((c for c in candidates if c.votes >= needed), key=lambda c: -c.votes)
    if len(qualified) <= seats:
        return qualified, []
    cutoff = qualified[seats - 1].votes
    if qualified[seats].votes < cutoff:
        return qualified[:seats], []
    elected = [c for c in qualified if c.votes > cutoff]
    tied = [c for c in qualified if c.votes == cutoff]
    return elected, tied


def _election(record: Election, ctx: Context) -> None:
    subject = record.id or "election"
    first = record.round in (None, ElectionRound.FIRST)
    ctx.fact("round", (record.round or ElectionRound.FIRST).value)
    if first:
        _committee_size(record, ctx)
    valid = _turnout(record, ctx)
    basis = _ART[f"election.{record.kind.value}"]
    if valid is None:
        ctx.fact("validity", "not_determined")
        ctx.decide(subject, (), passed=False)
        return
    if not valid:
        ctx.fact("validity", "invalid")
        ctx.decide(subject, ())
        return
    ctx.fact("validity", "valid")
    needed = _votes_needed(record, ctx)
    if needed is None:
        ctx.condition(
            "votes_needed",
            None,
            zh="当选所需的得票比例未设定，无法确定当选人（{ballots_cast} 人参加投票）",
            en="the share of votes that elects is not set; nobody can be declared elected "
            "({ballots_cast} voted)",
            basis=basis,
            ballots_cast=record.ballots_cast,
        )
        ctx.decide(subject, (), passed=False)
        return
    elected, tied = _elect(record.candidates, record.seats, needed)
    unfilled = record.seats - len(elected) - (min(len(tied), record.seats - len(elected)))
    ctx.fact("elected", len(elected))
    if tied:
        ctx.fact("tied_at_last_seat", [c.name for c in tied])
        ctx.fact("tied_seats", record.seats - len(elected))
        ctx.fact(
            "tie_rule",
            "equal votes at the last seat: nobody tied is elected; the provincial measures "
            "decide the repeat vote among them (省级选举办法：就票数相等的候选人再次投票)",
        )
    ctx.fact("unfilled_seats", unfilled)
    if unfilled and first and record.kind is CommitteeKind.VILLAGE:
        third = ctx.step(
            "additional_round_votes_needed",
            "ceil(ballots_cast / 3)",
            ballots_cast=record.ballots_cast,
            result=at_least_fraction(record.ballots_cast, 1, 3),
        )
        ctx.fact(
            "next",
            f"additional round (另行选举) for {unfilled} seat(s): the candidates not elected "
            f"with most votes stand; elected with most votes and at least {third} votes",
        )
    ctx.decide(subject, tuple(c.name for c in elected))


# ---------------------------------------------------------------------------------------------
# self_governance.recall


def _recall(record: Recall, ctx: Context) -> None:
    subject = record.id or "recall"
    basis = _ART["recall"]
    parts_zh: list[str] = []
    parts_en: list[str] = []
    values: dict[str, Any] = {}
    petition = False
    if record.petitioners is not None:
        needed = ctx.step(
            "petitioners_needed",
            "ceil(eligible_voters / 5)",
            eligible_voters=record.eligible_voters,
            result=at_least_fraction(record.eligible_voters, 1, 5),
        )
        petition = petition or record.petitioners >= max(needed, 1)
        parts_zh.append(
            "联名村民 {petitioners} 人，须有选举权的村民 {eligible_voters} 人的五分之一以上，"
            "即至少 {petitioners_needed} 人"
        )
        parts_en.append(
            "{petitioners} villagers signed; at least one fifth of the {eligible_voters} "
            "entitled to vote, {petitioners_needed}, needed"
        )
        values.update(
            petitioners=record.petitioners,
            eligible_voters=record.eligible_voters,
            petitioners_needed=needed,
        )
    if record.representative_petitioners is not None and record.representatives is not None:
        reps_needed = ctx.step(
            "representative_petitioners_needed",
            "ceil(representatives / 3)",
            representatives=record.representatives,
            result=at_least_fraction(record.representatives, 1, 3),
        )
        petition = petition or record.representative_petitioners >= max(reps_needed, 1)
        parts_zh.append(
            "联名村民代表 {representative_petitioners} 人，须村民代表 {representatives} 人的"
            "三分之一以上，即至少 {representatives_needed} 人"
        )
        parts_en.append(
            "{representative_petitioners} villager representatives signed; at least one third "
            "of the {representatives} representatives, {representatives_needed}, needed"
        )
        values.update(
            representative_petitioners=record.representative_petitioners,
            representatives=record.representatives,
            representatives_needed=reps_needed,
        )
    either = len(parts_zh) > 1
    ctx.condition(
        "petition",
        petition,
        zh="；或".join(parts_zh) + ("（满足其一即可）" if either else ""),
        en="; or ".join(parts_en) + (" (either suffices)" if either else ""),
        basis=f"{basis}第一款",
        **values,
    )
    if not petition:
        ctx.decide(subject, "petition_insufficient")
        return
    if record.registered_voters is None or record.ballots_cast is None or record.votes_for is None:
        ctx.decide(subject, "petition_valid")
        return
    turnout_needed = ctx.step(
        "turnout_needed",
        "floor(registered_voters / 2) + 1",
        registered_voters=record.registered_voters,
        result=more_than_half(record.registered_voters),
    )
    turnout = ctx.condition(
        "turnout",
        record.ballots_cast >= turnout_needed,
        zh="参加投票 {ballots_cast} 人，须超过登记参加选举的村民 {registered_voters} 人的半数，"
        "即至少 {needed} 人",
        en="{ballots_cast} voted; more than half of the {registered_voters} registered "
        "villagers, at least {needed}, must vote",
        basis=f"{basis}第二款",
        ballots_cast=record.ballots_cast,
        registered_voters=record.registered_voters,
        needed=turnout_needed,
    )
    if not turnout:
        ctx.decide(subject, "vote_invalid")
        return
    votes_needed = ctx.step(
        "votes_needed",
        "floor(ballots_cast / 2) + 1",
        ballots_cast=record.ballots_cast,
        result=more_than_half(record.ballots_cast),
    )
    carried = ctx.condition(
        "majority",
        record.votes_for >= votes_needed,
        zh="赞成罢免 {votes_for} 票，须超过参加投票的 {ballots_cast} 人的半数，即至少 {needed} 票",
        en="{votes_for} for the recall; more than half of the {ballots_cast} voting, at least "
        "{needed}, needed",
        basis=f"{basis}第二款",
        votes_for=record.votes_for,
        ballots_cast=record.ballots_cast,
        needed=votes_needed,
    )
    ctx.decide(subject, "recalled" if carried else "not_recalled")


# ---------------------------------------------------------------------------------------------
# self_governance.meeting


def _quorum(meeting: Meeting, ctx: Context) -> bool:
    """Record the quorum condition of *meeting*; whether it is met."""
    kind = meeting.kind
    members, present = meeting.members, meeting.present
    if kind is MeetingKind.REPRESENTATIVES:
        needed = ctx.step(
            "quorum_needed",
            "ceil(members × 2 / 3)",
            members=members,
            result=at_least_fraction(members, 2, 3),
        )
        return bool(
            ctx.condition(
                "quorum",
                present >= needed,
                zh="到会 {present} 人，须有组成人员 {members} 人的三分之二以上，即至少 {needed} 人",
                en="{present} present; at least two thirds of the {members} members, {needed}, "
                "must attend",
                basis=_ART["representatives_meeting"],
                present=present,
                members=members,
                needed=needed,
            )
        )
    if kind is MeetingKind.RESIDENTS:
        needed = ctx.step(
            "quorum_needed",
            "floor(members / 2) + 1",
            members=members,
            result=more_than_half(members),
        )
        return bool(
            ctx.condition(
                "quorum",
                present >= needed,
                zh="出席 {present} 人，须超过应出席的 {members} 人的半数，即至少 {needed} 人",
                en="{present} present; more than half of the {members} members, at least "
                "{needed}, must attend",
                basis=_ART["residents_meeting"],
                present=present,
                members=members,
                needed=needed,
            )
        )
    villagers = kind is MeetingKind.VILLAGERS
    basis = _ART["villagers_meeting" if villagers else "group_meeting"]
    if villagers:
        needed = ctx.step(
            "quorum_needed",
            "floor(members / 2) + 1",
            members=members,
            result=more_than_half(members),
        )
        rule_zh, rule_en = "过半数", "more than half"
    else:
        needed = ctx.step(
            "quorum_needed",
            "ceil(members × 2 / 3)",
            members=members,
            result=at_least_fraction(members, 2, 3),
        )
        rule_zh, rule_en = "三分之二以上", "at least two thirds"
    by_people = present >= needed
    if meeting.households is None or meeting.households_present is None:
        return bool(
            ctx.condition(
                "quorum",
                by_people,
                zh="到会 {present} 人，须有十八周岁以上村民 {members} 人的{rule}，"
                "即至少 {needed} 人",
                en="{present} present; {rule_en} of the {members} villagers aged 18 or over, "
                "{needed}, must attend",
                basis=basis,
                present=present,
                members=members,
                rule=rule_zh,
                rule_en=rule_en,
                needed=needed,
            )
        )
    households_needed = ctx.step(
        "households_needed",
        "ceil(households × 2 / 3)",
        households=meeting.households,
        result=at_least_fraction(meeting.households, 2, 3),
    )
    by_households = meeting.households_present >= households_needed
    return bool(
        ctx.condition(
            "quorum",
            by_people or by_households,
            zh="到会 {present} 人（十八周岁以上村民 {members} 人的{rule}须 {needed} 人），"
            "或到会户代表 {households_present} 户"
            "（{households} 户的三分之二以上须 {households_needed} 户），满足其一",
            en="{present} present ({rule_en} of the {members} villagers aged 18 or over: "
            "{needed}) or {households_present} households represented (at least two thirds of "
            "{households}: {households_needed}); either suffices",
            basis=basis,
            present=present,
            members=members,
            rule=rule_zh,
            rule_en=rule_en,
            needed=needed,
            households_present=meeting.households_present,
            households=meeting.households,
            households_needed=households_needed,
        )
    )


def _majority(meeting: Meeting, ctx: Context, votes_for: int) -> bool:
    needed = ctx.step(
        "votes_needed",
        "floor(present / 2) + 1",
        present=meeting.present,
        result=more_than_half(meeting.present),
    )
    basis = {
        MeetingKind.VILLAGERS: _ART["villagers_meeting"],
        MeetingKind.REPRESENTATIVES: _ART["representatives_meeting"],
        MeetingKind.GROUP: _ART["group_meeting"],
        MeetingKind.RESIDENTS: _ART["residents_meeting"],
    }[meeting.kind]
    return bool(
        ctx.condition(
            "majority",
            votes_for >= needed,
            zh="赞成 {votes_for} 票，须超过到会 {present} 人的半数，即至少 {needed} 票",
            en="{votes_for} in favour; more than half of the {present} present, at least "
            "{needed}, needed",
            basis=basis,
            votes_for=votes_for,
            present=meeting.present,
            needed=needed,
        )
    )


def _composition(meeting: Meeting, ctx: Context) -> None:
    """村组法 art. 25: representatives at least four fifths of the members, women
    representatives at least one third."""
    if meeting.representatives is not None:
        needed = ctx.step(
            "representatives_needed",
            "ceil(members × 4 / 5)",
            members=meeting.members,
            result=at_least_fraction(meeting.members, 4, 5),
        )
        ctx.condition(
            "representatives_share",
            meeting.representatives >= needed,
            zh="村民代表 {representatives} 人，须占组成人员 {members} 人的五分之四以上，即至少 "
            "{needed} 人",
            en="{representatives} villager representatives; at least four fifths of the "
            "{members} members, {needed}, needed",
            basis=_ART["representatives_composition"],
            representatives=meeting.representatives,
            members=meeting.members,
            needed=needed,
        )
    if meeting.women_representatives is not None:
        needed = ctx.step(
            "women_representatives_needed",
            "ceil(members / 3)",
            members=meeting.members,
            result=at_least_fraction(meeting.members, 1, 3),
        )
        ctx.condition(
            "women_representatives_share",
            meeting.women_representatives >= needed,
            zh="妇女村民代表 {women} 人，须占组成人员 {members} 人的三分之一以上，即至少 "
            "{needed} 人",
            en="{women} women representatives; at least one third of the {members} members, "
            "{needed}, needed",
            basis=_ART["representatives_composition"],
            women=meeting.women_representatives,
            members=meeting.members,
            needed=needed,
        )


def _meeting_outcome(meeting: Meeting, ctx: Context) -> str:
    if meeting.kind is MeetingKind.REPRESENTATIVES:
        _composition(meeting, ctx)
    if not _quorum(meeting, ctx):
        return "not_quorate"
    if meeting.votes_for is None:
        return "quorate"
    return "adopted" if _majority(meeting, ctx, meeting.votes_for) else "rejected"


def _meeting(record: Meeting, ctx: Context) -> None:
    ctx.fact("meeting", record.kind.zh)
    outcome = _meeting_outcome(record, ctx)
    ctx.decide(record.id or "meeting", outcome)


# ---------------------------------------------------------------------------------------------
# terms: one committee, and column-wise over a table


def term_end(elected_on: _dt.date, years: int) -> _dt.date:
    """The day a term of *years* begun on *elected_on* ends: the same day *years* later, or
    28 February for a term begun on 29 February that ends in a common year.

    >>> term_end(_dt.date(2021, 3, 15), 5), term_end(_dt.date(2020, 2, 29), 5)
    (datetime.date(2026, 3, 15), datetime.date(2025, 2, 28))
    """
    year = elected_on.year + years
    try:
        return elected_on.replace(year=year)
    except ValueError:  # 29 February in a common year
        return _dt.date(year, 2, 28)


def _term_years(value: Decimal, key: str) -> int:
    if value != value.to_integral_value() or value <= 0:
        raise CivilAffairsError(
            f"{key} = {value} is not a whole number of years (任期应为整年)",
            path=key,
            zh=f"{key} = {value} 不是整年数",
        )
    return int(value)


def _status(days_left: int, window: int) -> str:
    if days_left < 0:
        return "overdue"
    if days_left <= window:
        return f"due_within_{window}_days"
    return "in_term"


def _term(record: CommitteeTerm, ctx: Context) -> None:
    if record.elected_on > ctx.on:
        raise CivilAffairsError(
            f"elected_on {record.elected_on} is after the check date {ctx.on} "
            "(选举日期晚于核查日期)",
            path="elected_on",
            zh=f"选举日期 {record.elected_on} 晚于核查日期 {ctx.on}",
        )
    kind = record.kind.value
    key = f"self_governance.{kind}.term_years"
    basis = _ART[f"term.{kind}"]
    found = ctx.registry.standards.try_resolve(key, record.region, ctx.on)
    value = ctx.standard(key, record.region)
    if found is None or value is None:
        ctx.condition(
            "term_set",
            None,
            zh="任期未设定（{key}），无法计算届满日期",
            en="the term is not set ({key}); its end cannot be computed",
            basis=basis,
            key=key,
        )
        ctx.decide(record.committee_id, "not_determined", passed=False)
        return
    covers = record.elected_on >= found.effective_from
    ctx.condition(
        "term_applies",
        True if covers else None,
        zh="选举日期 {elected_on}，适用自 {effective_from} 起的任期 {years} 年"
        if covers
        else "选举日期 {elected_on} 早于现行任期 {years} 年的施行日期 {effective_from}，"
        "此前的任期未登记",
        en="elected on {elected_on}: the {years}-year term in force from {effective_from} applies"
        if covers
        else "elected on {elected_on}, before the {years}-year term took effect on "
        "{effective_from}; the earlier term is not registered",
        basis=basis,
        elected_on=record.elected_on,
        effective_from=found.effective_from,
        years=value,
    )
    if not covers:
        ctx.decide(record.committee_id, "not_determined", passed=False)
        return
    years = _term_years(value, key)
    ends = ctx.step(
        "term_ends_on",
        "elected_on + term_years",
        elected_on=record.elected_on,
        term_years=years,
        result=term_end(record.elected_on, years),
    )
    days_left = ctx.step(
        "days_left", "term_ends_on - on", term_ends_on=ends, on=ctx.on, result=(ends - ctx.on).days
    )
    status = _status(days_left, record.window_days)
    ctx.condition(
        "in_term",
        days_left >= 0,
        zh="届满日期 {term_ends_on}，距核查日 {days_left} 天；届满应当及时举行换届选举",
        en="the term ends on {term_ends_on}, {days_left} days from the check date; an election "
        "is due when it ends",
        basis=basis,
        term_ends_on=ends,
        days_left=days_left,
    )
    ctx.fact("term_ends_on", ends)
    ctx.fact("days_left", days_left)
    ctx.fact("window_days", record.window_days)
    ctx.decide(record.committee_id, status)


#: Columns :func:`due_report` reads.
REPORT_INPUT = ("committee_id", "region", "kind", "elected_on")

_REASONS: tuple[tuple[str, str, str], ...] = (
    ("", "", ""),
    ("committee_id", "committee_id is missing", "缺少委员会编号"),
    ("kind", "kind is not village or residents", "委员会类别应为 village 或 residents"),
    ("elected_on", "elected_on is missing or not a date", "选举日期缺失或不是日期"),
    ("elected_on", "elected_on is after the report date", "选举日期晚于报告日期"),
    ("region", "region is missing or not a GB/T 2260 code", "行政区划代码缺失或无效"),
    ("region", "no term is registered for this region and kind", "该地区该类委员会的任期未设定"),
    (
        "elected_on",
        "elected before the registered term took effect; the earlier term is not registered",
        "选举日期早于现行任期的施行日期，此前的任期未登记",
    ),
)


class DueReportWarning(UserWarning):
    """:func:`due_report` left out rows that could not be reported."""


def due_report_with_errors(
    table: Any, on: _dt.date, *, window_days: int = 90, registry: Any = None
) -> tuple[Any, Any]:
    """The term-end report of a table of committees, and the rows that could not be
    reported, computed column-wise (no Python loop per row).

    :param table: a :class:`pyarrow.Table` with columns ``committee_id``, ``region``,
        ``kind`` (``village``/``residents``) and ``elected_on`` (a date, or ISO text).
    :param on: the report date.
    :param window_days: days before the term ends from which a committee is due.
    :param registry: standards (the installed plugins' by default).
    :returns: ``(report, errors)``. *report* has the input columns and ``term_years``,
        ``term_ends_on``, ``days_left`` and ``status`` (``overdue``,
        ``due_within_<window>_days`` or ``in_term``); *errors* has ``row`` (0-based),
        ``committee_id``, ``region``, ``kind``, ``field``, ``reason`` and ``reason_zh``.
    :raises CivilAffairsError: when a column is missing or *window_days* is negative.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    missing = [c for c in REPORT_INPUT if c not in table.column_names]
    if missing:
        raise CivilAffairsError(
            f"the table has no column {', '.join(missing)} (缺少列)",
            path=missing[0],
            zh=f"表中缺少列：{', '.join(missing)}",
        )
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise CivilAffairsError(
            "window_days must be a whole number of days, 0 or more (天数无效)",
            path="window_days",
            zh="window_days 应为不小于 0 的整数天数",
        )
    n = table.num_rows
    ids = pc.cast(table["committee_id"], pa.string())
    regions = pc.cast(table["region"], pa.string())
    kinds = pc.cast(table["kind"], pa.string())
    elected = table["elected_on"]
    if pa.types.is_string(elected.type) or pa.types.is_large_string(elected.type):
        parsed = pc.strptime(elected, format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime rolls 2021-02-30 over to March: keep only dates that read back the same.
        same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), elected)
        elected = pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, parsed.type))
    try:
        elected = pc.cast(elected, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise CivilAffairsError(
            f"elected_on has type {elected.type}, not dates (选举日期列类型无效)",
            path="elected_on",
            zh=f"选举日期列的类型为 {elected.type}，应为日期",
        ) from None
    day = (on - _dt.date(1970, 1, 1)).days
    elected_np = pc.fill_null(pc.cast(elected, pa.int32()), day).to_numpy().astype(np.int64)

    kind_values = pa.array([k.value for k in CommitteeKind])
    kind_idx = pc.fill_null(pc.index_in(kinds, value_set=kind_values), -1).to_numpy()
    unique_regions = pc.unique(pc.drop_null(regions).combine_chunks())
    region_idx = pc.fill_null(pc.index_in(regions, value_set=unique_regions), -1).to_numpy()
    # One look-up per distinct region and kind, not per row.
    n_regions = len(unique_regions)
    years_lut = np.zeros((n_regions + 1, len(kind_values)), dtype=np.int64)
    since_lut = np.zeros((n_regions + 1, len(kind_values)), dtype=np.int64)
    bad_region = np.zeros(n_regions + 1, dtype=bool)
    bad_region[n_regions] = True  # index -1: missing region
    for r, code in enumerate(unique_regions.to_pylist()):
        if region_problems(code, ANY_LEVEL) is not None:
            bad_region[r] = True
            continue
        for k, kind in enumerate(CommitteeKind):
            key = f"self_governance.{kind.value}.term_years"
            found = registry.standards.try_resolve(key, code, on)
            if found is not None:
                years_lut[r, k] = _term_years(found.value, key)
                since_lut[r, k] = (found.effective_from - _dt.date(1970, 1, 1)).days
    r_at = np.where(region_idx < 0, n_regions, region_idx)
    k_at = np.where(kind_idx < 0, 0, kind_idx)
    years = years_lut[r_at, k_at]
    since = since_lut[r_at, k_at]

    reason = np.zeros(n, dtype=np.int8)
    # Later rules first, so that each row keeps the first reason in _REASONS order.
    reason[elected_np < since] = 7
    reason[years == 0] = 6
    reason[bad_region[r_at]] = 5
    reason[elected_np > day] = 4
    reason[pc.is_null(elected).to_numpy(zero_copy_only=False)] = 3
    reason[kind_idx < 0] = 2
    reason[pc.is_null(ids).to_numpy(zero_copy_only=False)] = 1
    ok = reason == 0

    start = elected_np[ok].astype("datetime64[D]")
    month0 = start.astype("datetime64[M]")
    day_of_month = (start - month0).astype(np.int64)
    target = month0 + (years[ok] * 12).astype("timedelta64[M]")
    month_len = ((target + np.timedelta64(1, "M")).astype("datetime64[D]")) - target.astype(
        "datetime64[D]"
    )
    offset = np.minimum(day_of_month, month_len.astype(np.int64) - 1)
    ends = target.astype("datetime64[D]") + offset.astype("timedelta64[D]")
    ends_days = ends.astype(np.int64)
    days_left = ends_days - day
    status_code = np.where(days_left < 0, 0, np.where(days_left <= window_days, 1, 2))
    labels = pa.array(["overdue", f"due_within_{window_days}_days", "in_term"])

    ok_arrow = pa.array(ok)
    good = table.select(list(REPORT_INPUT)).filter(ok_arrow)
    report = pa.table(
        {
            "committee_id": pc.cast(good["committee_id"], pa.string()),
            "region": pc.cast(good["region"], pa.string()),
            "kind": pc.cast(good["kind"], pa.string()),
            "elected_on": elected.filter(ok_arrow),
            "term_years": pa.array(years[ok], type=pa.int8()),
            "term_ends_on": pa.array(ends_days.astype(np.int32)).cast(pa.date32()),
            "days_left": pa.array(days_left.astype(np.int32)),
            "status": labels.take(pa.array(status_code.astype(np.int8))),
        }
    )
    bad = ~ok
    codes = pa.array(reason[bad])
    bad_arrow = pa.array(bad)
    errors = pa.table(
        {
            "row": pa.array(np.flatnonzero(bad).astype(np.int64)),
            "committee_id": ids.filter(bad_arrow),
            "region": regions.filter(bad_arrow),
            "kind": kinds.filter(bad_arrow),
            "field": pa.array([r[0] for r in _REASONS]).take(codes),
            "reason": pa.array([r[1] for r in _REASONS]).take(codes),
            "reason_zh": pa.array([r[2] for r in _REASONS]).take(codes),
        }
    )
    return report, errors


def due_report(table: Any, on: _dt.date, *, window_days: int = 90, registry: Any = None) -> Any:
    """The term-end and election due-date report of a table of committees (换届提醒).

    Like :func:`due_report_with_errors`, returning the report only; rows that could not be
    reported are left out with a :class:`DueReportWarning` saying how many, so they are
    never dropped silently (call :func:`due_report_with_errors` to have them).

    >>> import datetime as dt, pyarrow as pa
    >>> table = pa.table({"committee_id": ["C1", "C2"], "region": ["110105", "110105"],
    ...                   "kind": ["village", "residents"],
    ...                   "elected_on": [dt.date(2021, 5, 1), dt.date(2021, 9, 1)]})
    >>> report = due_report(table, dt.date(2026, 4, 1))
    >>> report.column("status").to_pylist(), report.column("days_left").to_pylist()
    (['due_within_90_days', 'in_term'], [30, 153])
    """
    report, errors = due_report_with_errors(table, on, window_days=window_days, registry=registry)
    if errors.num_rows:
        warnings.warn(
            f"{errors.num_rows} row(s) could not be reported and were left out; "
            "due_report_with_errors gives them with the reason",
            DueReportWarning,
            stacklevel=2,
        )
    return report


# ---------------------------------------------------------------------------------------------
# self_governance.village_rules_filing

_REVIEW = (
    (
        "consistent_with_law",
        "不与宪法、法律、法规和国家的政策相抵触",
        "not contrary to the constitution, laws, regulations and state policy",
    ),
    (
        "no_infringement_of_personal_rights",
        "无侵犯村民人身权利的内容",
        "nothing infringing the villagers' personal rights",
    ),
    (
        "no_infringement_of_democratic_rights",
        "无侵犯村民民主权利的内容",
        "nothing infringing the villagers' democratic rights",
    ),
    (
        "no_infringement_of_property_rights",
        "无侵犯村民合法财产权利的内容",
        "nothing infringing the villagers' lawful property rights",
    ),
)


def _filing(record: RulesFiling, ctx: Context) -> None:
    subject = record.id or "filing"
    meeting = record.meeting
    ctx.fact("document", record.document.zh)
    by_meeting = ctx.condition(
        "adopted_by_villagers_meeting",
        meeting.kind is MeetingKind.VILLAGERS,
        zh="{document}由{body}通过；制定和修改须由村民会议决定",
        en="{document_en} adopted by: {body_en}; the villagers' meeting adopts and amends it",
        basis=_ART["rules_adoption"],
        document=record.document.zh,
        document_en=record.document.value.replace("_", " "),
        body=meeting.kind.zh,
        body_en=meeting.kind.value.replace("_", " "),
    )
    adopted = False
    if by_meeting:
        outcome = _meeting_outcome(meeting, ctx)
        if outcome == "quorate":
            ctx.condition(
                "majority",
                None,
                zh="未填写赞成票数，无法核对是否经到会 {present} 人的过半数通过",
                en="votes in favour not given; a majority of the {present} present is not checked",
                basis=_ART["villagers_meeting"],
                present=meeting.present,
            )
        adopted = outcome == "adopted"
    filed = record.filed_on is not None and record.filed_on <= ctx.on
    ctx.condition(
        "filed",
        filed,
        zh="备案日期 {filed_on}（核查日 {on}）",
        en="filed on {filed_on} (check date {on})",
        basis=_ART["rules_adoption"],
        filed_on=record.filed_on,
        on=ctx.on,
    )
    if record.filed_with is not None:
        ctx.condition(
            "filed_with_township",
            record.filed_with is FilingAuthority.TOWNSHIP_GOVERNMENT,
            zh="备案机关：{authority}；应报乡、民族乡、镇的人民政府备案",
            en="filed with: {authority_en}; the township government receives the filing",
            basis=_ART["rules_adoption"],
            authority=record.filed_with.zh,
            authority_en=record.filed_with.value.replace("_", " "),
        )
    if record.filed_on is not None:
        ctx.fact("days_to_filing", (record.filed_on - record.adopted_on).days)
    review = record.review or ReviewItems()
    review_failed = False
    for name, zh, en in _REVIEW:
        value = getattr(review, name)
        ctx.condition(
            f"review.{name}",
            value,
            zh=zh + "：{declared_zh}",
            en=en + ": {declared_en}",
            basis=_ART["rules_review"],
            declared_zh="未审查" if value is None else ("是" if value else "否"),
            declared_en="not reviewed" if value is None else ("yes" if value else "no"),
        )
        review_failed = review_failed or value is False
    if not by_meeting or not adopted:
        outcome = "not_validly_adopted"
    elif review_failed:
        outcome = "correction_required"
    elif not filed or record.filed_with is not FilingAuthority.TOWNSHIP_GOVERNMENT:
        outcome = "not_filed"
    elif any(getattr(review, name) is None for name, _, _ in _REVIEW):
        outcome = "review_pending"
    else:
        outcome = "filed"
    ctx.decide(subject, outcome, passed=outcome == "filed")


# ---------------------------------------------------------------------------------------------
# checks and module

#: The revised texts of both organic laws take effect on this date; the checks implement the
#: 2018 texts, and for later dates every decision says so in its facts.
REVISED_ON = _dt.date(2026, 1, 1)
REVISED_BY = "村民委员会组织法（2025年修正）、城市居民委员会组织法（2025年修订）"

#: ``self_governance.election``: validity of a committee election and who is elected.
ELECTION = Check(
    "self_governance.election",
    "村（居）民委员会选举结果核查",
    "committee election result",
    Election,
    _election,
    type_name="committee_election",
    basis=f"{_ART['election.village']}；{_ART['size.village']}；{_ART['size.residents']}",
    description_zh="选举是否有效、谁当选、名额是否不足需另行选举。",
    description_en="Whether an election is valid, who is elected, which seats go to an "
    "additional round.",
    superseded_on=REVISED_ON,
    superseded_by=REVISED_BY,
)

#: ``self_governance.recall``: petition and vote to recall a villagers' committee member.
RECALL = Check(
    "self_governance.recall",
    "罢免村民委员会成员核查",
    "recall of a villagers' committee member",
    Recall,
    _recall,
    type_name="committee_recall",
    basis=_ART["recall"],
    description_zh="罢免要求的联名人数，罢免表决的投票人数与通过票数。",
    description_en="The petition's signatures, the vote's turnout and majority.",
    superseded_on=REVISED_ON,
    superseded_by=REVISED_BY,
)

#: ``self_governance.meeting``: quorum and decision of a villagers', representatives',
#: group or residents' meeting.
MEETING = Check(
    "self_governance.meeting",
    "村民会议、村民代表会议、居民会议法定人数与表决核查",
    "meeting quorum and decision",
    Meeting,
    _meeting,
    type_name="committee_meeting",
    basis=f"{_ART['villagers_meeting']}；{_ART['representatives_meeting']}；"
    f"{_ART['group_meeting']}；{_ART['residents_meeting']}",
    description_zh="会议是否达到法定人数、决定是否经到会人员过半数通过。",
    description_en="Whether a meeting is quorate and its decision carried.",
    superseded_on=REVISED_ON,
    superseded_by=REVISED_BY,
)

#: ``self_governance.term``: term end, days left and whether an election is due.
TERM = Check(
    "self_governance.term",
    "村（居）民委员会任期届满与换届提醒",
    "committee term end and election due date",
    CommitteeTerm,
    _term,
    type_name="committee_term",
    basis=f"{_ART['term.village']}；{_ART['term.residents']}",
    description_zh="任期届满日期、剩余天数、是否应当换届。",
    description_en="When the term ends, days left, whether an election is due.",
    superseded_on=REVISED_ON,
    superseded_by=REVISED_BY,
)

#: ``self_governance.village_rules_filing``: adoption, filing and review of village rules.
RULES_FILING = Check(
    "self_governance.village_rules_filing",
    "村规民约、村民自治章程备案核查",
    "filing of village rules",
    RulesFiling,
    _filing,
    type_name="village_rules_filing",
    basis=f"{_ART['rules_adoption']}；{_ART['rules_review']}",
    description_zh="由村民会议依法通过、报乡镇人民政府备案、审查事项。",
    description_en="Adopted by a quorate villagers' meeting, filed with the township "
    "government, review items declared.",
    superseded_on=REVISED_ON,
    superseded_by=REVISED_BY,
)

#: The service module, registered by the core.
MODULE = ServiceModule(
    id="self_governance",
    zh="基层群众自治",
    en="primary-level self-government",
    checks=(ELECTION, RECALL, MEETING, TERM, RULES_FILING),
    keys=KEYS,
    types=(Election, Candidate, Recall, Meeting, CommitteeTerm, RulesFiling, ReviewItems),
    description_zh="村民委员会、居民委员会的选举、罢免、会议、任期与村规民约备案"
    "（村民委员会组织法、城市居民委员会组织法）。",
    description_en="Elections, recalls, meetings and terms of villagers' and residents' "
    "committees, and the filing of village rules (the two organic laws).",
)
