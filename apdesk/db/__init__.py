"""Data layer: SQLAlchemy models, the engine and session factory, migrations."""
