"""The library version, read by the build backend and by decisions."""

__version__ = "0.1.0"
