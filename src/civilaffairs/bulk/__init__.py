"""Registry-scale assessment (批量认定)."""
