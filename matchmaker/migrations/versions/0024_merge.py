"""Join the migrations written side by side on 0016 into one head.

0017 (one order per fair meeting), 0019 (monitoring slips), 0020 (vendor profiles), 0022 (consortium
quotes and the subcontracting rule) and 0023 (the token cache's epoch) were developed in parallel for
issues 12, 15 and 16; later migrations build on this one.
"""

from typing import Sequence, Union

revision: str = "0024"
down_revision: Union[str, Sequence[str], None] = ("0017", "0019", "0020", "0022", "0023")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
