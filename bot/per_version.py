"""A value built once per version of an object (a corpus index) and shared between threads."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerVersion(Generic[K, V]):
    """`build(key)` run once per version of `key`, the result kept while the key lives.

    Keyed weakly, so a dropped corpus takes its tables with it; checked against
    `version(key)` on every get, so a key whose version moved on is built again. Two threads
    asking for a missing value build it once.
    """

    def __init__(self, build: Callable[[K], V], version: Callable[[K], str]) -> None:
        self._build = build
        self._version = version
        self._values: weakref.WeakKeyDictionary[K, tuple[str, V]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, key: K) -> V:
        wanted = self._version(key)
        found = self._values.get(key)
        if found is not None and found[0] == wanted:
            return found[1]
        with self._lock:
            found = self._values.get(key)
            if found is None or found[0] != wanted:
                found = (wanted, self._build(key))
                self._values[key] = found
        return found[1]

    def put(self, key: K, value: V, version: str) -> bool:
        """Keep a value made elsewhere (e.g. read from disk) for `version` of the key; False,
        and nothing kept, when the key is at another version now."""
        with self._lock:
            if self._version(key) != version:
                return False
            self._values[key] = (version, value)
        return True
