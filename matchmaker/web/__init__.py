"""Server-rendered pages, one blueprint per concern."""
from flask import Flask


def register_pages(app: Flask) -> None:
    from ..consortia.pages import bp as consortia
    from ..accounts.pages import bp as accounts
    from ..contact.pages import bp as contact
    from ..admin import bp as admin
    from ..fairs import pages_agendas, pages_meetings, pages_schedule  # noqa: F401  (their routes join fairs.bp)
    from ..fairs.pages import bp as fairs
    from ..monitoring.pages import bp as monitoring
    from ..orders import pages_figures  # noqa: F401  (its routes join orders.bp)
    from ..orders.pages import bp as orders
    from ..vendors.pages import bp as vendors
    from ..vetting.pages import bp as vetting
    from ..ratings.pages import bp as ratings
    from . import account, auth, directory, main, makers, requirements, search

    for module in (auth, account, main, directory, makers, requirements, search):
        app.register_blueprint(module.bp)
    app.register_blueprint(vetting)
    app.register_blueprint(fairs)
    app.register_blueprint(contact)
    app.register_blueprint(consortia)
    app.register_blueprint(orders)
    app.register_blueprint(monitoring)
    app.register_blueprint(vendors)
    app.register_blueprint(accounts)
    app.register_blueprint(admin)
    app.register_blueprint(ratings)
