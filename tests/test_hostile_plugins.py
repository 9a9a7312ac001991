"""Hostile plugins: each attack on provenance, governed regions, conflict resolution or the
host process is refused or reported, and the other plugins' values and the decisions'
provenance stay as they were.

The attackers are throwaway plugins built here: classes handed to the plugin manager in
code, or modules installed as a fake distribution with real entry points.
"""

from __future__ import annotations

import pathlib
import sys
import textwrap
import time
import uuid
from typing import Any

import civilaffairs_beijing
import pytest

from civilaffairs import assess, hookimpl
from civilaffairs.errors import PluginError, StandardConflict
from civilaffairs.money import Money
from civilaffairs.plugin_manager import make_plugin_manager, settings_from_env
from civilaffairs.registry import Registry, build_registry
from civilaffairs.standards import StandardsRegistrar, StandardValue
from programs_support import beijing_three

SRC = {"issuer": "某某市民政局", "title": "通知"}
GD = ("440000",)


def beijing_values(registry: Registry) -> list[tuple[str, str, str, str, str]]:
    return [
        (v.key, v.region, v.residence.value, str(v.effective_from), str(v.value))
        for v in registry.standards.values()
        if v.plugin == "beijing"
    ]


@pytest.fixture(scope="module")
def clean() -> Registry:
    """National and Beijing alone: what every attack must leave unchanged."""
    return build(strict=True)


def build(
    *attackers: tuple[str, object],
    provinces: dict[str, tuple[str, ...]] | None = None,
    **kwargs: Any,
) -> Registry:
    plugins: dict[str, object] = {"beijing": civilaffairs_beijing}
    plugins.update(dict(attackers))
    pm = make_plugin_manager(
        load_entrypoints=False,
        plugins=plugins,
        provinces={"beijing": ("110000",), **(provinces or {})},
        **kwargs,
    )
    return build_registry(pm)


def dibao_provenance(registry: Registry) -> list[tuple[str, str, str]]:
    decision = assess(beijing_three(), "2024-08", ["dibao"], registry=registry)["dibao"]
    return [(s.key, s.value, s.plugin) for s in decision.standards]


def assert_beijing_intact(registry: Registry, clean: Registry) -> None:
    assert registry.plugin("beijing").status == "loaded"
    assert beijing_values(registry) == beijing_values(clean)
    provenance = dibao_provenance(registry)
    assert provenance == dibao_provenance(clean)
    assert ("dibao.standard", "beijing") in {(k, p) for k, _, p in provenance}


def errors_of(registry: Registry, name: str) -> list[PluginError]:
    return [e for e in registry.errors if e.plugin == name]


# -- 1. provenance ------------------------------------------------------------------


def test_a_plugin_cannot_rename_its_registrar(clean: Registry) -> None:
    class Impostor:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.plugin = "beijing"
            register.add("dibao.standard", "440100", "2024-01-01", "1", source=SRC)

    registry = build(("impostor", Impostor()), provinces={"impostor": GD})
    (error,) = errors_of(registry, "impostor")
    assert "register.plugin is set by the host" in error.message
    assert registry.plugin("impostor").status == "failed"
    assert_beijing_intact(registry, clean)


def test_a_forged_name_inside_the_registrar_is_overwritten_by_the_host(clean: Registry) -> None:
    class Forger:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            object.__setattr__(register, "_plugin", "beijing")
            register.add("dibao.standard", "440100", "2024-01-01", "700", source=SRC)
            # a value built by hand, claiming to be Beijing's, put straight in the table
            register.table.add(
                StandardValue.build(
                    "dibao.standard", "440300", "2024-01-01", "800", source=SRC, plugin="beijing"
                )
            )

    registry = build(("forger", Forger()), provinces={"forger": GD})
    assert not registry.errors
    mine = [v for v in registry.standards.values() if v.region in {"440100", "440300"}]
    assert {v.plugin for v in mine} == {"forger"}
    assert registry.plugin("forger").counts["standards"] == 2
    assert_beijing_intact(registry, clean)


def test_values_changed_after_registration_do_not_change_the_registry(clean: Registry) -> None:
    kept: list[StandardValue] = []

    class Mutator:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            v = register.add("dibao.standard", "440100", "2024-01-01", "700", source=SRC)
            kept.append(v)

    registry = build(("mutator", Mutator()), provinces={"mutator": GD})
    (value,) = kept
    object.__setattr__(value, "value", Money.parse("99999"))
    object.__setattr__(value, "plugin", "beijing")
    object.__setattr__(value.source, "issuer", "伪造")
    served = registry.resolve("dibao.standard", "440106", "2024-06-01", "urban")
    assert (str(served.value), served.plugin, served.source.issuer) == (
        "700.00",
        "mutator",
        "某某市民政局",
    )
    assert served is not value
    assert_beijing_intact(registry, clean)


def test_a_value_broken_before_assembly_is_refused_by_the_revalidation(clean: Registry) -> None:
    class Breaker:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            v = register.add("dibao.standard", "440100", "2024-01-01", "700", source=SRC)
            object.__setattr__(v, "value", Money(-500))

    registry = build(("breaker", Breaker()), provinces={"breaker": GD})
    (error,) = errors_of(registry, "breaker")
    assert "negative" in error.message
    assert registry.plugin("breaker").status == "failed"
    assert_beijing_intact(registry, clean)


def test_the_registrar_name_is_read_only() -> None:
    register = StandardsRegistrar("guangdong")
    with pytest.raises(PluginError, match="set by the host"):
        register.plugin = "beijing"
    assert register.plugin == "guangdong"


# -- 2. governed regions ------------------------------------------------------------


class Invader:
    """Registers a Beijing value and a policy override in Beijing."""

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.add("dibao.standard", "110105", "2024-07-01", "1", source=SRC)


class NationalInvader:
    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.add("dibao.standard", "000000", "2024-07-01", "1", source=SRC)


class PolicyInvader:
    @hookimpl
    def civilaffairs_register_policies(self, register: Any) -> None:
        register.add("dibao", "rounding", "110000", "2024-01-01", "up")


@pytest.mark.parametrize(
    ("attacker", "what", "region"),
    [
        (Invader, "standard values", "110105"),
        (NationalInvader, "standard values", "000000"),
        (PolicyInvader, "policy overrides", "110000"),
    ],
)
def test_registering_outside_the_governed_provinces_is_refused(
    clean: Registry, attacker: type, what: str, region: str
) -> None:
    registry = build(("invader", attacker()), provinces={"invader": GD})
    (error,) = errors_of(registry, "invader")
    assert f"registers {what} outside the provinces it governs: {region}" in error.message
    assert "it governs 440000" in error.message
    assert registry.plugin("invader").status == "failed"
    assert_beijing_intact(registry, clean)


def test_only_the_core_registers_national_values_even_unscoped() -> None:
    registry = build(("invader", NationalInvader()))
    (error,) = errors_of(registry, "invader")
    assert "only the core registers national (000000) values" in error.message


def test_the_deployer_may_allow_a_foreign_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = build(("invader", Invader()), provinces={"invader": GD}, allow_foreign=["invader"])
    assert not registry.errors
    assert registry.resolve("dibao.standard", "110105", "2024-08-01", "urban").plugin == "invader"
    monkeypatch.setenv("CIVILAFFAIRS_ALLOW_FOREIGN", "invader, other")
    assert settings_from_env()["allow_foreign"] == ("invader", "other")


def test_bad_province_declarations_fail_the_plugin() -> None:
    registry = build(("odd", Invader()), provinces={"odd": ("110105", "000000")})
    (error,) = errors_of(registry, "odd")
    assert "'000000', '110105'" in error.message and "ending in 0000" in error.message


# -- entry-point plugins ---------------------------------------------------------------


class FakeDist:
    """Modules and a ``.dist-info`` in a temporary sys.path entry."""

    def __init__(self, root: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.monkeypatch = monkeypatch
        monkeypatch.syspath_prepend(str(root))

    def install(self, name: str, source: str, provinces: tuple[str, ...] = ()) -> str:
        module = f"hostile_{name}_{uuid.uuid4().hex[:8]}"
        (self.root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = self.root / f"hostile_{name}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: hostile-{name}\nVersion: 0.1\n", encoding="utf-8"
        )
        lines = ["[civilaffairs]", f"{name} = {module}"]
        if provinces:
            lines += ["[civilaffairs.provinces]", *(f"{c} = {module}" for c in provinces)]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        import importlib

        importlib.invalidate_caches()
        self.monkeypatch.delitem(sys.modules, module, raising=False)
        return module


@pytest.fixture
def fake(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> FakeDist:
    return FakeDist(tmp_path, monkeypatch)


ANHUI = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(register):
    register.add("dibao.standard", "340000", "2024-01-01", "900",
                 source={"issuer": "安徽省民政厅", "title": "通知"})
"""


def test_an_entry_point_plugin_must_declare_its_provinces(fake: FakeDist) -> None:
    fake.install("undeclared", ANHUI)
    fake.install("declared", ANHUI.replace("340000", "340100"), provinces=("340000",))
    registry = build_registry(make_plugin_manager(block=["beijing"]))
    (error,) = errors_of(registry, "undeclared")
    assert "it declares no provinces" in error.message
    assert registry.plugin("declared").status == "loaded"
    assert registry.plugin("declared").provinces == ("340000",)


def test_the_bundled_plugins_declare_their_provinces() -> None:
    registry = build_registry(make_plugin_manager())
    declared = {p.name: p.provinces for p in registry.plugins if p.distribution}
    for name, code in [("beijing", "110000"), ("shanghai", "310000"), ("zhejiang", "330000")]:
        if name in declared:
            assert declared[name] == (code,)


# -- 3. conflicts never resolve by name order ---------------------------------------


def conflicting(residence: str) -> object:
    class Conflict:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add(
                "dibao.standard", "110000", "2024-07-01", "2000", residence=residence, source=SRC
            )
            register.add("dibao.standard", "110000", "2024-03-01", "1400", source=SRC)

    return Conflict()


@pytest.mark.parametrize("residence", ["both", "urban"])
def test_a_conflict_disables_only_the_conflicting_values(clean: Registry, residence: str) -> None:
    registry = build(("aaa_conflict", conflicting(residence)), allow_foreign=["aaa_conflict"])
    assert not registry.errors
    assert registry.plugin("beijing").status == "loaded"
    assert registry.plugin("aaa_conflict").status == "loaded"
    (warning,) = registry.warnings
    assert isinstance(warning, StandardConflict)
    assert set(warning.plugins) == {"beijing", "aaa_conflict"}
    # the slot in conflict is not served, not even by an older or national value
    with pytest.raises(StandardConflict):
        registry.resolve("dibao.standard", "110105", "2024-08-01", "urban")
    # everything else of both plugins is served
    assert registry.resolve("dibao.standard", "110105", "2024-04-01", "urban").plugin == (
        "aaa_conflict"
    )
    older = registry.resolve("dibao.standard", "110105", "2022-08-01", "urban")
    assert older.plugin == "beijing"
    others = [v for v in beijing_values(registry) if v[0] != "dibao.standard"]
    assert others == [v for v in beijing_values(clean) if v[0] != "dibao.standard"]


def test_a_conflict_fails_only_the_households_that_read_it_in_bulk() -> None:
    """Bulk disables the conflicting slot per region, as the single lookup does: Beijing's
    households are errors naming the conflict, Shanghai's are assessed."""
    import attrs
    import civilaffairs_shanghai

    from civilaffairs.bulk.arrow import households_to_arrow
    from civilaffairs.bulk.run import assess_chunk
    from civilaffairs.standards.compiled import CONFLICT

    registry = build(
        ("aaa_conflict", conflicting("both")),
        ("shanghai", civilaffairs_shanghai),
        allow_foreign=["aaa_conflict"],
        provinces={"shanghai": ("310000",)},
    )
    beijing = beijing_three()
    shanghai = attrs.evolve(beijing, id="SH-1", region="310101")
    with pytest.raises(StandardConflict):
        assess(beijing, "2024-08", registry=registry)
    alone = assess(shanghai, "2024-08", registry=registry)
    hh, pp = households_to_arrow([beijing, shanghai])
    chunk = assess_chunk(hh, pp, "2024-08", registry=registry)
    assert chunk.errors.column("row").to_pylist() == [0]
    reason = chunk.errors.column("reason")[0].as_py()
    assert "registered twice" in reason and "aaa_conflict" in reason
    assert chunk.results.column("household_id").to_pylist() == ["SH-1"]
    dibao = {d.program: d for d in alone.decisions}["dibao"]
    assert chunk.results.column("dibao_amount_fen")[0].as_py() == dibao.amount.fen
    # before the conflicting date both are assessed
    chunk = assess_chunk(hh, pp, "2024-06", registry=registry)
    assert chunk.errors.num_rows == 0 and chunk.results.num_rows == 2
    # the compiled lookup disables the slot per region, not the key
    compiled = registry.standards.compile("dibao.standard")
    values, found, index = compiled.resolve_many(
        ["110105", "310101", "110105"], ["2024-08-01", "2024-08-01", "2024-06-01"], [0, 0, 0]
    )
    assert index[0] == CONFLICT and not found[0] and values[0] == 0
    assert found[1:].all()
    assert compiled.records[index[2]].plugin == "aaa_conflict"
    assert compiled.conflicts == tuple(registry.warnings)


def test_urban_and_rural_of_two_plugins_do_not_conflict() -> None:
    class Urban:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add("dibao.standard", "440000", "2024-01-01", "1000", residence="urban",
                         source=SRC)  # fmt: skip

    class Rural:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add("dibao.standard", "440000", "2024-01-01", "800", residence="rural",
                         source=SRC)  # fmt: skip

    registry = build(("u", Urban()), ("r", Rural()), provinces={"u": GD, "r": GD})
    assert not registry.warnings and not registry.errors


def test_strict_makes_a_conflict_fail_the_run() -> None:
    with pytest.raises(StandardConflict):
        build(("aaa_conflict", conflicting("both")), allow_foreign=["*"], strict=True)


def test_a_policy_conflict_disables_both_overrides() -> None:
    class One:
        @hookimpl
        def civilaffairs_register_policies(self, register: Any) -> None:
            register.add("dibao", "rounding", "440000", "2024-01-01", "up")

    registry = build(("one", One()), ("two", One()), provinces={"one": GD, "two": GD})
    assert not registry.errors
    (warning,) = registry.warnings
    assert set(warning.plugins) == {"one", "two"}
    with pytest.raises(StandardConflict):
        registry.policy("dibao", "rounding", "440106", "2024-06-01", "urban")
    assert registry.policy("dibao", "rounding", "440106", "2023-06-01", "urban").is_default


# -- 4. isolation ---------------------------------------------------------------------


class Exiter:
    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        raise SystemExit(3)


class Odd(BaseException):
    pass


class OddRaiser:
    @hookimpl
    def civilaffairs_register_policies(self, register: Any) -> None:
        raise Odd("not an Exception")


@pytest.mark.parametrize(("attacker", "shown"), [(Exiter, "SystemExit: 3"), (OddRaiser, "Odd")])
def test_a_base_exception_in_a_hook_is_a_plugin_error(
    clean: Registry, attacker: type, shown: str
) -> None:
    registry = build(("exiter", attacker()))
    (error,) = errors_of(registry, "exiter")
    assert shown in error.message
    assert_beijing_intact(registry, clean)


def test_system_exit_on_import_is_a_plugin_error(fake: FakeDist) -> None:
    fake.install("exits", "raise SystemExit('bye')\n", provinces=("340000",))
    registry = build_registry(make_plugin_manager())
    (error,) = errors_of(registry, "exits")
    assert "failed to import" in error.message and "SystemExit: bye" in error.message
    assert registry.plugin("exits").status == "failed"
    assert registry.plugin("beijing").status == "loaded"


def test_a_plugin_that_imports_too_slowly_is_reported(fake: FakeDist) -> None:
    fake.install("slow", "import time\ntime.sleep(3)\n", provinces=("340000",))
    started = time.monotonic()
    registry = build_registry(make_plugin_manager(timeout=0.3))
    assert time.monotonic() - started < 2.5
    (error,) = errors_of(registry, "slow")
    assert "did not finish importing within 0.3 s" in error.message
    assert registry.plugin("slow").status == "failed"
    assert registry.plugin("beijing").status == "loaded"


class Sleeper:
    """A registration hook that never finishes in time."""

    @hookimpl
    def civilaffairs_register_standards(self, register: StandardsRegistrar) -> None:
        time.sleep(1.2)
        register.add("dibao.standard", "110000", "2030-01-01", "9999", source={"issuer": "x"})


def test_a_hook_that_runs_too_long_is_reported(clean: Registry) -> None:
    started = time.monotonic()
    registry = build(("sleeper", Sleeper()), timeout=0.3)
    assert time.monotonic() - started < 1.0
    (error,) = errors_of(registry, "sleeper")
    assert "civilaffairs_register_standards: did not finish" in error.message
    assert "within 0.3 s" in error.message
    assert_beijing_intact(registry, clean)
    time.sleep(1.2)  # the late registration lands in a discarded registrar
    assert_beijing_intact(registry, clean)


def test_registration_is_linear() -> None:
    """100,000 values of one key and region, out of date order, register in seconds."""
    import datetime

    from civilaffairs.standards import StandardsTable

    start = datetime.date(1800, 1, 1)
    values = [
        StandardValue.build(
            "minimum_wage",
            "440000",
            start + datetime.timedelta(days=(i * 7919) % 100_000),
            "1000",
            source=SRC,
            plugin="bulk",
        )
        for i in range(100_000)
    ]
    started = time.monotonic()
    table = StandardsTable(values)
    assert table.resolve("minimum_wage", "440106", "2100-01-01").plugin == "bulk"
    assert time.monotonic() - started < 5


AAA_CONFLICT = """
from civilaffairs import hookimpl

@hookimpl
def civilaffairs_register_standards(register):
    register.add("dibao.standard", "110000", "2024-07-01", "1", source={"issuer": "x"})
"""


def test_an_installed_aaa_conflict_no_longer_disables_beijing(fake: FakeDist) -> None:
    """It sorts before beijing and even declares Beijing as governed: the one value it
    claims is disabled on both sides and shown, nothing is decided by name order."""
    fake.install("aaa_conflict", AAA_CONFLICT, provinces=("110000",))
    registry = build_registry(make_plugin_manager())
    assert registry.plugin("beijing").status == "loaded"
    assert registry.plugin("aaa_conflict").status == "loaded"
    (warning,) = registry.warnings
    assert set(warning.plugins) == {"beijing", "aaa_conflict"}
    with pytest.raises(StandardConflict, match="registered twice"):
        registry.resolve("dibao.standard", "110105", "2024-08-01", "urban")
    old = registry.resolve("dibao.standard", "110105", "2022-08-01", "urban")
    assert (str(old.value), old.plugin) == ("1320.00", "beijing")
    basic = registry.resolve("tekun.basic_living", "110105", "2024-08-01", "urban")
    assert basic.plugin == "beijing"


def test_the_plugin_time_limit_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CIVILAFFAIRS_PLUGIN_TIMEOUT", "2.5")
    assert settings_from_env()["timeout"] == 2.5
    monkeypatch.setenv("CIVILAFFAIRS_PLUGIN_TIMEOUT", "soon")
    assert "timeout" not in settings_from_env()


def test_a_service_module_outside_the_governed_provinces_is_refused(clean: Registry) -> None:
    from civilaffairs.programs.module import ServiceModule

    class ModuleInvader:
        @hookimpl
        def civilaffairs_register_modules(self, register: Any) -> None:
            register.add(ServiceModule("guangdong.meals", zh="助餐", en="Meals", scope=("110105",)))

    registry = build(("invader", ModuleInvader()), provinces={"invader": GD})
    (error,) = errors_of(registry, "invader")
    assert "registers service modules scoped outside the provinces it governs: 110105" in (
        error.message
    )
    assert "guangdong.meals" not in registry.modules
    assert_beijing_intact(registry, clean)


def test_conflicts_are_shown_by_the_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A conflict that disables values is said by plugins, standards and assess."""
    import civilaffairs.registry as registry_module
    from civilaffairs.cli import main
    from civilaffairs.registry import build_registry
    from civilaffairs.testing import isolated_plugin_manager

    class One:
        __name__ = "one"

        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add("minimum_wage", "110000", "2024-01-01", "2420", source=SRC)

    class Two:
        __name__ = "two"

        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add("minimum_wage", "110000", "2024-01-01", "9999", source=SRC)

    reg = build_registry(isolated_plugin_manager(One(), Two(), strict=False), strict=False)
    assert reg.warnings
    monkeypatch.setattr(registry_module, "_registry", reg)
    main(["plugins", "--lang", "en"])
    assert "conflicts (the values are disabled)" in capsys.readouterr().out
    main(["standards", "110105", "--on", "2024-08-01", "--lang", "en"])
    assert "warning: " in capsys.readouterr().err


def test_assert_no_conflicts_reports_a_disabled_slot() -> None:
    from civilaffairs.testing import assert_no_conflicts

    registry = build(("aaa_conflict", conflicting("both")), allow_foreign=["aaa_conflict"])
    with pytest.raises(AssertionError, match=r"1 conflict\(s\)"):
        assert_no_conflicts(registry)
