"""Compiled corpora by version (bot/store/corpus_blobs.py), so every replica can load one."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_blobs",
        sa.Column("version", sa.String(128), primary_key=True),
        sa.Column("corpus_json", sa.Text, nullable=False),
        sa.Column("built_at", UTCDateTime(), nullable=False),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("corpus_blobs")
