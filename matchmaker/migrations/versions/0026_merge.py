"""Join the migrations written side by side on 0024 into one head.

0025_integrity (agreed delivery dates, one open dispute per figure) and 0025_polish_milestone_version
(the milestones' version lock) were developed in parallel; later migrations build on this one.
"""

from typing import Sequence, Union

revision: str = "0026"
down_revision: Union[str, Sequence[str], None] = ("0025_integrity", "0025_polish_milestone_version")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
