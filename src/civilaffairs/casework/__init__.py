"""Casework (个案办理): periodic review scheduling (:mod:`~civilaffairs.casework.review`),
appeal deadlines and states (:mod:`~civilaffairs.casework.appeals`) and how legal periods
are counted (:mod:`~civilaffairs.casework.periods`). Pure functions over dates and the
registry's policy points; the records store calls them.
"""

from __future__ import annotations

__all__: list[str] = []
