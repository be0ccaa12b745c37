"""Alembic migrations. ``HEAD_REVISION`` lets start-up skip Alembic when nothing is due."""

HEAD_REVISION = "0004"
