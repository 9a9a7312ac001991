"""Zhejiang (浙江省, 330000) for civilaffairs: dated standards and policy overrides.

The values live in the data file ``standards.toml`` beside this module, each with its
source and a provisional flag; this module only hands that file to the host's registries.
It covers 浙江省 (330000) and 杭州市 (Hangzhou, 330100).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from civilaffairs.data_plugin import data_file_hooks

__all__ = ["DATA", "civilaffairs_register_policies", "civilaffairs_register_standards"]

#: The data file with this plugin's standards and policy overrides (标准与政策数据文件).
DATA: Traversable = files(__name__) / "standards.toml"

civilaffairs_register_standards, civilaffairs_register_policies = data_file_hooks(__name__)
