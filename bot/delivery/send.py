"""Edge: how a digest part reaches Slack (the Web API) or the terminal, and is found again.

Every part carries Slack message metadata naming its delivery and part, so a run that takes
over a delivery can look for the next part in the channel (or the digest's thread) before
posting it again. The coverage PNG a digest with new reports attaches is a file share in the
digest's thread; its file name names the delivery, so it is found again the same way.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from bot.slack.tagged import LOOKUP_PAGES, PAGE_SIZE, find_tagged, is_tagged, message_tag

METADATA_EVENT_TYPE = "briefbot_digest"
Block = dict[str, Any]


@dataclass(frozen=True)
class PostRequest:
    """One chat.postMessage: the first part goes to the channel, the rest to its thread."""

    channel: str
    text: str
    blocks: list[Block]
    thread_ts: str | None
    part: int  # 1-based
    parts: int
    delivery_id: int = 0
    period_key: str = ""

    @property
    def match_fields(self) -> dict[str, Any]:
        """The metadata fields that identify this part (its count is not one of them)."""
        return {"delivery_id": self.delivery_id, "period": self.period_key, "part": self.part}

    @property
    def metadata(self) -> dict[str, Any]:
        """Slack message metadata naming the delivery and part (found again after a crash)."""
        return message_tag(METADATA_EVENT_TYPE, {**self.match_fields, "parts": self.parts})

    def tagged(self, message: Any) -> bool:
        """Whether a message from conversations.history/replies is this part."""
        return is_tagged(message, METADATA_EVENT_TYPE, self.match_fields)


class Send(Protocol):
    """Posts one message and returns its ts; raises on failure."""

    def __call__(self, request: PostRequest) -> str: ...


@runtime_checkable
class LookupSend(Send, Protocol):
    """A Send that can also tell whether a part is in Slack already (its ts), else None.

    `not_before` is the earliest the part can have been posted (the digest's slot). Raises
    when it cannot look; the run then treats it like a failed post and retries later.
    """

    def find_posted(self, request: PostRequest, *, not_before: datetime) -> str | None: ...


@dataclass(frozen=True)
class AttachRequest:
    """The coverage PNG shared as a reply in a digest's thread (files.upload_v2)."""

    channel: str
    thread_ts: str
    png: bytes
    delivery_id: int = 0
    period_key: str = ""
    title: str = "Coverage: topics × reports"
    alt_text: str = "Grid of topics against reports: covered, agreeing, disagreeing, single source"

    @property
    def filename(self) -> str:
        """Names the delivery, so a run that takes it over can find the share again."""
        period = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.period_key)
        return f"briefbot-coverage-{period or 'digest'}-d{self.delivery_id}.png"

    def shared(self, message: Any) -> bool:
        """Whether a message from conversations.replies is this file's share."""
        if not isinstance(message, Mapping):
            return False
        files = message.get("files") or []
        return any(isinstance(f, Mapping) and f.get("name") == self.filename for f in files)


@runtime_checkable
class AttachSend(LookupSend, Protocol):
    """A LookupSend that can also share a file in a digest's thread, and find it there."""

    def attach(
        self, request: AttachRequest, *, still_ours: Callable[[], bool] = lambda: True
    ) -> bool:
        """Upload the file, then share it if `still_ours()` (asked right before the share, so a
        run that lost its claim during a slow upload leaves the share to the run that took
        over); True when shared. Raises on failure."""

    def find_attached(self, request: AttachRequest) -> bool:
        """Whether the file is shared in the thread already; raises when it cannot look."""


class _ChatClient(Protocol):
    def chat_postMessage(  # noqa: N802  (slack_sdk's name)
        self,
        *,
        channel: str,
        text: str | None = None,
        blocks: Sequence[dict[Any, Any]] | None = None,
        thread_ts: str | None = None,
        unfurl_links: bool | None = None,
        unfurl_media: bool | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Any: ...

    def conversations_history(self, *, channel: str, **kwargs: Any) -> Any: ...

    def conversations_replies(self, *, channel: str, ts: str, **kwargs: Any) -> Any: ...

    def files_getUploadURLExternal(  # noqa: N802
        self, *, filename: str, length: int, alt_txt: str | None = None, **kwargs: Any
    ) -> Any: ...

    def files_completeUploadExternal(  # noqa: N802
        self,
        *,
        files: list[dict[str, Any]],
        channel_id: str | None = None,
        thread_ts: str | None = None,
        **kwargs: Any,
    ) -> Any: ...


def _post_bytes(
    url: str, data: bytes, *, timeout: float, context: ssl.SSLContext | None, proxy: str | None
) -> None:
    """Step 2 of an external upload: the file's bytes, POSTed to the URL Slack returned,
    through the WebClient's proxy and TLS context when it has them."""
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPSHandler(context=context)]
    if proxy:
        handlers.append(urllib.request.ProxyHandler({"http": proxy, "https": proxy}))
    opener = urllib.request.build_opener(*handlers)
    with opener.open(request, timeout=timeout) as response:
        if response.status != 200:
            raise OSError(f"upload of {len(data)} bytes to {url} answered {response.status}")


class _WebApiSend:
    """Posts through a slack_sdk WebClient and finds tagged parts with the history methods;
    shares the coverage PNG in files_upload_v2's three steps (files.getUploadURLExternal, an
    HTTP POST of the bytes to the upload URL it returns, files.completeUploadExternal)."""

    def __init__(self, client: _ChatClient) -> None:
        self._client = client

    def __call__(self, request: PostRequest) -> str:
        response = self._client.chat_postMessage(
            channel=request.channel,
            text=request.text,
            blocks=request.blocks,
            thread_ts=request.thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            metadata=request.metadata,
        )
        return str(response["ts"])

    def find_posted(self, request: PostRequest, *, not_before: datetime) -> str | None:
        # The head is a channel message (newest first: paging stops once a page reaches back
        # before the slot); later parts are replies in the head's thread.
        return find_tagged(
            self._client,
            request.channel,
            METADATA_EVENT_TYPE,
            request.match_fields,
            thread_ts=request.thread_ts,
            stop_before=not_before.timestamp() - 60,
        )

    def attach(
        self, request: AttachRequest, *, still_ours: Callable[[], bool] = lambda: True
    ) -> bool:
        # files_upload_v2's three steps, with the claim confirmed between the upload and the
        # share: the share is one call, like a post, so a takeover needs that call itself to
        # outlast the lease (files_upload_v2 offers no place to ask between the steps).
        step1 = self._client.files_getUploadURLExternal(
            filename=request.filename, length=len(request.png), alt_txt=request.alt_text
        )
        _post_bytes(
            str(step1["upload_url"]),
            request.png,
            timeout=float(getattr(self._client, "timeout", 30) or 30),
            context=getattr(self._client, "ssl", None),
            proxy=getattr(self._client, "proxy", None),
        )
        if not still_ours():
            return False
        self._client.files_completeUploadExternal(
            files=[{"id": str(step1["file_id"]), "title": request.title}],
            channel_id=request.channel,
            thread_ts=request.thread_ts,
        )
        return True

    def find_attached(self, request: AttachRequest) -> bool:
        cursor: str | None = None
        for _ in range(LOOKUP_PAGES):
            options: dict[str, Any] = {"limit": PAGE_SIZE}
            if cursor:
                options["cursor"] = cursor
            page = self._client.conversations_replies(
                channel=request.channel, ts=request.thread_ts, **options
            )
            if any(request.shared(m) for m in page.get("messages") or []):
                return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or not page.get("has_more", True):
                return False
        return False


def web_api_send(client: _ChatClient) -> Send:
    """A Send over a slack_sdk WebClient (its retry handlers wait out 429s); a LookupSend and
    an AttachSend too."""
    return _WebApiSend(client)


def terminal_send(write: Callable[[str], None]) -> Send:
    """A Send that prints each digest (its full text rides on the first part) instead of posting."""
    counter = iter(range(1, 1_000_000_000))

    def send(request: PostRequest) -> str:
        if request.part == 1:
            write(f"── digest for {request.channel} ──\n{request.text}\n")
        return f"terminal.{next(counter)}"

    return send
