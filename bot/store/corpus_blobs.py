"""Edge: the compiled corpus stored by version, so every replica can load a published one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String, Text, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.store.store import Store
from bot.store.tables import Base, UTCDateTime


class CorpusBlobRow(Base):
    """One compiled corpus (Corpus.model_dump_json()), kept by version; written once."""

    __tablename__ = "corpus_blobs"

    version: Mapped[str] = mapped_column(String(128), primary_key=True)
    corpus_json: Mapped[str] = mapped_column(Text)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime())


def save_corpus_blob(store: Store, version: str, corpus_json: str, built_at: datetime) -> bool:
    """Store a compiled corpus; True when it was new. The same version is never rewritten."""
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(CorpusBlobRow)
        .values(
            version=version,
            corpus_json=corpus_json,
            built_at=built_at,
            stored_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing(index_elements=["version"])
        .returning(CorpusBlobRow.version)
    )
    with Session(store.engine) as session, session.begin():
        return session.execute(stmt).scalar() is not None


def load_corpus_blob(store: Store, version: str) -> str | None:
    with Session(store.engine) as session:
        return session.scalar(
            select(CorpusBlobRow.corpus_json).where(CorpusBlobRow.version == version)
        )


def has_corpus_blob(store: Store, version: str) -> bool:
    with Session(store.engine) as session:
        found = session.scalar(
            select(CorpusBlobRow.version).where(CorpusBlobRow.version == version)
        )
        return found is not None
