"""Integrity audits over a caseload (专项治理审计): who is paid twice, after death, above the
standard, in two tiers, by a relative's hand, against external asset matches, or without the
periodic review.

The caseload is a table with one row per person, programme and month in payment
(:data:`CASELOAD_SCHEMA`); the records store builds it, or a file does. Each check runs
column-wise over the whole table (pyarrow compute and numpy) and, the same rule again, on one
case at a time; both paths give the same findings. Every finding cites the rule it rests on.
Provinces add checks (:class:`AuditCheck`) through ``civilaffairs_register_audit_checks``
and external-data matchers through ``civilaffairs_register_audit_matchers``.

>>> import pyarrow as pa
>>> from civilaffairs.audit import audit_caseload
>>> caseload = pa.table({"month": ["2024-08"], "household_id": ["H1"], "region": ["110105"],
...     "person_key": ["ab" * 32], "person_masked": ["110105********002X"],
...     "program": ["dibao"], "paid_fen": [50000], "death_date": ["2024-06-30"]})
>>> f = audit_caseload(caseload, on="2024-08").to_pylist()[0]
>>> f["check_id"], f["detail_en"]
('audit.paid_after_death', 'died on 2024-06-30; 500.00 yuan paid for 2024-08')

No output of this package holds a whole resident ID: people appear as ``person_masked``
(validated not to be a whole ID) and, in the deduplication report, as a pseudonym prefix.
"""

from __future__ import annotations

from civilaffairs.audit.bundled import BUNDLED_CHECKS
from civilaffairs.audit.dedup import DUPLICATES_SCHEMA, duplicates
from civilaffairs.audit.model import AuditCheck, AuditData, Finding
from civilaffairs.audit.run import AuditResult, audit_caseload, audit_single, run_audit
from civilaffairs.audit.schema import (
    CASELOAD_SCHEMA,
    ERRORS_SCHEMA,
    FINDINGS_SCHEMA,
    MATCHES_SCHEMA,
    RELATIVES_SCHEMA,
    AuditInputError,
    validate_caseload,
)

__all__ = [
    "BUNDLED_CHECKS",
    "CASELOAD_SCHEMA",
    "DUPLICATES_SCHEMA",
    "ERRORS_SCHEMA",
    "FINDINGS_SCHEMA",
    "MATCHES_SCHEMA",
    "RELATIVES_SCHEMA",
    "AuditCheck",
    "AuditData",
    "AuditInputError",
    "AuditResult",
    "Finding",
    "audit_caseload",
    "audit_single",
    "duplicates",
    "run_audit",
    "validate_caseload",
]
