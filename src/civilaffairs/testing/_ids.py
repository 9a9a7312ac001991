"""Valid resident IDs for tests and examples (测试用身份证号)."""

from __future__ import annotations

import datetime as _dt

from civilaffairs.errors import CivilAffairsError
from civilaffairs.ids import ResidentId, Sex, resident_id_check_char

__all__ = ["resident_id"]


def resident_id(
    birth_date: _dt.date | str = "1980-01-01",
    sex: Sex | str = "male",
    region: str = "110105",
    sequence: int = 1,
) -> str:
    """A well-formed resident ID (GB 11643) for *birth_date*, *sex* and *region*, with the
    right check character, for tests and examples; the *sequence*-th of that day and sex.

    >>> from civilaffairs.testing import resident_id
    >>> resident_id("1949-12-31", "female", "110105", sequence=1)  # the standard's example
    '11010519491231002X'
    >>> resident_id("2010-06-11", "male", "330106")
    '330106201006110018'

    :param sex: ``"male"`` or ``"female"`` (odd or even sequence digit, as the standard
        has it).
    :param sequence: 1 to 499.
    :raises CivilAffairsError: naming the argument that cannot give a valid ID (a region
        not in GB/T 2260, a birth date in the future, a sequence out of range).
    """
    day = _dt.date.fromisoformat(birth_date) if isinstance(birth_date, str) else birth_date
    male = (sex.value if isinstance(sex, Sex) else str(sex)) == "male"
    if not 1 <= sequence <= 499:
        raise CivilAffairsError("sequence must be 1 to 499", path="sequence")
    digits = sequence * 2 - 1 if male else sequence * 2
    first17 = f"{region}{day:%Y%m%d}{digits:03d}"
    if len(first17) != 17 or not first17.isdigit():
        raise CivilAffairsError(f"region {region!r} is not a 6-digit code", path="region")
    value = first17 + resident_id_check_char(first17)
    ResidentId.parse(value)  # the same checks as any input: region, date, check character
    return value
