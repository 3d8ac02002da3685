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
}

CATALOGS = {"es": ES}


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
