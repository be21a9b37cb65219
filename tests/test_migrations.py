"""Migrations: every step up and down works, and the tables match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.db import alembic_config, downgrade, make_engine, upgrade


async def test_stairway_and_models_match_migrations(database_url: str) -> None:
    engine = make_engine(database_url)
    revisions = list(reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions())))
    try:
        for revision in revisions:
            await upgrade(engine, revision.revision)
            await downgrade(engine, revision.down_revision or "base")
            await upgrade(engine, revision.revision)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
            )
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        await engine.dispose()
