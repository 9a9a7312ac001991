"""Test support for civilaffairs and for provincial plugin authors (测试工具).

* :mod:`civilaffairs.testing.strategies`: hypothesis strategies for every type;
* :mod:`civilaffairs.testing.pytest_plugin`: fixtures, loaded by pytest automatically
  through the ``pytest11`` entry point when civilaffairs is installed.

Install the extras with ``pip install "civilaffairs[testing]"``.
"""
