"""``python -m civilaffairs`` runs the command line."""

if __name__ == "__main__":  # pragma: no cover
    from civilaffairs.cli import run

    run()
