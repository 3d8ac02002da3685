"""Every controlled vocabulary of the cluster, with English labels (Spanish in the gettext catalog).

This is the one place where process stages, product lines, niches, tiers, buyer
types, certificate kinds, roles and outcome events are defined. Everything else
(validation, forms, search facets, demo data, ranking features) reads them here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .catalog import LANGUAGES, translate  # noqa: F401  (LANGUAGES is read from here too)


@dataclass(frozen=True)
class Term:
    """A code and its English label; other languages come from the gettext catalog, where the
    vocabulary's name is the message context (one English word may read differently per vocabulary)."""

    code: str
    en: str
    vocabulary: str = ""

    def label(self, lang: str = "en") -> str:
        return translate(self.en, lang, context=self.vocabulary or None)


class Vocabulary:
    """An ordered set of terms looked up by code."""

    def __init__(self, name: str, *terms: Term):
        self.name = name
        self.terms = tuple(replace(t, vocabulary=name) for t in terms)
        self._by_code = {t.code: t for t in self.terms}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str, lang: str = "en") -> str:
        term = self._by_code.get(code)
        return term.label(lang) if term else code

    def rank(self, code: str) -> int:
        """Position of ``code`` in the vocabulary, for ordered scales like tiers."""
        return self.codes.index(code)


PROCESS_STAGES = Vocabulary(
    "process",
    Term("design", "Design / pattern making (CAD)"),
    Term("fabric_sourcing", "Fabric sourcing"),
    Term("cutting", "Cutting"),
    Term("sewing", "Sewing / assembly"),
    Term("laundry", "Laundry / wash"),
    Term("laser", "Laser aging"),
    Term("finishing", "Finishing (pressing, trims)"),
    Term("embellishment", "Accessories (sequins, patches, fringe)"),
    Term("quality_inspection", "Quality inspection"),
    Term("labeling_packaging", "Labeling and packaging"),
    Term("warehousing", "Warehousing"),
    Term("export_paperwork", "Export paperwork / customs"),
    Term("transport", "Transport"),
)

SERVICE_TIERS = Vocabulary(
    "service_tier",
    Term("assembly", "Assembly only (cut pieces come in)"),
    Term("half_package", "Half package"),
    Term("full_package", "Full package"),
)

PRODUCT_LINES = Vocabulary(
    "product_line",
    Term("jeans_western", "Western / cowboy jeans"),
    Term("jeans_stretch_women", "Women's stretch jeans"),
    Term("jeans_designer", "Designer jeans"),
    Term("denim_separates", "Denim separates (jackets, skirts, shorts)"),
    Term("workwear_uniforms", "Workwear and school uniforms"),
    Term("knitwear", "Knitwear"),
    Term("childrenswear", "Children's wear"),
    Term("ceremonial", "Ceremonial frocks (baptism, first communion)"),
    Term("casual", "Casual wear"),
)

#: The garments each product line makes, as buyers type them (English and Spanish), for search only: a
#: maker's capabilities text holds them, so "jeans" or "chamarras" finds the makers of the line whose label
#: (in one language or the other) does not name them. Not shown, so not in the gettext catalog.
PRODUCT_LINE_GARMENTS: dict[str, tuple[str, ...]] = {
    "jeans_western": ("jeans", "bootcut jeans", "cowboy jeans", "pantalón de mezclilla", "pantalón vaquero"),
    "jeans_stretch_women": ("jeans", "skinny jeans", "jeggings", "pantalón de mezclilla", "pantalón de dama"),
    "jeans_designer": ("jeans", "distressed jeans", "pantalón de mezclilla"),
    "denim_separates": ("jackets", "skirts", "shorts", "overalls", "chamarras", "faldas", "overoles"),
    "workwear_uniforms": ("uniforms", "work pants", "coveralls", "polo shirts", "uniformes", "pantalón de trabajo",
                          "overoles", "camisas"),
    "knitwear": ("sweaters", "cardigans", "t-shirts", "hoodies", "suéteres", "playeras", "sudaderas"),
    "childrenswear": ("kids' clothes", "baby clothes", "ropa de niños", "ropa de bebé"),
    "ceremonial": ("baptism gowns", "communion dresses", "ropones", "vestidos de primera comunión"),
    "casual": ("chinos", "shirts", "dresses", "pantalón casual", "camisas", "vestidos"),
}

NICHES = Vocabulary(
    "niche",
    Term("latino_market", "Latino / ethnic US markets"),
    Term("fashion_small_batch", "Fashion-oriented small batches"),
    Term("high_volume_basics", "High-volume basics"),
    Term("sustainable", "Low-water / sustainable wash"),
    Term("premium_denim", "Premium denim"),
)

QUALITY_TIERS = Vocabulary(
    "quality_tier",
    Term("basic", "Basic"),
    Term("standard", "Standard"),
    Term("premium", "Premium"),
)

CERTIFICATES = Vocabulary(
    "certificate",
    Term("iso9001", "ISO 9001"),
    Term("wrap", "WRAP social compliance"),
    Term("bsci", "amfori BSCI audit"),
    Term("oeko_tex", "OEKO-TEX Standard 100"),
    Term("nmx_cc", "NMX-CC (Mexican quality standard)"),
    Term("ctpat", "C-TPAT supply-chain security"),
)

LAB_TESTS = Vocabulary(
    "lab_test",
    Term("colour_fastness", "Colour fastness"),
    Term("shrinkage", "Shrinkage"),
)

ORG_KINDS = Vocabulary(
    "org_kind",
    Term("maker", "Maker"),
    Term("buyer", "Buyer"),
    Term("buying_agent", "Buying agent"),
    Term("input_vendor", "Input vendor"),
    Term("coordinator", "Coordinator"),
)

BUYER_TYPES = Vocabulary(
    "buyer_type",
    Term("brand", "Brand"),
    Term("retailer", "Retailer"),
    Term("department_store", "Department store"),
    Term("boutique", "Boutique"),
    Term("jobber", "Jobber"),
    Term("buying_agent", "Buying agent"),
)

REQUIREMENT_STATUSES = Vocabulary(
    "requirement_status",
    Term("draft", "Draft"),
    Term("open", "Open"),
    Term("closed", "Closed"),
)

# Constraints of a requirement that the buyer may mark as hard (never violated).
HARD_CONSTRAINTS = Vocabulary(
    "hard_constraint",
    Term("processes", "All required processes"),
    Term("capacity", "Monthly capacity"),
    Term("moq", "Minimum order quantity"),
    Term("lead_time", "Lead time"),
    Term("quality", "Minimum quality tier"),
    Term("certificates", "Required certificates"),
    Term("product_line", "Product line"),
)

ROLES = Vocabulary(
    "role",
    Term("buyer_user", "Buyer"),
    Term("maker_user", "Maker"),
    Term("association_staff", "Association staff"),
    Term("board_member", "Board member"),
    Term("fair_organizer", "Fair organizer"),
    Term("platform_admin", "Platform admin"),
    Term("vendor_user", "Input vendor"),
)

MEMBERSHIP_ROLES = Vocabulary(
    "membership_role",
    Term("member", "Member"),
    Term("board", "Board"),
)

# Outcome events, in the order of a relationship's progress; the ranker grades them.
OUTCOME_EVENTS = Vocabulary(
    "outcome_event",
    Term("shown", "Shown in a ranking"),
    Term("profile_opened", "Profile opened"),
    Term("shortlisted", "Shortlisted"),
    Term("contacted", "Contacted"),
    Term("meeting_held", "Meeting held"),
    Term("sample_requested", "Sample requested"),
    Term("sample_approved", "Sample approved"),
    Term("order_placed", "Order placed"),
    Term("repeat_order", "Repeat order"),
    Term("dispute", "Dispute"),
    # a maker's answers to an inquiry (matchmaker/contact); kept after the funnel, the ranker does not grade them
    Term("quoted", "Quoted"),
    Term("declined", "Declined"),
    # answers to a fair meeting's follow-up (matchmaker/fairs/followups): not graded by the ranker either
    Term("negotiation_started", "Negotiation started"),
    Term("meeting_rated", "Meeting rated"),
)

# Whether a buyer lets its order be split among several firms (issue 16, consortia).
SUBCONTRACTING = Vocabulary(
    "subcontracting",
    Term("allowed", "Allowed"),
    Term("declared", "Only a declared consortium (every member named)"),
    Term("forbidden", "Forbidden: one firm does the whole order"),
)

CURRENCIES = Vocabulary(
    "currency",
    Term("USD", "US dollar"),
    Term("MXN", "Mexican peso"),
    Term("EUR", "Euro"),
    Term("CAD", "Canadian dollar"),
)

# Headcount bands (raw headcount is stored; bands are derived, see docs/domain.md).
SIZE_BANDS = (("micro", 1, 15), ("small", 16, 100), ("medium", 101, 300), ("large", 301, None))
SIZE_BAND_LABELS = Vocabulary(
    "size_band",
    Term("micro", "Micro (1–15)"),
    Term("small", "Small (16–100)"),
    Term("medium", "Medium (101–300)"),
    Term("large", "Large (301+)"),
)


def size_band(headcount: int | None) -> str | None:
    if headcount is None:
        return None
    for code, low, high in SIZE_BANDS:
        if headcount >= low and (high is None or headcount <= high):
            return code
    return None




# -- buyer vetting (issue 5): incidents, references, decisions ---------------------------------
# The codes of INCIDENT_TYPES and the severity levels match models/reputation_features.py
# (a test in tests/vetting checks it); severities are stored as 1/2/3.
INCIDENT_TYPES = Vocabulary(
    "incident_type",
    Term("unpaid_invoice", "Unpaid invoice"),
    Term("late_payment", "Late payment"),
    Term("unjust_clause", "Unjust contract clause"),
    Term("cancellation_after_production", "Cancellation after production"),
    Term("design_theft", "Design theft"),
    Term("client_poaching", "Client poaching"),
    Term("bullying", "Bullying or threats"),
    Term("abrupt_termination", "Abrupt termination blaming the maker"),
)

INCIDENT_SEVERITIES = Vocabulary(
    "incident_severity",
    Term("1", "Minor"),
    Term("2", "Serious"),
    Term("3", "Grave"),
)

INCIDENT_STATUSES = Vocabulary(
    "incident_status",
    Term("hearsay", "Hearsay (not verified)"),
    Term("verified", "Verified"),
    Term("disputed", "Disputed by the buyer"),
    Term("withdrawn", "Withdrawn"),
)

REFERENCE_TYPES = Vocabulary(
    "reference_type",
    Term("trained_suppliers", "Trains its suppliers"),
    Term("fixed_prices_in_advance", "Fixes prices in advance"),
    Term("long_contract", "Long contracts"),
)

VETTING_OUTCOMES = Vocabulary(
    "vetting_outcome",
    Term("approved", "Approved"),
    Term("approved_with_conditions", "Approved with conditions"),
    Term("watchlist", "Watchlist"),
    Term("rejected", "Rejected"),
)

VETTING_CONDITIONS = Vocabulary(
    "vetting_condition",
    Term("deposit", "Deposit at order"),
    Term("letter_of_credit", "Letter of credit"),
)

CASE_STATUSES = Vocabulary(
    "case_status",
    Term("open", "Open"),
    Term("decided", "Decided"),
)

CASE_ORIGINS = Vocabulary(
    "case_origin",
    Term("application", "Applied"),
    Term("proposal", "Proposed by a member"),
    Term("new_verified_incident", "Reopened: new verified incident"),
    Term("review_due", "Reopened: review date reached"),
)

RISK_BANDS = Vocabulary(
    "risk_band",
    Term("low", "Low risk"),
    Term("medium", "Medium risk"),
    Term("high", "High risk"),
    Term("insufficient_history", "Insufficient history"),
    Term("no_model", "No model trained yet"),
)


# -- input vendors (issue 15, matchmaker/vendors) ----------------------------------------------
# What an input vendor supplies: materials, machines, trims and services, one vocabulary so the
# directory filters on one code list.
VENDOR_SUPPLIES = Vocabulary(
    "vendor_supply",
    Term("denim_fabric", "Denim fabric"),
    Term("twill_fabric", "Twill and other woven fabric"),
    Term("knit_fabric", "Knit fabric"),
    Term("thread", "Sewing thread"),
    Term("chemicals", "Wash chemicals and dyes"),
    Term("trims", "Trims (buttons, rivets, zippers, labels)"),
    Term("packaging", "Packaging"),
    Term("sewing_machines", "Sewing machines"),
    Term("cutting_machines", "Cutting machines"),
    Term("laundry_machines", "Laundry machines"),
    Term("laser_machines", "Laser machines"),
    Term("machine_repair", "Machine repair and parts"),
    Term("cad_services", "CAD and pattern services"),
)
MACHINE_SUPPLIES = frozenset({"sewing_machines", "cutting_machines", "laundry_machines", "laser_machines",
                              "machine_repair"})

DENIM_FINISHES = Vocabulary(
    "denim_finish",
    Term("rigid", "Rigid / raw"),
    Term("stretch", "Stretch"),
    Term("selvedge", "Selvedge"),
    Term("mercerized", "Mercerized"),
    Term("coated", "Coated"),
    Term("sanforized", "Sanforized"),
    Term("recycled", "Recycled fibre"),
)

TRIM_KINDS = Vocabulary(
    "trim_kind",
    Term("buttons", "Buttons"),
    Term("rivets", "Rivets"),
    Term("zippers", "Zippers"),
    Term("labels", "Labels and tags"),
    Term("patches", "Leather and jacron patches"),
    Term("interlining", "Interlining"),
    Term("elastic", "Elastic"),
)

PURCHASE_QUALITY = Vocabulary(
    "purchase_quality",
    Term("as_sample", "As the sample"),
    Term("minor_deviation", "Minor deviation from the sample"),
    Term("major_deviation", "Major deviation from the sample"),
)
