"""Entry point: `briefbot ...` (the console script) and `python -m bot ...`.

The `briefbot` group (bot/cli/boundary.py) does what an entry point must, once per process:
builds the Runtime (settings read once), configures logging, and runs the command inside the
one error boundary. It lives on the group so a test invoking the app in-process gets the same.
"""

from __future__ import annotations


def main() -> None:
    from bot.cli import app

    app()


if __name__ == "__main__":
    main()
