"""Event inbox: Slack events stored before the ack and leased, so a dead replica loses none."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_inbox",
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(128), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
    )
    op.create_index("ix_event_inbox_lease_until", "event_inbox", ["lease_until"])
    op.create_index("ix_event_inbox_done_at", "event_inbox", ["done_at"])


def downgrade() -> None:
    op.drop_index("ix_event_inbox_done_at", "event_inbox")
    op.drop_index("ix_event_inbox_lease_until", "event_inbox")
    op.drop_table("event_inbox")
