"""input vendors: their profile, and their users get the vendor_user role (issue 15)

Until now an input vendor's people signed in as ``buyer_user``. This revision gives every active or
inactive ``buyer_user`` of an ``input_vendor`` organization the ``vendor_user`` role (their sessions
and tokens keep working: the role is read per request), and the downgrade gives it back.

Revision ID: 0020
Revises: 0016
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: Union[str, Sequence[str], None] = "0016"
branch_labels = None
depends_on = None

VENDOR_ORGS = "SELECT id FROM organizations WHERE kind = 'input_vendor'"


def upgrade() -> None:
    op.create_table(
        "vendor_profiles",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("supplies", sa.JSON(), nullable=False),
        sa.Column("denim_oz_min", sa.Float(), nullable=True),
        sa.Column("denim_oz_max", sa.Float(), nullable=True),
        sa.Column("denim_finishes", sa.JSON(), nullable=False),
        sa.Column("trims", sa.JSON(), nullable=False),
        sa.Column("brands_serviced", sa.JSON(), nullable=False),
        sa.Column("min_lot", sa.Integer(), nullable=True),
        sa.Column("min_lot_unit", sa.String(length=20), nullable=False),
        sa.Column("delivery_days", sa.Integer(), nullable=True),
        sa.Column("repair_response_days", sa.Integer(), nullable=True),
        sa.Column("credit_terms_days", sa.Integer(), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("denim_oz_min IS NULL OR denim_oz_max IS NULL OR denim_oz_min <= denim_oz_max",
                           name="ck_vendor_profile_oz"),
        sa.CheckConstraint("min_lot IS NULL OR min_lot > 0", name="ck_vendor_profile_min_lot"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("organization_id"),
    )
    op.execute(f"UPDATE users SET role = 'vendor_user' WHERE role = 'buyer_user' "
               f"AND organization_id IN ({VENDOR_ORGS})")


def downgrade() -> None:
    op.execute(f"UPDATE users SET role = 'buyer_user' WHERE role = 'vendor_user' "
               f"AND organization_id IN ({VENDOR_ORGS})")
    op.drop_table("vendor_profiles")
