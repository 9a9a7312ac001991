"""What-if simulation (政策模拟测算), re-exported from :mod:`civilaffairs.bulk`.

>>> from civilaffairs.simulate import Reform
>>> Reform.parse("dibao.standard@310000=1500").overrides[0].region
'310000'
"""

from civilaffairs.bulk.reform import Override, Reform, ReformError
from civilaffairs.bulk.simulate import CHANGE_KINDS, SimulationResult, simulate, subset_frame

__all__ = [
    "CHANGE_KINDS",
    "Override",
    "Reform",
    "ReformError",
    "SimulationResult",
    "simulate",
    "subset_frame",
]
