"""``flask index sync`` as a separate process for the kill test, with the test-only transport."""
import os

from matchmaker import create_app
from matchmaker.search.sync import run_worker

options = {}
if not os.environ.get("MATCHMAKER_TEST_ELASTICSEARCH_URL"):
    from tests.support.osmem_transport import PlainJsonNode
    options = {"node_class": PlainJsonNode}
app = create_app({"SEARCH_CLIENT_OPTIONS": options})
run_worker(app, interval=0.01, echo=lambda msg: None)
