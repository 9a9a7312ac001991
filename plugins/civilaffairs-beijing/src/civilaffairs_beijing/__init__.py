"""Beijing (北京市, 110000) for civilaffairs: dated standards and policy overrides.

The values live in the data file ``standards.toml`` beside this module, each with its
source and a provisional flag; this module only hands that file to the host's registries.
It covers 北京市 (110000).
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
    """Register Beijing's dated, cited standards (登记北京市标准)."""
    register.load(DATA)


@hookimpl
def civilaffairs_register_policies(register: PolicyRegistrar) -> None:
    """Register Beijing's overrides of programme policy points (登记北京市政策参数)."""
    register.load(DATA)
