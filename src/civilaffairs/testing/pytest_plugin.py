"""pytest plugin of civilaffairs (loaded through the ``pytest11`` entry point).

It only defines fixtures; nothing runs unless a test asks for one, and importing it does
not import hypothesis.
"""

from __future__ import annotations
