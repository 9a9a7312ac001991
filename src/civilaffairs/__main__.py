"""``python -m civilaffairs`` runs the command line."""

from civilaffairs.cli import run

run()
