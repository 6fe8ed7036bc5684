"""One helper for everything built once per corpus version (retrieval index, matcher tables)."""

from __future__ import annotations

import gc
import threading
import time

from bot.per_version import PerVersion


class Versioned:
    """Stands for a CorpusIndex: an object whose version can move on."""

    def __init__(self, version: str) -> None:
        self.version = version


def _counting() -> tuple[PerVersion[Versioned, str], list[str]]:
    built: list[str] = []

    def build(key: Versioned) -> str:
        built.append(key.version)
        return f"tables of {key.version}"

    return PerVersion(build, version=lambda key: key.version), built


def test_a_value_is_built_once_per_version_and_again_when_the_version_moves_on() -> None:
    memo, built = _counting()
    key = Versioned("v1")
    assert memo.get(key) == memo.get(key) == "tables of v1"
    key.version = "v2"
    assert memo.get(key) == "tables of v2"
    assert memo.get(key) == "tables of v2"
    assert built == ["v1", "v2"]


def test_each_key_has_its_own_value() -> None:
    memo, built = _counting()
    a, b = Versioned("same"), Versioned("same")
    memo.get(a)
    memo.get(b)
    assert built == ["same", "same"]


def test_a_value_put_for_the_current_version_is_used_and_one_for_another_is_refused() -> None:
    memo, built = _counting()
    key = Versioned("v1")
    assert memo.put(key, "read from disk", "v1")
    assert memo.get(key) == "read from disk"
    assert not memo.put(key, "stale", "v0")
    assert memo.get(key) == "read from disk"
    assert built == []


def test_a_dropped_key_takes_its_value_with_it() -> None:
    memo, _ = _counting()
    key = Versioned("v1")
    memo.get(key)
    del key
    gc.collect()
    assert len(memo._values) == 0


def test_threads_asking_at_once_build_it_once() -> None:
    built: list[str] = []

    def slow(key: Versioned) -> str:
        built.append(key.version)
        time.sleep(0.05)
        return key.version

    memo: PerVersion[Versioned, str] = PerVersion(slow, version=lambda key: key.version)
    key = Versioned("v1")
    threads = [threading.Thread(target=memo.get, args=(key,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == ["v1"]
