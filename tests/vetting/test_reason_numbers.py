"""The screener's reasons write their numbers as the rest of the app does for the reader: through Babel in
the reader's locale (Spanish as written in Mexico: ``1,234``, ``37%``), not the engine's own formatting."""
from __future__ import annotations

from models.reputation_reasons import LOWERS, RAISES, Reason

from matchmaker import i18n
from matchmaker.vetting.screening import Screening

REASONS = [Reason("n_payment_experiences", LOWERS, "", 1234.0, "n_payment_experiences", {"n": 1234.0}, -0.4),
           Reason("unpaid_past_due_share", RAISES, "", 0.374, "unpaid_past_due_share", {"pct": 37.4}, 0.3)]


def _texts(lang: str) -> list[str]:
    return [r["text"] for r in Screening(1, "scored", 0.3, "medium", REASONS).to_dict(lang)["reasons"]]


def test_reasons_write_thousands_and_percentages_in_the_readers_locale(app, monkeypatch):
    with app.app_context():
        assert _texts("en") == ["Lowers risk: 1,234 payment experiences on record",
                                "Raises risk: 37% of the amount past due is still unpaid"]
        assert _texts("es") == ["Reduce el riesgo: 1,234 experiencias de pago registradas",
                                "Aumenta el riesgo: el 37% del monto vencido sigue sin pagarse"]
        # the numbers come from the locale table: a reader in Spain would read Spain's marks
        monkeypatch.setitem(i18n.BABEL_LOCALES, "es", "es_ES")
        assert _texts("es")[0] == "Reduce el riesgo: 1.234 experiencias de pago registradas"
