"""Socket Mode for the Slack stand-in: the WebSocket that apps.connections.open points to.

Slack pushes envelopes (events, slash commands, interactions) down this socket and the app acks
each one with its envelope_id; here a test pushes them with `send` and reads the acks with
`wait_for_ack`. Only what Slack's own clients use is spoken (RFC 6455: one unfragmented frame a
message, masked from the client, ping answered with pong, close answered with close).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, BinaryIO

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def frame(opcode: int, data: bytes) -> bytes:
    """One final, unmasked frame (servers never mask)."""
    head = bytes([0x80 | opcode])
    n = len(data)
    if n < 126:
        head += bytes([n])
    elif n < 1 << 16:
        head += bytes([126]) + struct.pack("!H", n)
    else:
        head += bytes([127]) + struct.pack("!Q", n)
    return head + data


def read_frame(stream: BinaryIO) -> tuple[int, bytes] | None:
    """(opcode, unmasked payload) of the next frame, or None when the peer is gone."""
    head = stream.read(2)
    if len(head) < 2:
        return None
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", stream.read(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", stream.read(8))
    mask = stream.read(4) if head[1] & 0x80 else b""
    data = stream.read(length)
    if len(data) < length:
        return None
    if mask:
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return opcode, data


@dataclass
class _Connection:
    handler: BaseHTTPRequestHandler
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True

    def write(self, opcode: int, data: bytes) -> None:
        with self.write_lock:
            self.handler.wfile.write(frame(opcode, data))

    def shut(self) -> None:
        self.open = False
        with contextlib.suppress(OSError):  # already gone
            self.handler.connection.shutdown(socket.SHUT_RDWR)


class SocketModeEndpoint:
    """The stand-in's Socket Mode side: connections in, envelopes out, acks kept."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._connections: list[_Connection] = []
        self.received: list[dict[str, Any]] = []  # every JSON message the app sent (acks)

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        """Upgrade this GET to a WebSocket and read from it until either side closes."""
        key = handler.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + WEBSOCKET_GUID).encode()).digest())
        handler.close_connection = True  # after the socket closes, no more HTTP on it
        handler.send_response(101, "Switching Protocols")
        handler.send_header("Upgrade", "websocket")
        handler.send_header("Connection", "Upgrade")
        handler.send_header("Sec-WebSocket-Accept", accept.decode())
        handler.end_headers()
        connection = _Connection(handler)
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            self._read(connection)
        finally:
            connection.open = False
            with self._changed:
                self._changed.notify_all()

    def _read(self, connection: _Connection) -> None:
        while connection.open:
            got = read_frame(connection.handler.rfile)
            if got is None:
                return
            opcode, data = got
            if opcode == PING:
                connection.write(PONG, data)
            elif opcode == CLOSE:
                connection.write(CLOSE, data[:2])
                return
            elif opcode == TEXT:
                with self._changed:
                    self.received.append(json.loads(data))
                    self._changed.notify_all()

    def _wait(self, ready: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = ready()
                if found:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"Socket Mode stand-in: {what} within {timeout} s")
                self._changed.wait(left)

    def wait_connected(self, timeout: float = 60) -> None:
        """Until an app holds an open connection."""
        self._wait(lambda: any(c.open for c in self._connections), timeout, "no app connected")

    def send(self, message: dict[str, Any]) -> None:
        """Push one message (an envelope) to the newest open connection."""
        with self._changed:
            connection = next((c for c in reversed(self._connections) if c.open), None)
        if connection is None:
            raise AssertionError("Socket Mode stand-in: no app is connected")
        connection.write(TEXT, json.dumps(message).encode())

    def acks(self) -> list[str]:
        with self._changed:
            return [str(m["envelope_id"]) for m in self.received if "envelope_id" in m]

    def wait_for_ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        """The app's ack of this envelope (the first one, if it acked twice)."""

        def found() -> dict[str, Any] | None:
            return next((m for m in self.received if m.get("envelope_id") == envelope_id), None)

        acked: dict[str, Any] = self._wait(found, timeout, f"no ack of {envelope_id}")
        return acked

    def close_all(self) -> None:
        with self._changed:
            connections = list(self._connections)
        for connection in connections:
            connection.shut()
