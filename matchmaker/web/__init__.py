"""Server-rendered pages, one blueprint per concern."""
from flask import Flask


def register_pages(app: Flask) -> None:
    from . import auth, directory, main, makers, requirements

    for module in (auth, main, directory, makers, requirements):
        app.register_blueprint(module.bp)
