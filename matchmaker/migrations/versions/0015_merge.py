"""Join the migrations written side by side on 0008 into one head.

0009 (accounts), 0010 (notifications), 0011 (fair meetings), 0013 (online ranking) and 0014
(consortia) were developed in parallel;
later migrations build on this one.
"""

from typing import Sequence, Union

revision: str = "0015"
down_revision: Union[str, Sequence[str], None] = ("0009", "0010", "0011", "0013", "0014")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
