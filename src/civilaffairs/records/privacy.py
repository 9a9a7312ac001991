"""What the store keeps of a person (个人信息的存储形式).

A resident ID is kept as its keyed pseudonym (``civilaffairs.pseudonyms.pseudonym``,
``CIVILAFFAIRS_ID_KEY``), which matches the same person across households and systems, and
its masked form (:func:`civilaffairs.ids.mask`) for display. The full number is kept only
when ``CIVILAFFAIRS_ENCRYPTION_KEY`` is configured, encrypted with AES-256-GCM (a fresh
96-bit nonce per value; the purpose of the value is authenticated with it, so a ciphertext
cannot be moved to another field). Names are kept masked (``张**``), and encrypted beside
it under the same condition.

A household id that holds a resident ID (some systems number cases by the head's ID) is
stored as its masked form followed by ``~`` and 12 hexadecimal characters of an HMAC of the
whole id under the pseudonym key, so two such cases stay apart without the number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.ids import mask, mask_text
from civilaffairs.records.errors import KeyProblem

if TYPE_CHECKING:
    from civilaffairs.domain import Household

__all__ = ["Protector", "SnapshotMemberRow"]

_TOKEN_PREFIX = "aesgcm1:"


@attrs.frozen
class SnapshotMemberRow:
    """One member of a snapshot as the ``snapshot_members`` table holds it."""

    position: int
    person_key: str | None
    person_masked: str | None
    id_encrypted: str | None
    relation: str
    birth_date: str | None
    died_on: str | None


@attrs.frozen
class Protector:
    """Turns personal data into its stored form under the configured keys.

    :param id_key: the pseudonym key (``CIVILAFFAIRS_ID_KEY``).
    :param encryption_key: the AES-256 key, or ``None`` to keep no full number.
    """

    id_key: bytes = attrs.field(repr=False)
    encryption_key: bytes | None = attrs.field(default=None, repr=False)

    @classmethod
    def from_environment(cls) -> Protector:
        """The keys from ``CIVILAFFAIRS_ID_KEY`` and ``CIVILAFFAIRS_ENCRYPTION_KEY``.

        :raises ~civilaffairs.errors.CivilAffairsError: (``MissingKey``) if the pseudonym
            key is not set.
        :raises KeyProblem: if the encryption key is set but malformed.
        """
        from civilaffairs.pseudonyms import id_key
        from civilaffairs.records.config import encryption_key

        return cls(id_key(), encryption_key())

    def person_key(self, resident_id: str) -> str:
        """The pseudonym of *resident_id*."""
        from civilaffairs.pseudonyms import pseudonym

        return pseudonym(resident_id, self.id_key)

    def case_id(self, household_id: str) -> str:
        """The stored form of a household id: itself, or masked and tagged if it holds a
        resident ID."""
        shown = mask_text(household_id)
        if shown == household_id:
            return household_id
        tag = hmac.new(self.id_key, household_id.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{shown}~{tag[:12]}"

    def encrypt(self, text: str, purpose: str) -> str | None:
        """*text* encrypted for *purpose* (``"resident_id"``, ``"name"``), or ``None``
        without an encryption key."""
        if self.encryption_key is None:
            return None
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        sealed = AESGCM(self.encryption_key).encrypt(
            nonce, text.encode("utf-8"), b"civilaffairs:" + purpose.encode("ascii")
        )
        return _TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str, purpose: str) -> str:
        """The text sealed in *token* for *purpose*.

        :raises KeyProblem: without an encryption key, or if the token was not sealed
            with this key for this purpose.
        """
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if self.encryption_key is None:
            raise KeyProblem(
                "CIVILAFFAIRS_ENCRYPTION_KEY is not set: encrypted values cannot be read "
                "(未配置加密密钥)",
                zh="未设置 CIVILAFFAIRS_ENCRYPTION_KEY，无法解密",
            )
        try:
            if not token.startswith(_TOKEN_PREFIX):
                raise ValueError(token[:8])
            raw = base64.urlsafe_b64decode(token[len(_TOKEN_PREFIX) :])
            plain = AESGCM(self.encryption_key).decrypt(
                raw[:12], raw[12:], b"civilaffairs:" + purpose.encode("ascii")
            )
        except (InvalidTag, ValueError):
            raise KeyProblem(
                f"a stored {purpose} cannot be decrypted with CIVILAFFAIRS_ENCRYPTION_KEY "
                "(解密失败)",
                zh=f"无法用 CIVILAFFAIRS_ENCRYPTION_KEY 解密所存的 {purpose}",
            ) from None
        return plain.decode("utf-8")

    def snapshot(self, household: Household) -> tuple[dict[str, Any], list[SnapshotMemberRow]]:
        """The stored form of *household* as assessed, and its members' rows.

        Each member's ``id_number`` becomes ``id_key`` (pseudonym) and ``id_masked`` (plus
        ``id_encrypted`` with an encryption key); ``name`` becomes ``name_masked`` (plus
        ``name_encrypted``). Birth date and sex stay, so the snapshot can be assessed
        again without the numbers.
        """
        from civilaffairs.convert import unstructure
        from civilaffairs.domain._privacy import masked_name

        data: dict[str, Any] = unstructure(household)
        data["id"] = self.case_id(household.id)
        rows: list[SnapshotMemberRow] = []
        members = []
        for position, (person, item) in enumerate(
            zip(household.members, data["members"], strict=True)
        ):
            item = dict(item)
            key = masked = sealed = None
            if person.id_number is not None:
                whole = person.id_number.unmasked
                key = self.person_key(whole)
                masked = mask(whole)
                sealed = self.encrypt(whole, "resident_id")
                item.pop("id_number", None)
                item["id_key"] = key
                item["id_masked"] = masked
                if sealed is not None:
                    item["id_encrypted"] = sealed
            if person.name is not None:
                item.pop("name", None)
                item["name_masked"] = masked_name(person.name)
                name_sealed = self.encrypt(person.name, "name")
                if name_sealed is not None:
                    item["name_encrypted"] = name_sealed
            members.append(item)
            rows.append(
                SnapshotMemberRow(
                    position=position,
                    person_key=key,
                    person_masked=masked,
                    id_encrypted=sealed,
                    relation=person.relation.value,
                    birth_date=item.get("birth_date"),
                    died_on=item.get("died_on"),
                )
            )
        data["members"] = members
        return data, rows
