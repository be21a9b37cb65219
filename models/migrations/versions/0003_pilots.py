"""volunteer pilots: profiles, requests, offers, events; conversation state on users

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _user_fk() -> sa.ForeignKey:
    return sa.ForeignKey("users.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "volunteers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), _user_fk(), nullable=False, unique=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.String(length=300), nullable=True),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("areas", sa.String(length=200), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("woman", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "pilot_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("newcomer_id", sa.Integer(), _user_fk(), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("areas", sa.String(length=200), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=True),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("wants_woman", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), sa.ForeignKey("volunteers.id", ondelete="SET NULL"), nullable=True),
        sa.Column("matched_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("newcomer_shares", sa.Boolean(), nullable=False),
        sa.Column("volunteer_shares", sa.Boolean(), nullable=False),
        sa.Column("checkin_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_pilot_requests_newcomer_id", "pilot_requests", ["newcomer_id"])
    op.create_index("ix_pilot_requests_status", "pilot_requests", ["status"])
    op.create_index("ix_pilot_requests_volunteer_id", "pilot_requests", ["volunteer_id"])
    op.create_table(
        "pilot_offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("pilot_requests.id", ondelete="CASCADE"), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), sa.ForeignKey("volunteers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("offered_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("request_id", "volunteer_id", name="uq_offer_request_volunteer"),
    )
    op.create_index("ix_pilot_offers_request_id", "pilot_offers", ["request_id"])
    op.create_index("ix_pilot_offers_volunteer_id", "pilot_offers", ["volunteer_id"])
    op.create_index("ix_pilot_offers_expires_at", "pilot_offers", ["expires_at"])
    op.create_table(
        "pilot_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("detail", sa.String(length=32), nullable=True),
    )
    op.create_index("ix_pilot_events_at", "pilot_events", ["at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("awaiting", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("awaiting_since", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("awaiting_data", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        for name in ("awaiting_data", "awaiting_since", "awaiting"):
            batch.drop_column(name)
    op.drop_index("ix_pilot_events_at", table_name="pilot_events")
    op.drop_table("pilot_events")
    for name in ("expires_at", "volunteer_id", "request_id"):
        op.drop_index(f"ix_pilot_offers_{name}", table_name="pilot_offers")
    op.drop_table("pilot_offers")
    for name in ("volunteer_id", "status", "newcomer_id"):
        op.drop_index(f"ix_pilot_requests_{name}", table_name="pilot_requests")
    op.drop_table("pilot_requests")
    op.drop_table("volunteers")
