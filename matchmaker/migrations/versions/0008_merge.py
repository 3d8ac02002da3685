"""Join the four migrations written side by side on 0003 into one head.

0004 (vetting serialisation), 0005 (session version), 0006 (fair jobs) and
0007 (contact) were developed in parallel; later migrations build on this one.
"""

from typing import Sequence, Union

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = ("0004_vetting_serialise", "0005", "0006", "0007")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
