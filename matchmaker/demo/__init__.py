"""Deterministic demo cluster generator (makers, buyers, associations, users, RFQs, outcome log).

    from matchmaker.demo import generate
    summary = generate(engine, makers=1400, buyers=300, seed=7)
    print(summary.describe())

The buyer-choice process behind the outcome log is documented in
:mod:`matchmaker.demo.outcomes`; latent buyer conduct in :mod:`matchmaker.demo.buyers`.
"""
from matchmaker.demo.buyers import BuyerRisk, latent_buyer_risk
from matchmaker.demo.community import DEMO_PASSWORD
from matchmaker.demo.generator import DEFAULT_TODAY, DemoSummary, generate

__all__ = ["generate", "DemoSummary", "latent_buyer_risk", "BuyerRisk", "DEMO_PASSWORD", "DEFAULT_TODAY"]
