"""login throttling's windows in the database, shared by every server process

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 06:58:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('throttle_windows',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('hits', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('throttle_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_windows_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('throttle_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_windows_expires_at'))

    op.drop_table('throttle_windows')
