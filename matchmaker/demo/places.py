"""Reference data for the demo cluster: where makers and buyers are, and code lookups.

Codes are never defined here: :func:`code` only *checks* that a code used by a
generation rule exists in :mod:`matchmaker.taxonomy`, so a renamed code fails
at import time instead of silently producing invalid demo rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from matchmaker import taxonomy as tx


def code(vocab: tx.Vocabulary, value: str) -> str:
    """Return ``value`` after checking it is a code of ``vocab``."""
    if value not in vocab:
        raise LookupError(f"demo generator refers to unknown {vocab.name} code {value!r}")
    return value


def index(vocab: tx.Vocabulary) -> dict[str, int]:
    return {c: i for i, c in enumerate(vocab.codes)}


PROC = index(tx.PROCESS_STAGES)
LINE = index(tx.PRODUCT_LINES)
NICHE = index(tx.NICHES)
CERT = index(tx.CERTIFICATES)
QUALITY = index(tx.QUALITY_TIERS)
TIER = index(tx.SERVICE_TIERS)
SIZE_CODES = [b[0] for b in tx.SIZE_BANDS]

# Jalisco size mix (docs/domain.md) and the headcount drawn inside each band.
SIZE_MIX = {"micro": 0.790, "small": 0.173, "medium": 0.026, "large": 0.011}
HEADCOUNT_RANGE = {"micro": (1, 15), "small": (16, 100), "medium": (101, 300), "large": (301, 1200)}
assert set(SIZE_MIX) == set(SIZE_CODES)


@dataclass(frozen=True)
class Town:
    city: str
    state: str
    lat: float
    lon: float
    weight: float        # share of the cluster's makers
    jitter: float        # standard deviation of the location noise, degrees
    metro: bool          # part of the Guadalajara metropolitan area
    # multiplicative bias on product-line choice (e.g. Villa Hidalgo: children's wear)
    line_bias: tuple[tuple[str, float], ...] = ()


_DENIM = (("jeans_western", 1.6), ("jeans_stretch_women", 1.6), ("denim_separates", 1.4))
TOWNS: tuple[Town, ...] = (
    Town("Guadalajara", "Jalisco", 20.6767, -103.3475, 0.30, 0.035, True),
    Town("Zapopan", "Jalisco", 20.7214, -103.3918, 0.14, 0.035, True, (("jeans_designer", 1.5),)),
    Town("Tlaquepaque", "Jalisco", 20.6409, -103.2933, 0.10, 0.020, True, (("ceremonial", 1.5),)),
    Town("Tonalá", "Jalisco", 20.6244, -103.2340, 0.08, 0.020, True),
    Town("Zapotlanejo", "Jalisco", 20.6228, -103.0686, 0.12, 0.012, False, _DENIM),
    Town("Villa Hidalgo", "Jalisco", 21.6767, -102.5883, 0.06, 0.010, False,
         (("childrenswear", 2.5), ("knitwear", 2.0), ("casual", 1.5))),
    Town("Tepatitlán de Morelos", "Jalisco", 20.8167, -102.7667, 0.04, 0.012, False),
    Town("Aguascalientes", "Aguascalientes", 21.8853, -102.2916, 0.04, 0.030, False,
         (("knitwear", 2.0), ("childrenswear", 1.5))),
    Town("Ciudad de México", "Ciudad de México", 19.4326, -99.1332, 0.04, 0.050, False),
    Town("Puebla", "Puebla", 19.0414, -98.2063, 0.04, 0.030, False, _DENIM),
    Town("León", "Guanajuato", 21.1250, -101.6860, 0.04, 0.030, False, (("workwear_uniforms", 1.8),)),
)
assert abs(sum(t.weight for t in TOWNS) - 1.0) < 1e-9
for _t in TOWNS:
    for _c, _ in _t.line_bias:
        code(tx.PRODUCT_LINES, _c)

GDL_CENTRE = (20.6767, -103.3475)


@dataclass(frozen=True)
class BuyerCity:
    city: str
    state: str | None
    country: str   # ISO 3166-1 alpha-2
    lat: float
    lon: float
    lang: str      # language of the buyer's RFQs


# Export destinations (docs/domain.md): US 49 %, Europe 18 %, Canada 12 %, Latin America 12 %, rest 9 %.
BUYER_REGIONS: tuple[tuple[str, float, tuple[BuyerCity, ...]], ...] = (
    ("us", 0.49, (
        BuyerCity("Los Angeles", "CA", "US", 34.0522, -118.2437, "en"),
        BuyerCity("Dallas", "TX", "US", 32.7767, -96.7970, "en"),
        BuyerCity("El Paso", "TX", "US", 31.7619, -106.4850, "en"),
        BuyerCity("Houston", "TX", "US", 29.7604, -95.3698, "en"),
        BuyerCity("San Antonio", "TX", "US", 29.4241, -98.4936, "en"),
        BuyerCity("Chicago", "IL", "US", 41.8781, -87.6298, "en"),
        BuyerCity("New York", "NY", "US", 40.7128, -74.0060, "en"),
        BuyerCity("Miami", "FL", "US", 25.7617, -80.1918, "en"),
        BuyerCity("Phoenix", "AZ", "US", 33.4484, -112.0740, "en"),
    )),
    ("europe", 0.18, (
        BuyerCity("Madrid", None, "ES", 40.4168, -3.7038, "es"),
        BuyerCity("Barcelona", None, "ES", 41.3874, 2.1686, "es"),
        BuyerCity("Milan", None, "IT", 45.4642, 9.1900, "en"),
        BuyerCity("Amsterdam", None, "NL", 52.3676, 4.9041, "en"),
        BuyerCity("Berlin", None, "DE", 52.5200, 13.4050, "en"),
        BuyerCity("London", None, "GB", 51.5072, -0.1276, "en"),
        BuyerCity("Paris", None, "FR", 48.8566, 2.3522, "en"),
    )),
    ("canada", 0.12, (
        BuyerCity("Toronto", "ON", "CA", 43.6532, -79.3832, "en"),
        BuyerCity("Montreal", "QC", "CA", 45.5019, -73.5674, "en"),
        BuyerCity("Vancouver", "BC", "CA", 49.2827, -123.1207, "en"),
    )),
    ("latam", 0.12, (
        BuyerCity("Bogotá", None, "CO", 4.7110, -74.0721, "es"),
        BuyerCity("Medellín", None, "CO", 6.2442, -75.5812, "es"),
        BuyerCity("Ciudad de Guatemala", None, "GT", 14.6349, -90.5069, "es"),
        BuyerCity("San José", None, "CR", 9.9281, -84.0907, "es"),
        BuyerCity("Santiago", None, "CL", -33.4489, -70.6693, "es"),
        BuyerCity("Lima", None, "PE", -12.0464, -77.0428, "es"),
        BuyerCity("Panamá", None, "PA", 8.9824, -79.5199, "es"),
    )),
    ("rest", 0.09, (
        BuyerCity("Tokyo", None, "JP", 35.6762, 139.6503, "en"),
        BuyerCity("Seoul", None, "KR", 37.5665, 126.9780, "en"),
        BuyerCity("Sydney", None, "AU", -33.8688, 151.2093, "en"),
        BuyerCity("Dubai", None, "AE", 25.2048, 55.2708, "en"),
        BuyerCity("Tel Aviv", None, "IL", 32.0853, 34.7818, "en"),
    )),
)
assert abs(sum(r[1] for r in BUYER_REGIONS) - 1.0) < 1e-9

CERT_ISSUERS = {
    code(tx.CERTIFICATES, "iso9001"): ("Bureau Veritas México", "SGS de México", "TÜV Rheinland de México"),
    code(tx.CERTIFICATES, "wrap"): ("Worldwide Responsible Accredited Production (WRAP)",),
    code(tx.CERTIFICATES, "bsci"): ("amfori BSCI (auditoría por SGS)", "amfori BSCI (auditoría por Intertek)"),
    code(tx.CERTIFICATES, "oeko_tex"): ("OEKO-TEX / Hohenstein", "OEKO-TEX / TESTEX"),
    code(tx.CERTIFICATES, "nmx_cc"): ("Instituto Mexicano de Normalización y Certificación (IMNC)",
                                       "Normalización y Certificación NYCE"),
    code(tx.CERTIFICATES, "ctpat"): ("U.S. Customs and Border Protection (CBP)",),
}
assert set(CERT_ISSUERS) <= set(tx.CERTIFICATES.codes)
CERT_PREFIX = {"iso9001": "ISO", "wrap": "WRAP", "bsci": "BSCI", "oeko_tex": "OTX", "nmx_cc": "NMX",
               "ctpat": "CTPAT"}
