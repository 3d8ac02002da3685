"""gunicorn settings for serving Matchmaker (``scripts/demo.sh``, ``flask serve``): ``-c scripts/gunicorn_conf.py``.

Command-line flags (bind, workers, threads) still apply; this file adds three things:

* ``post_worker_init`` runs in each worker after it loaded ``wsgi:app`` and before it accepts a request: it
  warms the screener (:mod:`matchmaker.vetting.warmup`), so a fresh worker's first ``/vetting/buyers`` does
  not wait for the model and the buyers' scores.
* Each threaded worker holds at most ``2 × threads`` connections at once (``worker_connections``, unless set
  explicitly; gunicorn's default is 1000). All workers accept from one listening socket, and a kept-alive
  connection stays with the worker that accepted it; with no cap, one worker often accepted every
  connection of a burst (16 of wrk's 16, or a proxy's pool) and served them all on one core, under its one
  GIL, while the other workers idled: half the requests/s on 2 cores (issue 12, BENCHMARKS.md). A worker at
  its cap stops accepting, so the next connection goes to another one; a connection beyond every worker's
  cap waits in the listen backlog until a slot frees.
* A capped worker closes a kept-alive connection after answering only when every other connection it holds
  is idle (``max_keepalived = worker_connections - 1``). gunicorn's own ``worker_connections - threads``
  closed one after many answers under load, and gunicorn closes on the worker's main thread, waiting there
  for the client to close its end: under load that stalled the whole worker, and wrk counted requests left
  unanswered after 2 s (3-8 per 8 s run at load 7-10). So at most ``worker_connections - 1`` idle
  connections hold slots, the last one always turns over, and an idle connection is still closed after
  ``keepalive`` seconds.
"""

CONNECTIONS_PER_THREAD = 2


def _cap_connections(cfg) -> None:
    setting = cfg.settings["worker_connections"]
    if setting.value == setting.default and cfg.threads > 1:
        cfg.set("worker_connections", CONNECTIONS_PER_THREAD * cfg.threads)


def on_starting(server):
    _cap_connections(server.cfg)


def on_reload(server):  # a HUP reads the settings again
    _cap_connections(server.cfg)


def post_fork(server, worker):
    if getattr(worker, "max_keepalived", None) is not None and server.cfg.threads > 1:
        worker.max_keepalived = worker.worker_connections - 1


def post_worker_init(worker):
    from matchmaker.vetting.warmup import warm_up

    app = worker.wsgi
    if not hasattr(app, "app_context"):  # wrapped in a middleware: the Flask app itself
        from wsgi import app
    done = warm_up(app)
    worker.log.info("screener warm-up: model %s, %d scores for %d views in %.2f s", done["model_version"],
                    done["scored"], done["views"], done["seconds"])
