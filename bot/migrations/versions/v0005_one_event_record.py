"""One record of handled Slack traffic: processed_events goes, the event inbox keeps it all.

Signed commands and button presses were refused on replay through processed_events; they now
have done rows in event_inbox (pruned with the rest). Recent keys are carried over so a replay
in the minutes around the upgrade is still refused.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO event_inbox (event_id, event_type, body, received_at, lease_owner,"
        " lease_until, attempts, done_at, outcome)"
        " SELECT event_id, 'request', '{}', received_at, '', received_at, 1, received_at, 'ran'"
        " FROM processed_events WHERE event_id LIKE 'cmd:%'"
        " AND event_id NOT IN (SELECT event_id FROM event_inbox)"
    )
    op.drop_index("ix_processed_events_received_at", "processed_events")
    op.drop_table("processed_events")


def downgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_processed_events_received_at", "processed_events", ["received_at"])
    op.execute(
        "INSERT INTO processed_events (event_id, received_at)"
        " SELECT event_id, received_at FROM event_inbox WHERE event_type = 'request'"
    )
    op.execute("DELETE FROM event_inbox WHERE event_type = 'request'")
