"""English and Spanish for the pages: the locale choice and the message catalog.

Taxonomy labels live with the taxonomy; this catalog holds the interface's own
words. A missing Spanish entry falls back to English (and a test lists them).
"""
from __future__ import annotations

from flask import g, request, session

from .taxonomy import LANGUAGES

ES = {
    "Sign in": "Iniciar sesión",
    "Sign out": "Cerrar sesión",
    "Email": "Correo electrónico",
    "Password": "Contraseña",
    "Wrong email or password.": "Correo o contraseña incorrectos.",
    "Home": "Inicio",
    "Directory": "Directorio",
    "My requirements": "Mis requerimientos",
    "New requirement": "Nuevo requerimiento",
    "Edit requirement": "Editar requerimiento",
    "Requirement": "Requerimiento",
    "Edit profile": "Editar perfil",
    "Maker profile": "Perfil del fabricante",
    "Organizations": "Organizaciones",
    "Organization": "Organización",
    "Save": "Guardar",
    "Saved.": "Guardado.",
    "Search": "Buscar",
    "Name": "Nombre",
    "Kind": "Tipo",
    "City": "Ciudad",
    "State": "Estado",
    "Country": "País",
    "Headcount": "Personal",
    "Service tier": "Nivel de servicio",
    "Monthly capacity (units)": "Capacidad mensual (piezas)",
    "Spare capacity in peak season": "Capacidad libre en temporada alta",
    "Minimum order quantity": "Pedido mínimo",
    "Share committed to other clients": "Proporción comprometida con otros clientes",
    "Sample lead time (days)": "Tiempo de muestra (días)",
    "Order lead time (days)": "Tiempo de entrega del pedido (días)",
    "Quality tier": "Nivel de calidad",
    "Reject rate (%)": "Tasa de rechazo (%)",
    "Processes": "Procesos",
    "Product lines": "Líneas de producto",
    "Niches": "Nichos",
    "Certificates": "Certificados",
    "Design capability": "Capacidad de diseño",
    "Own brand": "Marca propia",
    "Export experience": "Experiencia exportadora",
    "Subcontracts work": "Subcontrata trabajo",
    "About": "Descripción",
    "Title": "Título",
    "Product line": "Línea de producto",
    "Quantity": "Cantidad",
    "Monthly volume": "Volumen mensual",
    "Target unit price (min)": "Precio unitario objetivo (mín.)",
    "Target unit price (max)": "Precio unitario objetivo (máx.)",
    "Currency": "Moneda",
    "Delivery lead time (days)": "Plazo de entrega (días)",
    "Minimum quality tier": "Calidad mínima",
    "Required processes": "Procesos requeridos",
    "Required certificates": "Certificados requeridos",
    "Style and niche": "Estilo y nicho",
    "Hard constraints": "Restricciones obligatorias",
    "Status": "Estado",
    "Someone else saved this record while you were editing. Reload and apply your changes again.":
        "Alguien más guardó este registro mientras lo editaba. Recargue y vuelva a aplicar sus cambios.",
    "Please correct the marked fields.": "Corrija los campos marcados.",
    "Conflict": "Conflicto",
    "the change conflicts with a record saved at the same moment; reload and try again":
        "el cambio choca con un registro guardado en el mismo momento; recargue e intente de nuevo",
    "Welcome": "Bienvenido",
    "Signed in as": "Sesión iniciada como",
    "Demo logins": "Accesos de demostración",
    "Members": "Socios",
    "Association": "Asociación",
    "Associations": "Asociaciones",
    "Open requirements": "Requerimientos abiertos",
    "No results.": "Sin resultados.",
    "Previous": "Anterior",
    "Next": "Siguiente",
    "Page": "Página",
    "of": "de",
    "Not allowed": "No permitido",
    "Not found": "No encontrado",
    "Language": "Idioma",
    "Valid until": "Vigente hasta",
    "Issuer": "Emisor",
    "Number": "Número",
    "Created": "Creado",
    "Buyer": "Comprador",
    "View": "Ver",
    "Edit": "Editar",
    "Filter": "Filtrar",
    "All": "Todos",
    "Languages": "Idiomas",
    "Lab tests": "Pruebas de laboratorio",
    "Unit price range (USD)": "Rango de precio unitario (USD)",
    "Founded": "Fundada",
    "Export share (%)": "Exportación (%)",
    "Separate export facility": "Planta de exportación separada",
    "Platform administration": "Administración de la plataforma",
    "Your firm": "Su empresa",
    "What would you like to do?": "¿Qué desea hacer?",
    # pages: forms, directory, home, errors
    "An unexpected error occurred.": "Ocurrió un error inesperado.",
    "Bad request": "Solicitud incorrecta",
    "Between 0 and 1, e.g. 0.25": "Entre 0 y 1, p. ej. 0.25",
    "Browse makers": "Explorar fabricantes",
    "Buyer profile": "Perfil del comprador",
    "Buyer type": "Tipo de comprador",
    "Cancel": "Cancelar",
    "Capability profile": "Perfil de capacidades",
    "Capacity and lead times": "Capacidad y tiempos de entrega",
    "Certificate": "Certificado",
    "Choose at least {limit}.": "Elija al menos {limit}.",
    "Choose at most {limit}.": "Elija como máximo {limit}.",
    "Choose each value only once.": "Elija cada valor una sola vez.",
    "Choose one of the listed values.": "Elija uno de los valores de la lista.",
    "Enter a date as YYYY-MM-DD.": "Escriba una fecha como AAAA-MM-DD.",
    "Enter a number.": "Escriba un número.",
    "Enter a whole number.": "Escriba un número entero.",
    "Error": "Error",
    "Expired": "Vencido",
    "Export and prices": "Exportación y precios",
    "Firm": "Empresa",
    "Highest unit price (USD)": "Precio unitario más alto (USD)",
    "Leave a row empty to remove it.": "Deje una fila vacía para eliminarla.",
    "Location": "Ubicación",
    "Lowest unit price (USD)": "Precio unitario más bajo (USD)",
    "Main": "Principal",
    "Maker profiles": "Perfiles de fabricantes",
    "Member since": "Socio desde",
    "Must be at least {limit}.": "Debe ser al menos {limit}.",
    "Must be at most {limit}.": "Debe ser como máximo {limit}.",
    "No": "No",
    "Only open requirements are shown to makers.": "Solo los requerimientos abiertos se muestran a los fabricantes.",
    "Pages": "Páginas",
    "Quality": "Calidad",
    "Requirements": "Requerimientos",
    "Role": "Rol",
    "See your public profile": "Ver su perfil público",
    "Size": "Tamaño",
    "Skip to content": "Saltar al contenido",
    "Style notes": "Notas de estilo",
    "Target unit price": "Precio unitario objetivo",
    "The form was refused. Reload the page and try again.":
        "El formulario fue rechazado. Recargue la página e inténtelo de nuevo.",
    "The lowest price must not exceed the highest price.": "El precio más bajo no debe superar al más alto.",
    "The minimum order quantity is more than a year of monthly capacity.":
        "El pedido mínimo supera un año de capacidad mensual.",
    "There is no such page, or it is not visible to you.": "La página no existe o no está visible para usted.",
    "This field is required.": "Este campo es obligatorio.",
    "This maker has not published a capability profile yet.":
        "Este fabricante aún no publica su perfil de capacidades.",
    "This value has the wrong format.": "El formato de este valor no es válido.",
    "Two-letter codes separated by commas, e.g. es, en": "Códigos de dos letras separados por comas, p. ej. es, en",
    "Unknown field.": "Campo desconocido.",
    "Unknown value: choose from the list.": "Valor desconocido: elija de la lista.",
    "Use at most {limit} characters.": "Use como máximo {limit} caracteres.",
    "Users": "Usuarios",
    "Valid": "Vigente",
    "Website": "Sitio web",
    "Yes": "Sí",
    "You have no requirements yet.": "Aún no tiene requerimientos.",
    "Your account is not attached to a firm.": "Su cuenta no está vinculada a una empresa.",
    "Your account is not attached to an association.": "Su cuenta no está vinculada a una asociación.",
    "Your firm has no capability profile yet: buyers cannot find you until you fill it in.":
        "Su empresa aún no tiene perfil de capacidades: los compradores no la encontrarán hasta que lo complete.",
    "Your role does not give access to this page.": "Su rol no da acceso a esta página.",
    "{count} organizations": "{count} organizaciones",
}

ES.update({
    # search pages
    "Search makers": "Buscar fabricantes",
    "What do you need made?": "¿Qué necesita fabricar?",
    "e.g. women's stretch denim, laser wash, small batches":
        "p. ej. pantalón stretch mujer, lavado láser, lotes pequeños",
    "Size": "Tamaño",
    "Near (lat,lon)": "Cerca de (lat,lon)",
    "Radius (km)": "Radio (km)",
    "Sort by": "Ordenar por",
    "Relevance": "Relevancia",
    "Free capacity": "Capacidad libre",
    "Lead time": "Tiempo de entrega",
    "{count} makers": "{count} fabricantes",
    "{count} requirements": "{count} requerimientos",
    "Requests from buyers the association has cleared.": "Solicitudes de compradores aprobados por la asociación.",
    "Only requirements my firm could serve": "Solo requerimientos que mi empresa podría atender",
    "Search is temporarily unavailable; please try again in a moment.":
        "La búsqueda no está disponible por el momento; intente de nuevo en un momento.",
    "must be a whole number": "debe ser un número entero",
    "unknown parameter": "parámetro desconocido",
    "must be lat,lon in degrees": "debe ser lat,lon en grados",
    "must be a number": "debe ser un número",
    "give near=lat,lon with radius_km": "indique cerca de (lat,lon) junto con el radio",
    "latitude or longitude out of range": "latitud o longitud fuera de rango",
    "must be more than 0 and at most 20000": "debe ser mayor que 0 y como máximo 20000",
    "must be a two-letter ISO code": "debe ser un código ISO de dos letras",
    "Vetting queue": "Casos de evaluación",
    "My vetting status": "Mi estatus de evaluación",
    # ranking on the requirement page
    "Recommended makers": "Fabricantes recomendados",
    "Ranked by the {model}; your hard constraints are never relaxed.":
        "Clasificados por el {model}; sus restricciones obligatorias nunca se relajan.",
    "Not enough recorded outcomes for a learned model yet: ranked by a transparent rule score.":
        "Aún no hay suficientes resultados registrados para un modelo aprendido: clasificados con una regla "
        "transparente.",
    "The learned model could not be loaded: ranked by a transparent rule score until it is retrained.":
        "No se pudo cargar el modelo aprendido: clasificados con una regla transparente hasta reentrenarlo.",
    "The delivery lead time is shorter than any candidate's sample time: no maker can deliver in time.":
        "El plazo de entrega es menor que el tiempo de muestra de cualquier candidato: ningún fabricante puede "
        "entregar a tiempo.",
    "No maker meets every hard constraint. Relax one (for example the lead time) to see candidates.":
        "Ningún fabricante cumple todas las restricciones obligatorias. Relaje una (por ejemplo el plazo) para "
        "ver candidatos.",
})

ES.update({
    # validation messages by pydantic error type and our own rule codes (forms.ERROR_MESSAGES)
    "Must be more than {limit}.": "Debe ser mayor que {limit}.",
    "Must be less than {limit}.": "Debe ser menor que {limit}.",
    "Choose yes or no.": "Elija sí o no.",
    "Enter text.": "Escriba un texto.",
    "Choose from the list.": "Elija de la lista.",
    "Write at least {limit} characters.": "Escriba al menos {limit} caracteres.",
    "This value is not valid.": "Este valor no es válido.",
    "The date must not be in the future.": "La fecha no debe estar en el futuro.",
    "The due date must not be before the invoice date.":
        "La fecha de vencimiento no debe ser anterior a la fecha de factura.",
    "The payment date must not be before the invoice date.":
        "La fecha de pago no debe ser anterior a la fecha de factura.",
    "Give the date of payment with the amount paid.": "Indique la fecha de pago junto con el monto pagado.",
    "The amount paid must not exceed the invoice amount.": "El monto pagado no debe superar el monto de la factura.",
    "The review date must be after today.": "La fecha de revisión debe ser posterior a hoy.",
    "The review date must be within {limit} years.": "La fecha de revisión debe estar dentro de {limit} años.",
    "Choose at least one condition for an approval with conditions.":
        "Elija al menos una condición para una aprobación con condiciones.",
    "Conditions apply only to an approval with conditions.":
        "Las condiciones solo aplican a una aprobación con condiciones.",
    "A deposit share needs the deposit condition.": "Una proporción de anticipo requiere la condición de anticipo.",
    "Choose the incident you dispute.": "Elija el incidente que disputa.",
    "Menu": "Menú",
    "Password of every demo login": "Contraseña de todos los accesos de demostración",
    # search parameters
    "must be between {lo} and {hi}": "debe estar entre {lo} y {hi}",
    "unknown code {code}": "código desconocido {code}",
})

CATALOGS = {"es": ES}


def extend(lang: str, entries: dict[str, str]) -> None:
    """Add a concern's own interface words (e.g. vetting, fairs) to the catalog of ``lang``.

    One English text has one translation: a concern that gives another one for a text already in
    the catalog would change it on every page, depending on import order, so that is refused.
    """
    catalog = CATALOGS.setdefault(lang, {})
    clashes = {k: (catalog[k], v) for k, v in entries.items() if k in catalog and catalog[k] != v}
    if clashes:
        raise ValueError(f"conflicting {lang} translations: {clashes}")
    catalog.update(entries)


def select_locale() -> str:
    """Explicit choice (stored in the session) first, then the browser's preference."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def locale() -> str:
    if "locale" not in g:
        g.locale = select_locale()
    return g.locale


def gettext(message: str, **params) -> str:
    text = CATALOGS.get(locale(), {}).get(message, message)
    return text.format(**params) if params else text


# -- numbers and dates in the reader's locale (Babel's CLDR data) ------------------------------------
# The cluster is Mexican: Spanish pages follow es_MX, English pages en_US.
BABEL_LOCALES = {"es": "es_MX", "en": "en_US"}


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALES.get(lang or locale(), "en_US")


def _finite(value) -> bool:
    import math

    try:
        return value is not None and value != "" and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value, digits: int | None = None, lang: str | None = None) -> str:
    """``4550`` → ``4,550``; ``digits`` fixes the decimals (``0.255, 1`` → ``0.3``); ``None`` → ``—``."""
    from babel.numbers import format_decimal

    if not _finite(value):
        return "—"
    if digits is None:
        return format_decimal(value, locale=babel_locale(lang))
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang), decimal_quantization=True)


def format_percent(value, digits: int = 0, lang: str | None = None) -> str:
    """A share 0–1 as a percentage: ``0.25`` → ``25 %`` (es) / ``25%`` (en)."""
    from babel.numbers import format_percent as _fp

    if not _finite(value):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return _fp(value, format=pattern, locale=babel_locale(lang))


def _as_date(value):
    from datetime import date, datetime

    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, (date, datetime)) else None


def format_date(value, style: str = "medium", lang: str | None = None) -> str:
    """A date in words of the reader's language: ``1 dic 2026`` / ``Dec 1, 2026``; ISO strings accepted."""
    from datetime import datetime

    from babel.dates import format_date as _fd

    parsed = _as_date(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    if isinstance(parsed, datetime):
        parsed = parsed.date()
    return _fd(parsed, format=style, locale=babel_locale(lang))


def format_datetime(value, style: str = "medium", lang: str | None = None) -> str:
    from datetime import date, datetime, time

    from babel.dates import format_datetime as _fdt

    parsed = _as_date(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    if not isinstance(parsed, datetime) and isinstance(parsed, date):
        parsed = datetime.combine(parsed, time())
    return _fdt(parsed, format=style, locale=babel_locale(lang))


def format_weekday(value, lang: str | None = None) -> str:
    from babel.dates import format_date as _fd

    parsed = _as_date(value)
    return "—" if parsed is None else _fd(parsed, format="EEEE", locale=babel_locale(lang))


FILTERS = {"number": format_number, "percent": format_percent, "date": format_date,
           "datetime": format_datetime, "weekday": format_weekday}
