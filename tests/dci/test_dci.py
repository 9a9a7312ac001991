"""DCI social-registry export and import: a round trip loses nothing, the DCI fields say
what the standard's fields mean, and errors name DCI paths with resident IDs masked."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.cli import cli
from civilaffairs.convert import load_json, unstructure
from civilaffairs.dci import (
    EXTENSION,
    HOUSEHOLD_ID_TYPE,
    NATIONAL_ID_TYPE,
    RELATIONSHIPS,
    export_household,
    import_group,
)
from civilaffairs.domain import Household
from civilaffairs.errors import ValidationError
from civilaffairs.testing import strategies as cst

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOUSEHOLDS = sorted((ROOT / "examples" / "households").glob("*.json"))


@given(cst.households())
def test_round_trip_loses_nothing(home: Household) -> None:
    group = export_household(home)
    text = json.dumps(group, ensure_ascii=False)
    back = import_group(json.loads(text))
    assert back == home
    assert unstructure(back) == unstructure(home)


@given(cst.households())
def test_every_field_is_in_a_dci_field_or_the_extension(home: Household) -> None:
    group = export_household(home)
    data = unstructure(home)
    assert group[EXTENSION] == {
        k: v for k, v in data.items() if k not in ("type", "id", "region", "members")
    }
    assert group["group_identifier"] == [
        {"@type": "Identifier", "identifier_type": HOUSEHOLD_ID_TYPE, "identifier_value": home.id}
    ]
    assert group["address"]["sub_region_code"] == home.region
    assert group["group_size"] == home.size
    head = group["group_head_info"]["@id"]
    for person, member in zip(home.members, group["member_list"], strict=True):
        info = member["demographic_info"]
        assert info["sex"] == person.sex.value
        assert info["birth_date"] == person.birth_date.isoformat()
        assert info.get("death_date") == (person.died_on.isoformat() if person.died_on else None)
        assert (info.get("name") or {}).get("given_name") == person.name
        (related,) = member["related_person"]
        assert related["relationship_type"] == RELATIONSHIPS[person.relation.value]
        assert related["related_member"] == {"@id": head}
        if person.id_number is None:
            assert "member_identifier" not in member and "identifier" not in info
        else:
            ident = {
                "@type": "Identifier",
                "identifier_type": NATIONAL_ID_TYPE,
                "identifier_value": person.id_number.unmasked,
            }
            assert member["member_identifier"] == [ident]
            assert info["identifier"] == [ident]
        person_data = unstructure(person)
        carried = {"id_number", "name", "birth_date", "sex", "died_on", "relation"}
        assert member[EXTENSION] == {k: v for k, v in person_data.items() if k not in carried}


@pytest.mark.parametrize("path", HOUSEHOLDS, ids=lambda p: p.stem)
def test_examples_round_trip_through_the_commands(path: pathlib.Path, tmp_path: Any) -> None:
    runner = CliRunner()
    out = tmp_path / "dci.jsonl"
    result = runner.invoke(cli, ["export", "dci", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (line,) = out.read_text("utf-8").splitlines()
    assert json.loads(line)["@type"] == "spdci:Group"
    result = runner.invoke(cli, ["import", "dci", str(out), "--out", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "back").iterdir()
    assert load_json(written, Household) == load_json(path, Household)


def test_export_writes_one_group_a_line_with_ids_whole(tmp_path: Any) -> None:
    result = CliRunner().invoke(cli, ["export", "dci", *map(str, HOUSEHOLDS)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(HOUSEHOLDS)
    # the receiving registry needs the number: it is exported whole
    assert "110105198503120178" in result.stdout


def test_import_prints_households_as_json_lines(tmp_path: Any) -> None:
    groups = tmp_path / "groups.jsonl"
    groups.write_text(
        "\n".join(json.dumps(export_household(load_json(p, Household))) for p in HOUSEHOLDS) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["import", "dci", str(groups)])
    assert result.exit_code == 0
    homes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["id"] for h in homes] == [load_json(p, Household).id for p in HOUSEHOLDS]


def test_a_bad_group_is_reported_by_its_dci_path_and_masked(tmp_path: Any) -> None:
    home = load_json(HOUSEHOLDS[0], Household)
    group = export_household(home)
    group["member_list"][1]["demographic_info"]["sex"] = "male"  # the ID says female
    group["member_list"][0][EXTENSION]["incomes"][0]["monthly"] = "-1"
    group["member_list"][2]["demographic_info"]["birth_date"] = "yesterday"
    with pytest.raises(ValidationError) as info:
        import_group(group)
    paths = [e.path for e in info.value.errors]
    assert paths == ["member_list[2].demographic_info.birth_date"]
    group["member_list"][2]["demographic_info"]["birth_date"] = "2015-09-01"
    with pytest.raises(ValidationError) as info:
        import_group(group)
    paths = {e.path for e in info.value.errors}
    assert paths == {
        "member_list[1].demographic_info.sex",
        f"member_list[0].{EXTENSION}.incomes[0].monthly",
    }
    text = str(info.value)
    assert "110105198707220242" not in text and "110105********0242" in text
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([group, export_household(home)]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "dci", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "110105198707220242" not in result.output
    assert "member_list[1].demographic_info.sex" in result.stderr
    assert len(list((tmp_path / "o").iterdir())) == 1


@pytest.mark.parametrize(
    ("group", "path"),
    [
        ([], ""),
        ({"member_list": "x"}, "member_list"),
        (
            {
                "group_identifier": [
                    {"identifier_type": "other", "identifier_value": "a"},
                    {"identifier_type": "x", "identifier_value": "b"},
                ]
            },
            "group_identifier",
        ),
        ({EXTENSION: 5}, EXTENSION),
        ({"address": {"region_code": "110000"}}, "address.sub_region_code"),
    ],
)
def test_shape_errors_name_the_dci_field(group: Any, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        import_group(group)
    assert path in [e.path for e in info.value.errors]


def test_a_foreign_group_reads_the_standard_fields() -> None:
    """A Group as the standard's own examples write it: a NationalID identifier, a name in
    surname and given name, a date-time, relationship codes beyond this library's."""
    group = {
        "@type": "spdci:Group",
        "group_identifier": [{"identifier_type": "HH", "identifier_value": "EXT-1"}],
        "address": [{"@type": "Address", "sub_region_code": "110105"}],
        "group_head_info": {"@id": "https://example.org/member/1"},
        "member_list": [
            {
                "@id": "https://example.org/member/1",
                "demographic_info": {
                    "identifier": [
                        {"identifier_type": "NationalID", "identifier_value": "11010519491231002X"}
                    ],
                    "name": {"surname": "张", "given_name": "秀兰"},
                    "birth_date": "1949-12-31T00:00:00Z",
                },
                "related_person": [
                    {
                        "relationship_type": "SELF",
                        "related_member": {"@id": "https://example.org/member/1"},
                    }
                ],
            },
            {
                "@id": "https://example.org/member/2",
                "demographic_info": {
                    "name": {"surname": "Smith", "given_name": "Alice"},
                    "sex": "female",
                    "birth_date": "2010-05-20",
                },
                "related_person": [
                    {
                        "relationship_type": "GRNDDAU",
                        "related_member": {"@id": "https://example.org/member/1"},
                    }
                ],
            },
        ],
        EXTENSION: {"residence": "urban"},
    }
    home = import_group(group)
    assert home.id == "EXT-1"
    assert home.head.name == "张秀兰"
    assert home.head.sex.value == "female"
    assert home.members[1].name == "Smith Alice"
    assert home.members[1].relation.value == "grandchild"


@given(st.sampled_from(sorted(RELATIONSHIPS)))
def test_relationship_codes_are_one_to_one(relation: str) -> None:
    codes = list(RELATIONSHIPS.values())
    assert codes.count(RELATIONSHIPS[relation]) == 1
