"""Persistence: SQLModel tables, the async engine, and the repository that issues all SQL."""
