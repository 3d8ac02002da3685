"""gunicorn entry point: ``gunicorn -c scripts/gunicorn_conf.py wsgi:app``.

The config's ``post_worker_init`` hook warms the screener before a worker serves
(:mod:`matchmaker.vetting.warmup`); never ``create_app``, so tests and commands do not pay for it.
"""
from matchmaker import create_app

app = create_app()
