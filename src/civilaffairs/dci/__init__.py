"""Households to and from the DCI social-registry data model (DCI 社会登记数据模型).

The Digital Convergence Initiative (DCI) publishes interoperability standards for social
protection systems; its *Social Registry* standard describes a household as a **Group**
(``DO.SR.02``) whose ``member_list`` holds **Members** (``DO.SR.03``), each with
``demographic_info`` (an ``SRPerson``: identifiers, name, sex, birth and death dates) and
``related_person`` entries (relationship codes, ``CD.COM.07``). This module maps
:class:`~civilaffairs.domain.Household` and :class:`~civilaffairs.domain.Person` to those
objects and back:

* :func:`export_household` gives the DCI Group of a household (a JSON-ready dict);
* :func:`import_group` builds the household back, checking it as any input is checked
  (:func:`civilaffairs.convert.structure`), with errors named by their DCI path.

Version used: *DCI Social Registry v1.0.0* (work in progress), data objects DO.SR.02 Group
and DO.SR.03 Member, and the JSON-LD schemas of the ``spdci/schemas`` repository
(``extensions/social/v1``, ``common/v1``); see :data:`SPEC`. The mapping table, and what
could not be verified, are in the documentation (``explanation/dci-mapping``).

**Nothing is dropped.** What the DCI model has no place for — urban or rural residence,
assets, essential expenses, and per person hukou, disability category and grade,
self-care, labour capacity, schooling, exact employment, income items, supporters and
statuses — goes into the extension object ``"civilaffairs:extension"`` of the Group or the
Member, in the library's own JSON form. A field added to the domain later lands there too,
because the extension is everything the DCI fields do not carry.

**Resident IDs are exported whole**, as the identifier of type ``UIN`` (CD.COM.01: unique
identification number, the national ID): the receiving registry needs the number to match
people. The files this module writes are therefore personal data, to be handled as such;
every message and log line about them masks the number
(:func:`civilaffairs.ids.mask_text`).

>>> import pathlib
>>> from civilaffairs.convert import load_json
>>> from civilaffairs.domain import Household
>>> home = load_json(pathlib.Path("examples/households/beijing-3.json"), Household)
>>> group = export_household(home)
>>> group["@type"], group["group_size"], group["address"]["sub_region_code"]
('spdci:Group', 3, '110105')
>>> member = group["member_list"][1]
>>> member["related_person"][0]["relationship_type"], member["demographic_info"]["sex"]
('SPS', 'female')
>>> member["civilaffairs:extension"]["incomes"]
[{'kind': 'wage', 'monthly': '1000.00'}]
>>> import_group(group) == home
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from civilaffairs.domain import Household
from civilaffairs.errors import FieldError, ValidationError

__all__ = [
    "CONTEXT",
    "EXTENSION",
    "GROUP_TYPE_HOUSEHOLD",
    "HOUSEHOLD_ID_TYPE",
    "NATIONAL_ID_TYPE",
    "NATIONAL_ID_TYPES",
    "RELATIONSHIPS",
    "SPEC",
    "export_household",
    "import_group",
]

#: The DCI standard this mapping follows, and where it was read.
SPEC = {
    "standard": "DCI Social Registry",
    "version": "v1.0.0 (work in progress)",
    "group": "https://standards.spdci.org/standards/v/wip-social-registry-v1.0.0/"
    "social-registry/1.-crvs/data/data-objects/do.sr.02-group",
    "member": "https://standards.spdci.org/standards/wip-social-registry-v1.0.0/"
    "social-registry/1.-crvs/data/data-objects/do.sr.03-member",
    "schemas": "https://github.com/spdci/schemas (extensions/social/v1, common/v1)",
}

#: The JSON-LD context of an exported Group: the DCI social and common vocabularies, and
#: this library's namespace for the extension object and the household identifier type.
CONTEXT = {
    "spdci": "https://schema.spdci.org/extensions/social/v1/",
    "common": "https://schema.spdci.org/common/v1/",
    "civilaffairs": "https://civilaffairs.readthedocs.io/ns/dci/v1#",
}

#: The key of the extension object that holds what the DCI model has no place for.
EXTENSION = "civilaffairs:extension"
#: The identifier type of a resident ID (公民身份号码): ``UIN``, "Unique Identification
#: Number" of the DCI identifier types (CD.COM.01, ``common/v1/IdentifierTypeEnum``).
NATIONAL_ID_TYPE = "UIN"
#: Identifier types read as a resident ID on import: ``UIN`` and ``NationalID`` (the
#: value the standard's own JSON examples use).
NATIONAL_ID_TYPES = frozenset({"UIN", "NationalID"})
#: The identifier type of the household id: the DCI list has no household identifier, so
#: it is this library's own, in its namespace.
HOUSEHOLD_ID_TYPE = "civilaffairs:household_id"
#: ``group_type`` of a household: ``1`` in the DCI group types (``common/v1/GroupTypeEnum``).
GROUP_TYPE_HOUSEHOLD = "1"

#: Relation to the head of household → DCI relationship code (``RelationshipTypeEnum``).
RELATIONSHIPS = {
    "head": "SELF",
    "spouse": "SPS",
    "child": "CHILD",
    "parent": "PRN",
    "grandparent": "GRPRN",
    "grandchild": "GRNDCHILD",
    "sibling": "SIB",
    "other": "FAMMEMB",
}

#: More DCI relationship codes read on import, by the relation they mean.
_MORE_CODES = {
    "spouse": "PRIMSPOUS DOMPART HUSB WIFE SIGOTHR",
    "child": "CHLDADOPT CHILDADOPT DAUADOPT SONADOPT CHLDFOST CHILDFOST DAUFOST SONFOST DAUC "
    "DAU STPDAU NCHILD SON SONC STPSON STPCHILD",
    "parent": "ADOPTP ADOPTF ADOPTM FTH FTHFOST NFTH NFTHF STPFTH MTH GESTM MTHFOST NMTH NMTHF "
    "STPMTH NPRN PRNFOST STPPRN",
    "grandparent": "GRFTH MGRFTH PGRFTH GRMTH MGRMTH PGRMTH MGRPRN PGRPRN",
    "grandchild": "GRNDDAU GRNDSON GRANDSON",
    "sibling": "BRO HBRO NBRO TWINBRO FTWINBRO ITWINBRO STPBRO HSIB HSIS NSIB NSIS TWINSIS "
    "FTWINSIS ITWINSIS TWIN FTWIN ITWIN SIS STEPSIS STEPSIB",
}
_RELATION_OF = {code: rel for rel, code in RELATIONSHIPS.items()} | {
    code: rel for rel, codes in _MORE_CODES.items() for code in codes.split()
}

#: Employment → DCI employment status (``EmploymentStatusEnum``): informative only; the
#: exact value travels in the extension.
_EMPLOYMENT = {
    "employed": "1",
    "self_employed": "6",
    "unemployed": "2",
    "retired": "2",
    "not_in_labour_force": "2",
}

#: Person fields the DCI objects carry exactly; every other field goes to the extension.
_PERSON_DCI = {
    "id_number": "demographic_info.identifier",
    "name": "demographic_info.name",
    "birth_date": "demographic_info.birth_date",
    "sex": "demographic_info.sex",
    "died_on": "demographic_info.death_date",
    "relation": "related_person",
}
#: Household fields the DCI Group carries exactly.
_HOUSEHOLD_DCI = {
    "id": "group_identifier",
    "region": "address.sub_region_code",
    "members": "member_list",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CJK = re.compile(r"[\u3400-\u9fff]")


# -- export -------------------------------------------------------------------------


def _identifier(kind: str, value: str) -> dict[str, str]:
    return {"@type": "Identifier", "identifier_type": kind, "identifier_value": value}


def export_household(household: Household) -> dict[str, Any]:
    """The DCI Group (DO.SR.02) of *household*, JSON-ready, resident IDs whole."""
    from civilaffairs.convert import unstructure

    data = dict(unstructure(household))
    data.pop("type", None)
    members: list[dict[str, Any]] = data.pop("members")
    hid: str = data.pop("id")
    region: str = data.pop("region")
    refs = [f"_:m{i}" for i in range(len(members))]
    head = next(i for i, m in enumerate(members) if m.get("relation") == "head")
    return {
        "@context": dict(CONTEXT),
        "@type": "spdci:Group",
        "group_identifier": [_identifier(HOUSEHOLD_ID_TYPE, hid)],
        "group_type": GROUP_TYPE_HOUSEHOLD,
        "address": {
            "@type": "Address",
            "sub_region_code": region,
            "region_code": region[:2] + "0000",
            "country_code": "CN",
        },
        "group_size": len(members),
        "group_head_info": {"@type": "spdci:Member", "@id": refs[head]},
        "member_list": [_member(m, refs[i], refs[head]) for i, m in enumerate(members)],
        EXTENSION: data,
    }


def _member(person: dict[str, Any], ref: str, head: str) -> dict[str, Any]:
    extension = {k: v for k, v in person.items() if k not in _PERSON_DCI}
    ids = [_identifier(NATIONAL_ID_TYPE, person["id_number"])] if "id_number" in person else []
    demographic: dict[str, Any] = {"@type": "SRPerson"}
    if ids:
        demographic["identifier"] = ids
    if "name" in person:
        demographic["name"] = {"@type": "Name", "given_name": person["name"]}
    demographic["sex"] = person["sex"]
    demographic["birth_date"] = person["birth_date"]
    if "died_on" in person:
        demographic["death_date"] = person["died_on"]
    member: dict[str, Any] = {"@type": "spdci:Member", "@id": ref}
    if ids:
        member["member_identifier"] = ids
    member["demographic_info"] = demographic
    member["related_person"] = [
        {
            "@type": "RelatedPerson",
            "relationship_type": RELATIONSHIPS[person["relation"]],
            "related_member": {"@id": head},
        }
    ]
    if "disability" in person:
        member["is_disabled"] = True
    if "employment" in person:
        member["employment_status"] = _EMPLOYMENT[person["employment"]]
    member[EXTENSION] = extension
    return member


# -- import -------------------------------------------------------------------------


def import_group(group: Any) -> Household:
    """The household a DCI Group describes (the inverse of :func:`export_household`).

    Reads the group's household identifier (``civilaffairs:household_id``, or its only
    identifier), ``address.sub_region_code`` and ``member_list``; for each member its
    ``UIN`` or ``NationalID`` identifier, name (``surname`` then ``given_name``), sex,
    birth and death dates and its relationship to the head; then both extension objects.
    The DCI fields that are only informative (``employment_status``, ``is_disabled``,
    ``group_size``) are not read.

    :raises ValidationError: every problem, each with its DCI path
        (``member_list[1].demographic_info.sex``); resident IDs masked.
    """
    from civilaffairs.convert import structure

    errors: list[FieldError] = []
    if not isinstance(group, Mapping):
        raise ValidationError.single(
            "",
            "a DCI Group is a JSON object (应为 DCI Group 对象)",
            "type",
            zh="应为 DCI Group 对象（JSON 对象）",
        )
    data: dict[str, Any] = {}
    extension = group.get(EXTENSION, {})
    if isinstance(extension, Mapping):
        data.update(extension)
    else:
        errors.append(_not_object(EXTENSION))
    hid = _household_id(group.get("group_identifier"), errors)
    if hid is not None:
        data["id"] = hid
    region = _region(group.get("address"), errors)
    if region is not None:
        data["region"] = region
    members = group.get("member_list")
    if not isinstance(members, list):
        errors.append(
            FieldError(
                "member_list",
                "is required: a list of members (缺少成员列表)",
                "missing",
                zh="缺少成员列表 member_list",
            )
        )
        members = []
    head = _ref(group.get("group_head_info"))
    data["members"] = [_person(m, f"member_list[{i}]", head, errors) for i, m in enumerate(members)]
    if errors:
        raise _cleaned(errors)
    try:
        return structure(data, Household)
    except ValidationError as exc:
        raise _cleaned(list(exc.errors), translate=True) from None


def _cleaned(errors: list[FieldError], *, translate: bool = False) -> ValidationError:
    from civilaffairs.domain._privacy import safe_text

    out = []
    for e in errors:
        path = dci_path(e.path) if translate else e.path
        out.append(
            FieldError(
                safe_text(path),
                safe_text(e.message),
                e.code,
                zh=safe_text(e.message_zh),
                en=safe_text(e.message_en),
            )
        )
    return ValidationError(out, what="DCI group")


def dci_path(path: str) -> str:
    """The DCI path of a household field path: ``members[1].sex`` →
    ``member_list[1].demographic_info.sex``, ``members[0].incomes[0].monthly`` →
    ``member_list[0].civilaffairs:extension.incomes[0].monthly``.

    >>> dci_path("members[1].died_on")
    'member_list[1].demographic_info.death_date'
    >>> dci_path("assets[0].value")
    'civilaffairs:extension.assets[0].value'
    """
    m = re.match(r"members\[(\d+)\]\.?([A-Za-z_]*)(.*)", path)
    if m:
        index, field, rest = m.groups()
        if not field:
            return f"member_list[{index}]{rest}"
        where = _PERSON_DCI.get(field, f"{EXTENSION}.{field}")
        return f"member_list[{index}].{where}{rest}"
    head, _, rest = path.partition(".")
    name = re.match(r"[A-Za-z_]*", head)
    field = name.group() if name else ""
    if not field:
        return path
    where = _HOUSEHOLD_DCI.get(field, f"{EXTENSION}.{field}")
    return where + head[len(field) :] + (f".{rest}" if rest else "")


def _not_object(path: str) -> FieldError:
    return FieldError(path, "must be a JSON object (应为对象)", "type", zh="应为 JSON 对象")


def _ref(value: Any) -> str | None:
    if isinstance(value, Mapping):
        ref = value.get("@id")
        return ref if isinstance(ref, str) else None
    return None


def _household_id(identifiers: Any, errors: list[FieldError]) -> str | None:
    found = (
        [i for i in identifiers if isinstance(i, Mapping)] if isinstance(identifiers, list) else []
    )
    ours = [i for i in found if i.get("identifier_type") == HOUSEHOLD_ID_TYPE]
    chosen = ours or (found if len(found) == 1 else [])
    value = chosen[0].get("identifier_value") if chosen else None
    if isinstance(value, str):
        return value
    errors.append(
        FieldError(
            "group_identifier",
            f"needs the household id, an identifier of type {HOUSEHOLD_ID_TYPE!r} (缺少家庭编号)",
            "missing",
            zh=f"缺少家庭编号：应有类型为 {HOUSEHOLD_ID_TYPE!r} 的标识",
        )
    )
    return None


def _region(address: Any, errors: list[FieldError]) -> str | None:
    if isinstance(address, list) and address:
        address = address[0]
    code = address.get("sub_region_code") if isinstance(address, Mapping) else None
    if isinstance(code, str):
        return code
    errors.append(
        FieldError(
            "address.sub_region_code",
            "is required: the county-level GB/T 2260 code (缺少县级行政区划代码)",
            "missing",
            zh="缺少县级行政区划代码（GB/T 2260）",
        )
    )
    return None


def _person(member: Any, path: str, head: str | None, errors: list[FieldError]) -> Any:
    if not isinstance(member, Mapping):
        errors.append(_not_object(path))
        return None
    person: dict[str, Any] = {}
    extension = member.get(EXTENSION, {})
    if isinstance(extension, Mapping):
        person.update(extension)
    else:
        errors.append(_not_object(f"{path}.{EXTENSION}"))
    info = member.get("demographic_info", {})
    if not isinstance(info, Mapping):
        errors.append(_not_object(f"{path}.demographic_info"))
        info = {}
    rid = _national_id(info.get("identifier")) or _national_id(member.get("member_identifier"))
    if rid is not None:
        person["id_number"] = rid
    name = _name(info.get("name"))
    if name is not None:
        person["name"] = name
    if info.get("sex") in ("male", "female"):
        person["sex"] = info["sex"]
    elif info.get("sex") not in (None, "", "other", "unknown"):
        errors.append(
            FieldError(
                f"{path}.demographic_info.sex",
                "is not one of: male, female (性别无效)",
                "choice",
                zh="性别无效，应为 male 或 female",
            )
        )
    for dci, ours in (("birth_date", "birth_date"), ("death_date", "died_on")):
        value = info.get(dci)
        if isinstance(value, str) and _DATE.match(value):
            person[ours] = value[:10]
        elif value not in (None, ""):
            errors.append(
                FieldError(
                    f"{path}.demographic_info.{dci}",
                    "is not a date YYYY-MM-DD (日期无效)",
                    "invalid_period",
                    zh="日期无效，应为 YYYY-MM-DD",
                )
            )
    relation = _relation(member, head)
    if relation is not None:
        person["relation"] = relation
    elif _ref(member) is not None and _ref(member) == head:
        person["relation"] = "head"
    return person


def _national_id(identifiers: Any) -> str | None:
    if not isinstance(identifiers, list):
        return None
    for item in identifiers:
        if isinstance(item, Mapping) and item.get("identifier_type") in NATIONAL_ID_TYPES:
            value = item.get("identifier_value")
            if isinstance(value, str):
                return value
    return None


def _name(name: Any) -> str | None:
    if isinstance(name, str):
        return name
    if not isinstance(name, Mapping):
        return None
    parts = [name.get(k) for k in ("surname", "given_name")]
    texts = [p for p in parts if isinstance(p, str) and p]
    if not texts:
        return None
    joiner = "" if all(_CJK.search(t) for t in texts) else " "
    return joiner.join(texts)


def _relation(member: Mapping[str, Any], head: str | None) -> str | None:
    related = member.get("related_person")
    if not isinstance(related, list):
        return None
    entries = [r for r in related if isinstance(r, Mapping)]
    to_head = [r for r in entries if _ref(r.get("related_member")) == head] or entries
    for entry in to_head:
        code = entry.get("relationship_type")
        if isinstance(code, str):
            return _RELATION_OF.get(code, "other")
    return None
