"""Page tests: share compiled templates between the many test apps."""
from tests.support.template_cache import _shared_template_cache  # noqa: F401  (autouse fixture)
