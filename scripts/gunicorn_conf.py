"""gunicorn settings for serving Matchmaker (``scripts/demo.sh``, ``flask serve``): ``-c scripts/gunicorn_conf.py``.

Command-line flags (bind, workers, threads) still apply; this file adds the boot hook. ``post_worker_init``
runs in each worker after it loaded ``wsgi:app`` and before it accepts a request: it warms the screener
(:mod:`matchmaker.vetting.warmup`), so a fresh worker's first ``/vetting/buyers`` does not wait for the
model and the buyers' scores.
"""


def post_worker_init(worker):
    from matchmaker.vetting.warmup import warm_up

    app = worker.wsgi
    if not hasattr(app, "app_context"):  # wrapped in a middleware: the Flask app itself
        from wsgi import app
    done = warm_up(app)
    worker.log.info("screener warm-up: model %s, %d scores for %d views in %.2f s", done["model_version"],
                    done["scored"], done["views"], done["seconds"])
