"""Guangdong (广东省, 440000) for civilaffairs: dated standards and policy overrides.

The values live in the data file ``standards.toml`` beside this module, each with its
source and a provisional flag; this module only hands that file to the host's registries.
It covers 广东省 (440000) and 深圳市 (Shenzhen, 440300).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

from civilaffairs import hookimpl

if TYPE_CHECKING:
    from civilaffairs.policies import PolicyRegistrar
    from civilaffairs.standards import StandardsRegistrar

__all__ = ["DATA", "civilaffairs_register_policies", "civilaffairs_register_standards"]

#: The data file with this plugin's standards and policy overrides (标准与政策数据文件).
DATA: Traversable = files(__name__) / "standards.toml"


@hookimpl
def civilaffairs_register_standards(register: StandardsRegistrar) -> None:
    """Register Guangdong's dated, cited standards (登记广东省标准)."""
    register.load(DATA)


@hookimpl
def civilaffairs_register_policies(register: PolicyRegistrar) -> None:
    """Register Guangdong's overrides of programme policy points (登记广东省政策参数)."""
    register.load(DATA)
