"""Policy overrides: registration, validation against programmes, resolution."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.errors import (
    AmbiguousStandard,
    PolicyConflict,
    PolicyError,
    UnknownProgram,
    ValidationError,
)
from civilaffairs.policies import (
    PolicyOverride,
    PolicyPointSpec,
    PolicyRegistrar,
    PolicyTable,
    ProgramSpec,
    validate_override,
)
from civilaffairs.testing import isolated_registry

D = datetime.date


@attrs.frozen
class Choice:
    name: str
    choices: tuple[str, ...]
    default: str
    zh: str = "取整方式"
    en: str = "rounding"

    def validate(self, value: object) -> object:
        if value not in self.choices:
            raise PolicyError(f"{self.name} takes one of {', '.join(self.choices)}, got {value!r}")
        return value


@attrs.frozen
class Prog:
    id: str
    policy_points: Mapping[str, PolicyPointSpec]


ROUNDING = Choice("rounding", ("none", "up", "down"), "none")
DIBAO = Prog("testdibao", {"rounding": ROUNDING})


def ov(region: str, start: str, value: object, **kw: object) -> PolicyOverride:
    return PolicyOverride.build("testdibao", "rounding", region, start, value, plugin="p", **kw)  # type: ignore[arg-type]


def test_protocols_are_satisfied_by_simple_objects() -> None:
    assert isinstance(ROUNDING, PolicyPointSpec)
    assert isinstance(DIBAO, ProgramSpec)


def test_resolution_and_default() -> None:
    t = PolicyTable([ov("110000", "2020-01-01", "up"), ov("110105", "2022-01-01", "down")])
    assert (
        t.resolve("testdibao", "rounding", "110101", D(2021, 1, 1), "urban", "none").value == "up"
    )
    got = t.resolve("testdibao", "rounding", "110105", D(2023, 1, 1), "rural", "none")
    assert got.value == "down" and got.override is not None and got.override.region == "110105"
    got = t.resolve("testdibao", "rounding", "110105", D(2019, 1, 1), "urban", "none")
    assert got.value == "none" and got.is_default


def test_residence_specific_overrides() -> None:
    t = PolicyTable([ov("110000", "2020-01-01", "up", residence="rural")])
    assert (
        t.resolve("testdibao", "rounding", "110105", D(2021, 1, 1), "rural", "none").value == "up"
    )
    assert t.resolve("testdibao", "rounding", "110105", D(2021, 1, 1), "urban", "none").is_default
    with pytest.raises(AmbiguousStandard):
        t.resolve("testdibao", "rounding", "110105", D(2021, 1, 1), None, "none")


def test_conflicts() -> None:
    t = PolicyTable([ov("110000", "2020-01-01", "up")])
    with pytest.raises(PolicyConflict) as info:
        t.add(attrs.evolve(ov("110000", "2020-01-01", "down"), plugin="q"))
    assert info.value.plugins == ("p", "q")
    t.freeze()
    with pytest.raises(Exception, match="read-only"):
        t.add(ov("110000", "2021-01-01", "up"))


def test_validation_against_programmes() -> None:
    programs = {"testdibao": DIBAO}
    assert validate_override(ov("110000", "2020-01-01", "up"), programs).value == "up"
    with pytest.raises(PolicyError, match="unknown programme 'nope'"):
        validate_override(
            PolicyOverride.build("nope", "rounding", "110000", "2020-01-01", 1, plugin="p"),
            programs,
        )
    with pytest.raises(PolicyError, match="has no policy point 'colour'"):
        validate_override(
            PolicyOverride.build("testdibao", "colour", "110000", "2020-01-01", 1, plugin="p"),
            programs,
        )
    with pytest.raises(PolicyError, match="takes one of"):
        validate_override(ov("110000", "2020-01-01", "sideways"), programs)


def test_build_errors() -> None:
    with pytest.raises(ValidationError) as info:
        PolicyOverride.build("", "rounding", "999999", "2020-13-01", "up", plugin="p")
    assert {e.path for e in info.value.errors} == {"program", "region", "effective_from"}


def make_plugin(value: object = "up", program: str = "testdibao", with_program: bool = True):  # type: ignore[no-untyped-def]
    from civilaffairs import hookimpl
    from civilaffairs.programs.points import ChoicePoint
    from modules_support import make_program, module

    rounding = ChoicePoint(
        "rounding", zh="取整方式", en="rounding", default="none", choices=ROUNDING.choices
    )
    testdibao = module(
        "beijing.testdibao", make_program("testdibao", points=[rounding]), scope=("110000",)
    )

    class P:
        if with_program:

            @hookimpl
            def civilaffairs_register_modules(self, register):  # type: ignore[no-untyped-def]
                register.add(testdibao)

        @hookimpl
        def civilaffairs_register_policies(self, register):  # type: ignore[no-untyped-def]
            register.add(program, "rounding", "110000", "2020-01-01", value)

    return P()


def test_registry_validates_and_resolves_policies() -> None:
    registry = isolated_registry({"beijingish": make_plugin("up")})
    got = registry.policy("testdibao", "rounding", "110105", D(2024, 1, 1), "urban")
    assert got.value == "up" and got.override is not None and got.override.plugin == "beijingish"
    got = registry.policy("testdibao", "rounding", "310101", D(2024, 1, 1), "urban")
    assert got.value == "none" and got.is_default
    with pytest.raises(UnknownProgram):
        registry.policy("nope", "rounding", "110105", D(2024, 1, 1))
    with pytest.raises(PolicyError):
        registry.policy("testdibao", "colour", "110105", D(2024, 1, 1))


def test_bad_policy_value_fails_the_plugin_only() -> None:
    registry = isolated_registry(
        {"good": make_plugin("up"), "bad": make_plugin("sideways", with_program=False)},
        strict=False,
    )
    (error,) = registry.errors
    assert error.plugin == "bad" and "takes one of" in str(error)
    assert registry.plugin("bad").status == "failed"
    assert registry.plugin("good").status == "loaded"


@given(st.sampled_from(["none", "up", "down"]), st.dates(D(2000, 1, 1), D(2030, 1, 1)))
def test_override_applies_only_from_its_date(value: str, start: D) -> None:
    t = PolicyTable([ov("110000", start.isoformat(), value)])
    before = start - datetime.timedelta(days=1)
    assert t.resolve("testdibao", "rounding", "110105", before, "urban", "dflt").is_default
    assert t.resolve("testdibao", "rounding", "110105", start, "urban", "dflt").value == value


def test_registrar_add() -> None:
    register = PolicyRegistrar("p")
    o = register.add("testdibao", "rounding", "110000", "2020-01-01", "up", source={"issuer": "x"})
    assert o.plugin == "p" and o.source is not None and o.source.issuer == "x"
    assert len(register.table) == 1
    assert "p" in repr(register)
