"""Initial schema: subscriptions, deliveries, processed events, feedback, threads, corpus state."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(64), nullable=False, unique=True),
        sa.Column("day", sa.String(3), nullable=False),
        sa.Column("time", sa.String(5), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("period_key", sa.String(16), nullable=False),
        sa.Column("scheduled_for", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("covered_since", UTCDateTime(), nullable=True),
        sa.Column("covered_until", UTCDateTime(), nullable=True),
        sa.Column("digest_json", sa.Text, nullable=True),
        sa.Column("messages_sent", sa.Integer, nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=True),
        sa.UniqueConstraint(
            "subscription_id", "period_key", name="uq_deliveries_subscription_period"
        ),
    )
    op.create_index("ix_deliveries_channel", "deliveries", ["channel"])
    op.create_index("ix_deliveries_status", "deliveries", ["status"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_processed_events_received_at", "processed_events", ["received_at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("topic", sa.String(128), nullable=True),
        sa.Column("answer_text", sa.Text, nullable=False),
        sa.Column("vote", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "thread_topics",
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("thread_ts", sa.String(32), primary_key=True),
        sa.Column("topic", sa.String(128), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "corpus_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(128), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "source_seen",
        sa.Column("source_id", sa.String(255), primary_key=True),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "source_seen",
        "corpus_state",
        "thread_topics",
        "feedback",
        "processed_events",
        "deliveries",
        "subscriptions",
    ):
        op.drop_table(table)
