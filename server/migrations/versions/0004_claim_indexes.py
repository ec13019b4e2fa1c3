"""indexes for leasing under load

The claim walks a queue's unshared pending items oldest first (`ix_items_claim`, partial);
renewals and repeated lease requests look up decisions by lease (`ix_decisions_lease_id`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 06:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_PENDING_UNSHARED = "state = 'pending' AND share IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_claim', ['queue', 'created_at', 'id'], unique=False,
                              postgresql_where=sa.text(_PENDING_UNSHARED),
                              sqlite_where=sa.text(_PENDING_UNSHARED))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_lease_id'), ['lease_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_lease_id'))
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_claim', postgresql_where=sa.text(_PENDING_UNSHARED),
                            sqlite_where=sa.text(_PENDING_UNSHARED))
