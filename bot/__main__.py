"""Entry point: `briefbot ...` and `python -m bot ...`."""

from __future__ import annotations


def main() -> None:
    from bot.cli import app

    app()


if __name__ == "__main__":
    main()
