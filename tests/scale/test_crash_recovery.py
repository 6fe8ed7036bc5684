"""With the shipped defaults, a SIGKILLed replica's acknowledged events are answered by a
survivor within 15 s, exactly once (two replicas on one PostgreSQL; no load balancer needed)."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.store import Store
from tests.scale import cluster as c
from tests.slack_standin import SlackStandIn
from tests.store.databases import postgres_schema_url

MENTIONS = 40
RECOVERY_BUDGET = 15.0  # seconds from the SIGKILL to the last of its events answered
SLOW_SLACK = 3.0  # each Web API call takes this long, so the victim dies with work in hand


def test_killed_replicas_acknowledged_mentions_are_answered_within_15s_once(
    tmp_path: Path,
) -> None:
    with postgres_schema_url() as url, SlackStandIn() as slack:
        env = c.replica_env(database_url=url, slack_api_url=slack.url, data_dir=tmp_path / "d")
        for name in ("BRIEFBOT_EVENT_LEASE_SECONDS", "BRIEFBOT_EVENT_RETENTION_HOURS"):
            assert name not in env  # the shipped defaults, nothing tuned for the test
        victim = c.start_replica("victim", env, tmp_path)
        survivor = c.start_replica("survivor", env, tmp_path)
        try:
            c.wait_healthy(victim)
            c.wait_healthy(survivor)
            slack.set_delay(SLOW_SLACK)
            mentions = [
                c.mention_body(n, channel=f"CCRASH{n % 4}", text="topics", ts=f"1720000000.{n:06d}")
                for n in range(MENTIONS)
            ]
            deliverer = c.Deliverer()
            with ThreadPoolExecutor(8) as pool:
                acks = list(pool.map(lambda m: deliverer.post(victim.port, m), mentions))
            deliverer.close()
            assert all(d.acked for d in acks), Counter(d.status for d in acks)
            time.sleep(0.5)  # its listeners are now waiting on Slack
            victim.kill()
            killed_at = time.monotonic()
            slack.set_delay(0)

            expected = {(str(m["event"]["channel"]), str(m["event"]["ts"])) for m in mentions}  # type: ignore[index]

            def answers() -> Counter[tuple[str, str]]:
                return Counter(
                    (str(call.args["channel"]), str(call.args.get("thread_ts")))
                    for call in slack.calls_to("chat.postMessage")
                    if call.args.get("metadata")
                )

            while time.monotonic() < killed_at + RECOVERY_BUDGET + 10 and set(answers()) < expected:
                time.sleep(0.2)
            time.sleep(1.0)  # a late duplicate would show up now
            answered = answers()
            posts = [c_ for c_ in slack.calls_to("chat.postMessage") if c_.args.get("metadata")]
            last = max(call.at for call in posts) - killed_at
            by_survivor = sum(
                1
                for call in posts
                if call.headers.get("authorization", "").endswith(survivor.token)
            )
            print(
                f"answered {len(answered)}/{MENTIONS}; {by_survivor} by the survivor; "
                f"last answer {last:.1f}s after the SIGKILL"
            )
            assert set(answered) == expected, f"{len(expected - set(answered))} never answered"
            assert all(n == 1 for n in answered.values()), "a mention was answered twice"
            assert by_survivor > 0, "the victim answered everything before it died"
            assert last <= RECOVERY_BUDGET, f"last answer {last:.1f}s after the kill"
            store = Store(url)
            try:
                assert store.pending_event_count() == 0
            finally:
                store.close()
        finally:
            victim.kill()
            survivor.stop()
