"""Every controlled vocabulary of the cluster, with English and Spanish labels.

This is the one place where process stages, product lines, niches, tiers, buyer
types, certificate kinds, roles and outcome events are defined. Everything else
(validation, forms, search facets, demo data, ranking features) reads them here.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    en: str
    es: str

    def label(self, lang: str = "en") -> str:
        return self.es if lang == "es" else self.en


class Vocabulary:
    """An ordered set of terms looked up by code."""

    def __init__(self, name: str, *terms: Term):
        self.name = name
        self.terms = terms
        self._by_code = {t.code: t for t in terms}

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
    Term("design", "Design / pattern making (CAD)", "Diseño / patronaje (CAD)"),
    Term("fabric_sourcing", "Fabric sourcing", "Abastecimiento de tela"),
    Term("cutting", "Cutting", "Corte"),
    Term("sewing", "Sewing / assembly", "Costura / ensamble"),
    Term("laundry", "Laundry / wash", "Lavandería / lavado"),
    Term("laser", "Laser aging", "Desgaste láser"),
    Term("finishing", "Finishing (pressing, trims)", "Acabado (planchado, avíos)"),
    Term("embellishment", "Accessories (sequins, patches, fringe)", "Aplicaciones (lentejuela, parches, fleco)"),
    Term("quality_inspection", "Quality inspection", "Inspección de calidad"),
    Term("labeling_packaging", "Labeling and packaging", "Etiquetado y empaque"),
    Term("warehousing", "Warehousing", "Almacenaje"),
    Term("export_paperwork", "Export paperwork / customs", "Trámites de exportación / aduanas"),
    Term("transport", "Transport", "Transporte"),
)

SERVICE_TIERS = Vocabulary(
    "service_tier",
    Term("assembly", "Assembly only (cut pieces come in)", "Solo maquila (llegan piezas cortadas)"),
    Term("half_package", "Half package", "Paquete parcial"),
    Term("full_package", "Full package", "Paquete completo"),
)

PRODUCT_LINES = Vocabulary(
    "product_line",
    Term("jeans_western", "Western / cowboy jeans", "Pantalón vaquero"),
    Term("jeans_stretch_women", "Women's stretch jeans", "Pantalón stretch para dama"),
    Term("jeans_designer", "Designer jeans", "Jeans de diseñador"),
    Term("denim_separates", "Denim separates (jackets, skirts, shorts)",
         "Prendas de mezclilla (chamarras, faldas, shorts)"),
    Term("workwear_uniforms", "Workwear and school uniforms", "Ropa de trabajo y uniformes escolares"),
    Term("knitwear", "Knitwear", "Tejido de punto"),
    Term("childrenswear", "Children's wear", "Ropa infantil"),
    Term("ceremonial", "Ceremonial frocks (baptism, first communion)", "Ropa de ceremonia (bautizo, primera comunión)"),
    Term("casual", "Casual wear", "Ropa casual"),
)

NICHES = Vocabulary(
    "niche",
    Term("latino_market", "Latino / ethnic US markets", "Mercado latino / étnico en EE. UU."),
    Term("fashion_small_batch", "Fashion-oriented small batches", "Moda en lotes pequeños"),
    Term("high_volume_basics", "High-volume basics", "Básicos de alto volumen"),
    Term("sustainable", "Low-water / sustainable wash", "Lavado sustentable / bajo consumo de agua"),
    Term("premium_denim", "Premium denim", "Mezclilla premium"),
)

QUALITY_TIERS = Vocabulary(
    "quality_tier",
    Term("basic", "Basic", "Básica"),
    Term("standard", "Standard", "Estándar"),
    Term("premium", "Premium", "Premium"),
)

CERTIFICATES = Vocabulary(
    "certificate",
    Term("iso9001", "ISO 9001", "ISO 9001"),
    Term("wrap", "WRAP social compliance", "Cumplimiento social WRAP"),
    Term("bsci", "amfori BSCI audit", "Auditoría amfori BSCI"),
    Term("oeko_tex", "OEKO-TEX Standard 100", "OEKO-TEX Standard 100"),
    Term("nmx_cc", "NMX-CC (Mexican quality standard)", "NMX-CC (norma mexicana de calidad)"),
    Term("ctpat", "C-TPAT supply-chain security", "C-TPAT seguridad de la cadena de suministro"),
)

LAB_TESTS = Vocabulary(
    "lab_test",
    Term("colour_fastness", "Colour fastness", "Solidez del color"),
    Term("shrinkage", "Shrinkage", "Encogimiento"),
)

ORG_KINDS = Vocabulary(
    "org_kind",
    Term("maker", "Maker", "Fabricante"),
    Term("buyer", "Buyer", "Comprador"),
    Term("buying_agent", "Buying agent", "Agente de compras"),
    Term("input_vendor", "Input vendor", "Proveedor de insumos"),
    Term("coordinator", "Coordinator", "Coordinador"),
)

BUYER_TYPES = Vocabulary(
    "buyer_type",
    Term("brand", "Brand", "Marca"),
    Term("retailer", "Retailer", "Minorista"),
    Term("department_store", "Department store", "Tienda departamental"),
    Term("boutique", "Boutique", "Boutique"),
    Term("jobber", "Jobber", "Mayorista (jobber)"),
    Term("buying_agent", "Buying agent", "Agente de compras"),
)

REQUIREMENT_STATUSES = Vocabulary(
    "requirement_status",
    Term("draft", "Draft", "Borrador"),
    Term("open", "Open", "Abierto"),
    Term("closed", "Closed", "Cerrado"),
)

# Constraints of a requirement that the buyer may mark as hard (never violated).
HARD_CONSTRAINTS = Vocabulary(
    "hard_constraint",
    Term("processes", "All required processes", "Todos los procesos requeridos"),
    Term("capacity", "Monthly capacity", "Capacidad mensual"),
    Term("moq", "Minimum order quantity", "Pedido mínimo"),
    Term("lead_time", "Lead time", "Tiempo de entrega"),
    Term("quality", "Minimum quality tier", "Calidad mínima"),
    Term("certificates", "Required certificates", "Certificados requeridos"),
    Term("product_line", "Product line", "Línea de producto"),
)

ROLES = Vocabulary(
    "role",
    Term("buyer_user", "Buyer", "Comprador"),
    Term("maker_user", "Maker", "Fabricante"),
    Term("association_staff", "Association staff", "Personal de la asociación"),
    Term("board_member", "Board member", "Miembro del consejo"),
    Term("fair_organizer", "Fair organizer", "Organizador de feria"),
    Term("platform_admin", "Platform admin", "Administrador de la plataforma"),
    Term("vendor_user", "Input vendor", "Proveedor de insumos"),
)

MEMBERSHIP_ROLES = Vocabulary(
    "membership_role",
    Term("member", "Member", "Socio"),
    Term("board", "Board", "Consejo"),
)

# Outcome events, in the order of a relationship's progress; the ranker grades them.
OUTCOME_EVENTS = Vocabulary(
    "outcome_event",
    Term("shown", "Shown in a ranking", "Mostrado en un ranking"),
    Term("profile_opened", "Profile opened", "Perfil abierto"),
    Term("shortlisted", "Shortlisted", "Preseleccionado"),
    Term("contacted", "Contacted", "Contactado"),
    Term("meeting_held", "Meeting held", "Reunión realizada"),
    Term("sample_requested", "Sample requested", "Muestra solicitada"),
    Term("sample_approved", "Sample approved", "Muestra aprobada"),
    Term("order_placed", "Order placed", "Pedido realizado"),
    Term("repeat_order", "Repeat order", "Pedido recurrente"),
    Term("dispute", "Dispute", "Disputa"),
    # a maker's answers to an inquiry (matchmaker/contact); kept after the funnel, the ranker does not grade them
    Term("quoted", "Quoted", "Cotizado"),
    Term("declined", "Declined", "Rechazado por el fabricante"),
    # answers to a fair meeting's follow-up (matchmaker/fairs/followups): not graded by the ranker either
    Term("negotiation_started", "Negotiation started", "Negociación iniciada"),
    Term("meeting_rated", "Meeting rated", "Reunión calificada"),
)

CURRENCIES = Vocabulary(
    "currency",
    Term("USD", "US dollar", "Dólar estadounidense"),
    Term("MXN", "Mexican peso", "Peso mexicano"),
    Term("EUR", "Euro", "Euro"),
    Term("CAD", "Canadian dollar", "Dólar canadiense"),
)

# Headcount bands (raw headcount is stored; bands are derived, see DOMAIN.md).
SIZE_BANDS = (("micro", 1, 15), ("small", 16, 100), ("medium", 101, 300), ("large", 301, None))
SIZE_BAND_LABELS = Vocabulary(
    "size_band",
    Term("micro", "Micro (1–15)", "Micro (1–15)"),
    Term("small", "Small (16–100)", "Pequeña (16–100)"),
    Term("medium", "Medium (101–300)", "Mediana (101–300)"),
    Term("large", "Large (301+)", "Grande (301+)"),
)


def size_band(headcount: int | None) -> str | None:
    if headcount is None:
        return None
    for code, low, high in SIZE_BANDS:
        if headcount >= low and (high is None or headcount <= high):
            return code
    return None


LANGUAGES = ("en", "es")


# -- buyer vetting (issue 5): incidents, references, decisions ---------------------------------
# The codes of INCIDENT_TYPES and the severity levels match models/reputation_features.py
# (a test in tests/vetting checks it); severities are stored as 1/2/3.
INCIDENT_TYPES = Vocabulary(
    "incident_type",
    Term("unpaid_invoice", "Unpaid invoice", "Factura no pagada"),
    Term("late_payment", "Late payment", "Pago tardío"),
    Term("unjust_clause", "Unjust contract clause", "Cláusula contractual injusta"),
    Term("cancellation_after_production", "Cancellation after production", "Cancelación después de producir"),
    Term("design_theft", "Design theft", "Robo de diseño"),
    Term("client_poaching", "Client poaching", "Robo de clientes"),
    Term("bullying", "Bullying or threats", "Abuso o amenazas"),
    Term("abrupt_termination", "Abrupt termination blaming the maker", "Terminación abrupta culpando al fabricante"),
)

INCIDENT_SEVERITIES = Vocabulary(
    "incident_severity",
    Term("1", "Minor", "Leve"),
    Term("2", "Serious", "Serio"),
    Term("3", "Grave", "Muy grave"),
)

INCIDENT_STATUSES = Vocabulary(
    "incident_status",
    Term("hearsay", "Hearsay (not verified)", "De oídas (sin verificar)"),
    Term("verified", "Verified", "Verificado"),
    Term("disputed", "Disputed by the buyer", "Disputado por el comprador"),
    Term("withdrawn", "Withdrawn", "Retirado"),
)

REFERENCE_TYPES = Vocabulary(
    "reference_type",
    Term("trained_suppliers", "Trains its suppliers", "Capacita a sus proveedores"),
    Term("fixed_prices_in_advance", "Fixes prices in advance", "Fija precios por adelantado"),
    Term("long_contract", "Long contracts", "Contratos largos"),
)

VETTING_OUTCOMES = Vocabulary(
    "vetting_outcome",
    Term("approved", "Approved", "Aprobado"),
    Term("approved_with_conditions", "Approved with conditions", "Aprobado con condiciones"),
    Term("watchlist", "Watchlist", "En observación"),
    Term("rejected", "Rejected", "Rechazado"),
)

VETTING_CONDITIONS = Vocabulary(
    "vetting_condition",
    Term("deposit", "Deposit at order", "Anticipo al hacer el pedido"),
    Term("letter_of_credit", "Letter of credit", "Carta de crédito"),
)

CASE_STATUSES = Vocabulary(
    "case_status",
    Term("open", "Open", "Abierto"),
    Term("decided", "Decided", "Resuelto"),
)

CASE_ORIGINS = Vocabulary(
    "case_origin",
    Term("application", "Applied", "Solicitud"),
    Term("proposal", "Proposed by a member", "Propuesto por un socio"),
    Term("new_verified_incident", "Reopened: new verified incident", "Reabierto: nuevo incidente verificado"),
    Term("review_due", "Reopened: review date reached", "Reabierto: llegó la fecha de revisión"),
)

RISK_BANDS = Vocabulary(
    "risk_band",
    Term("low", "Low risk", "Riesgo bajo"),
    Term("medium", "Medium risk", "Riesgo medio"),
    Term("high", "High risk", "Riesgo alto"),
    Term("insufficient_history", "Insufficient history", "Historial insuficiente"),
    Term("no_model", "No model trained yet", "Aún no hay modelo entrenado"),
)


# -- input vendors (issue 15, matchmaker/vendors) ----------------------------------------------
# What an input vendor supplies: materials, machines, trims and services, one vocabulary so the
# directory filters on one code list.
VENDOR_SUPPLIES = Vocabulary(
    "vendor_supply",
    Term("denim_fabric", "Denim fabric", "Tela de mezclilla"),
    Term("twill_fabric", "Twill and other woven fabric", "Gabardina y otras telas planas"),
    Term("knit_fabric", "Knit fabric", "Tela de punto"),
    Term("thread", "Sewing thread", "Hilo de costura"),
    Term("chemicals", "Wash chemicals and dyes", "Químicos de lavado y colorantes"),
    Term("trims", "Trims (buttons, rivets, zippers, labels)", "Avíos (botones, remaches, cierres, etiquetas)"),
    Term("packaging", "Packaging", "Empaque"),
    Term("sewing_machines", "Sewing machines", "Máquinas de coser"),
    Term("cutting_machines", "Cutting machines", "Máquinas de corte"),
    Term("laundry_machines", "Laundry machines", "Maquinaria de lavandería"),
    Term("laser_machines", "Laser machines", "Máquinas láser"),
    Term("machine_repair", "Machine repair and parts", "Reparación y refacciones de maquinaria"),
    Term("cad_services", "CAD and pattern services", "Servicios de CAD y patronaje"),
)
MACHINE_SUPPLIES = frozenset({"sewing_machines", "cutting_machines", "laundry_machines", "laser_machines",
                              "machine_repair"})

DENIM_FINISHES = Vocabulary(
    "denim_finish",
    Term("rigid", "Rigid / raw", "Rígida / cruda"),
    Term("stretch", "Stretch", "Stretch"),
    Term("selvedge", "Selvedge", "Orillo (selvedge)"),
    Term("mercerized", "Mercerized", "Mercerizada"),
    Term("coated", "Coated", "Recubierta"),
    Term("sanforized", "Sanforized", "Sanforizada"),
    Term("recycled", "Recycled fibre", "Fibra reciclada"),
)

TRIM_KINDS = Vocabulary(
    "trim_kind",
    Term("buttons", "Buttons", "Botones"),
    Term("rivets", "Rivets", "Remaches"),
    Term("zippers", "Zippers", "Cierres"),
    Term("labels", "Labels and tags", "Etiquetas"),
    Term("patches", "Leather and jacron patches", "Parches de piel y jacron"),
    Term("interlining", "Interlining", "Entretela"),
    Term("elastic", "Elastic", "Elástico"),
)

PURCHASE_QUALITY = Vocabulary(
    "purchase_quality",
    Term("as_sample", "As the sample", "Igual a la muestra"),
    Term("minor_deviation", "Minor deviation from the sample", "Desviación menor de la muestra"),
    Term("major_deviation", "Major deviation from the sample", "Desviación mayor de la muestra"),
)
