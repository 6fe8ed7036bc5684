"""Settings read once at the entry point (environment or .env), passed down as plain values."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import SettingsError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# Slack's own payloads stay far below this (a 40,000-character message with its blocks is
# ~200 KB); anything larger is refused with 413 before it is read.
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024


def _default_data_dir() -> Path:
    return Path(user_data_dir("briefbot", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=DEFAULT_SLACK_API_URL, alias="SLACK_API_URL")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    content_dir: Path = Field(default=Path("content"), alias="BRIEFBOT_CONTENT_DIR")
    data_dir: Path = Field(default_factory=_default_data_dir, alias="BRIEFBOT_DATA_DIR")
    port: int = Field(default=3000, alias="PORT", ge=1, le=65535)
    log_format: str = Field(default="text", alias="BRIEFBOT_LOG_FORMAT")
    # Digests: a replica that died mid-digest is taken over once its claim is this old (live
    # senders renew it); every replica checks what is due this often.
    digest_lease_seconds: int = Field(
        default=900, alias="BRIEFBOT_DIGEST_LEASE_SECONDS", ge=2, le=86_400
    )
    scheduler_interval_seconds: int = Field(
        default=60, alias="BRIEFBOT_SCHEDULER_INTERVAL_SECONDS", ge=1, le=3_600
    )
    # Events: one stored before the ack is taken over by another replica once its lease (held
    # by the replica that acknowledged it, renewed by a heartbeat while it works) is this old.
    event_lease_seconds: float = Field(
        default=10.0, alias="BRIEFBOT_EVENT_LEASE_SECONDS", ge=1, le=86_400
    )
    # Finished events (inbox rows, processed event ids) are deleted once this old.
    event_retention_hours: float = Field(
        default=48.0, alias="BRIEFBOT_EVENT_RETENTION_HOURS", gt=0, le=24 * 365
    )

    # HTTP mode: the largest request body /slack/events reads (413 beyond it).
    max_request_bytes: int = Field(
        default=DEFAULT_MAX_REQUEST_BYTES,
        alias="BRIEFBOT_MAX_REQUEST_BYTES",
        ge=16 * 1024,
        le=64 * 1024 * 1024,
    )
    # serve looks at content/ this often (a stat of each file; it reads them only on a change).
    content_check_seconds: float = Field(
        default=5.0, alias="BRIEFBOT_CONTENT_CHECK_SECONDS", ge=0.1, le=3_600
    )

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() and not v.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return v

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and v.get_secret_value() and not v.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return v

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, v: str) -> str:
        if v not in ("text", "json"):
            raise ValueError("must be 'text' or 'json'")
        return v

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'briefbot.sqlite3'}"

    @property
    def has_slack(self) -> bool:
        return self.slack_bot_token is not None and bool(self.slack_bot_token.get_secret_value())


def secret_text(value: SecretStr | None) -> str:
    """A secret setting as the plain string an edge is given ("" when unset)."""
    return value.get_secret_value() if value is not None else ""


def redacted_url(url: str) -> str:
    """A database URL fit for a log line or the terminal: its password replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def load_settings(**overrides: object) -> Settings:
    """Read settings; a bad one stops start-up with one line naming it (never its value)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err.get("loc") else "setting"
        raise SettingsError(f"setting {name} is invalid: {err['msg']}") from None
