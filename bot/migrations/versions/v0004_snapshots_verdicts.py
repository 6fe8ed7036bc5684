"""Digest snapshots (what each delivered digest showed) and the team's verdicts on flags."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_snapshots",
        sa.Column("delivery_id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("snapshot_json", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_digest_snapshots_channel", "digest_snapshots", ["channel"])
    op.create_table(
        "flag_verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("flag_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_flag_verdicts_channel", "flag_verdicts", ["channel"])


def downgrade() -> None:
    op.drop_index("ix_flag_verdicts_channel", "flag_verdicts")
    op.drop_table("flag_verdicts")
    op.drop_index("ix_digest_snapshots_channel", "digest_snapshots")
    op.drop_table("digest_snapshots")
