"""Socket Mode: the same Bolt app over Slack's WebSocket, for a team trying briefbot out."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

logger = logging.getLogger(__name__)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """A handler bound to the app's own client (so apps.connections.open uses SLACK_API_URL)."""
    return SocketModeHandler(app, app_token=app_token, web_client=app.client)


def run_socket_mode(app: App, app_token: str) -> None:
    """Connect and block until the process is stopped."""
    logger.info("Socket Mode: connecting")
    socket_mode_handler(app, app_token).start()  # type: ignore[no-untyped-call]
