"""gunicorn entry point: ``gunicorn wsgi:app``."""
from matchmaker import create_app

app = create_app()


def _warm_up_models() -> None:
    """Import scikit-learn/skops and load the promoted screener while the worker boots, so the first
    visitor of a page that shows buyer risk (the buyer-standing page took 4-6 s) does not wait for it.
    Only here, not in ``create_app``: tests and commands that never score a buyer do not pay for it."""
    import logging

    try:
        with app.app_context():
            from matchmaker.vetting.screening import promoted_screener
            promoted_screener()
    except Exception:  # noqa: BLE001 - no model, unreadable model: the pages say so in words
        logging.getLogger(__name__).warning("could not warm up the reputation model", exc_info=True)


_warm_up_models()
