"""One racing process: run_due at a fixed instant against a database and the Web API stand-in."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    from slack_sdk import WebClient

    from bot.corpus import CorpusIndex
    from bot.delivery import run_due, web_api_send
    from bot.store import Store
    from tests.digests.sample import small_corpus

    db_url, api_url, at = sys.argv[1:4]
    store = Store(db_url)
    store.migrate()
    client = WebClient(token="xoxb-race", base_url=api_url)
    report = run_due(
        datetime.fromisoformat(at),
        store,
        CorpusIndex(small_corpus()),
        web_api_send(client),
        pace=0.05,
        workers=4,
    )
    print(json.dumps({"sent": report.sent, "failed": report.failed, "missed": report.missed}))


if __name__ == "__main__":
    main()
