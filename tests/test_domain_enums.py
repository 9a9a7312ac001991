"""Code lists of the domain model: the values are the JSON contract, every member has a label."""

from __future__ import annotations

import enum
import pickle

import pytest

import civilaffairs.domain as domain
from civilaffairs.domain import (
    AssetKind,
    DisabilityCategory,
    Employment,
    ExpenseKind,
    HukouType,
    IncomeKind,
    InstitutionKind,
    LabelledEnum,
    OperatorType,
    Relation,
    Residence,
    SchoolLevel,
    SelfCare,
    StatusKind,
)
from civilaffairs.domain._enums import label

ENUMS = [
    obj
    for name in domain.__all__
    if isinstance(obj := getattr(domain, name), type) and issubclass(obj, enum.Enum)
]


def test_the_json_values_are_the_contract() -> None:
    assert Residence.values() == ("urban", "rural")
    assert Relation.values() == (
        "head", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other",
    )  # fmt: skip
    assert HukouType.values() == ("agricultural", "non_agricultural", "unified")
    assert DisabilityCategory.values() == (
        "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple",
    )  # fmt: skip
    assert SelfCare.values() == ("full", "partial", "none")
    assert SchoolLevel.values() == (
        "preschool", "primary", "junior_secondary", "senior_secondary", "vocational",
        "junior_college", "bachelor", "postgraduate",
    )  # fmt: skip
    assert Employment.values() == (
        "employed", "self_employed", "unemployed", "retired", "not_in_labour_force",
    )  # fmt: skip
    assert IncomeKind.values() == (
        "wage", "business", "property", "transfer", "pension_basic", "veterans_care",
        "family_planning", "scholarship", "assistance", "heroism_reward", "support", "other",
    )  # fmt: skip
    assert AssetKind.values() == (
        "deposit", "securities", "vehicle", "real_estate", "business_registration", "other",
    )  # fmt: skip
    assert ExpenseKind.values() == ("medical", "education", "other")
    assert InstitutionKind.values() == (
        "elderly_care", "child_welfare", "vagrant_assistance", "funeral", "cemetery",
        "psychiatric_welfare", "other",
    )  # fmt: skip
    assert OperatorType.values() == ("public", "private_non_profit", "for_profit")
    assert set(StatusKind.values()) >= {
        "orphan", "parent_imprisoned", "parent_missing", "parent_deported",
        "parent_guardianship_revoked", "parent_dead", "parent_severely_disabled",
        "parent_seriously_ill", "seriously_ill", "left_behind", "in_institution",
        "supported_as_tekun", "work_injury_nursing", "chose_tekun", "sudden_major_illness",
        "accident", "other_sudden_hardship",
    }  # fmt: skip


def test_status_kinds_keep_their_positions() -> None:
    """The rule inputs hold statuses as bit masks by position: new kinds go at the end."""
    assert StatusKind.values()[:14] == (
        "orphan", "parent_imprisoned", "parent_missing", "parent_deported",
        "parent_guardianship_revoked", "parent_dead", "parent_severely_disabled",
        "parent_seriously_ill", "parent_working_away", "seriously_ill", "left_behind",
        "in_institution", "supported_as_tekun", "work_injury_nursing",
    )  # fmt: skip
    assert StatusKind.values()[14:] == (
        "chose_tekun", "sudden_major_illness", "accident", "other_sudden_hardship",
    )  # fmt: skip
    assert not any(k.concerns_parent for k in list(StatusKind)[14:])
    assert StatusKind.SUDDEN_MAJOR_ILLNESS.zh == "突发重大疾病"


@pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
def test_every_member_is_lowercase_and_labelled_in_chinese(cls: type[LabelledEnum]) -> None:
    for member in cls:
        assert member.value == member.name.lower()
        assert member.zh.strip()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in member.zh)
    assert len({m.zh for m in cls}) == len(cls)


@pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
def test_members_pickle_and_belong_to_the_public_module(cls: type[enum.Enum]) -> None:
    assert cls.__module__ == "civilaffairs.domain"
    for member in cls:
        assert pickle.loads(pickle.dumps(member)) is member


def test_some_labels() -> None:
    assert Residence.URBAN.zh == "城镇"
    assert HukouType.UNIFIED.zh == "居民户口"
    assert IncomeKind.VETERANS_CARE.zh == "优待抚恤金"
    assert SelfCare.NONE.zh.startswith("完全不能自理")


def test_parent_statuses_are_marked() -> None:
    parent_kinds = {k for k in StatusKind if k.concerns_parent}
    assert parent_kinds == {k for k in StatusKind if k.value.startswith("parent_")}
    assert StatusKind.ORPHAN not in parent_kinds
    assert StatusKind.PARENT_DEAD in parent_kinds


def test_labels_must_cover_every_member() -> None:
    class Colour(LabelledEnum):
        RED = "red"
        BLUE = "blue"

    with pytest.raises(RuntimeError, match="BLUE"):
        label(Colour, RED="红")
    with pytest.raises(RuntimeError, match="GREEN"):
        label(Colour, RED="红", BLUE="蓝", GREEN="绿")
