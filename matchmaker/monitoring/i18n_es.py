"""Spanish for the monitoring pages, charts, slips and messages (registered once into the shared catalog)."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # figures and slips (labels.py)
    "On-time deliveries (%)": "Entregas a tiempo (%)",
    "Days late per delivery": "Días de retraso por entrega",
    "Days late per milestone": "Días de retraso por hito",
    "Reject rate (%)": "Tasa de rechazo (%)",
    "Days beyond payment terms": "Días más allá del plazo de pago",
    "Price changes after agreement": "Cambios de precio tras el acuerdo",
    "a production milestone is past its planned date": "un hito de producción pasó su fecha planeada",
    "a delivery came later than agreed": "una entrega llegó después de lo acordado",
    "the order is not delivered by the agreed date": "el pedido no se entregó en la fecha acordada",
    "the reject rate is above the agreed limit": "la tasa de rechazo supera el límite acordado",
    "an invoice was paid late or is unpaid past its due date":
        "una factura se pagó tarde o sigue sin pagar después de su vencimiento",
    "the unit price changed after agreement": "el precio unitario cambió tras el acuerdo",
    # charts
    "no figures yet": "aún no hay cifras",
    "target": "meta",
    "{figure}: target against actual by month": "{figure}: meta contra real por mes",
    "{month}: actual {actual}, target {target}": "{month}: real {actual}, meta {target}",
    # pages
    "Monitoring": "Seguimiento",
    "Your makers: targets against actuals": "Sus fabricantes: metas contra resultados",
    "Your buyers: targets against actuals": "Sus compradores: metas contra resultados",
    "Targets are the agreed terms of each order; actuals are the figures both sides recorded. Relationships with "
    "missed targets come first.":
        "Las metas son los términos acordados de cada pedido; los resultados, las cifras que registraron ambas "
        "partes. Primero aparecen las relaciones con metas incumplidas.",
    "All relationships together": "Todas las relaciones juntas",
    "Orders": "Pedidos",
    "Slips": "Incumplimientos",
    "{n} overdue": "{n} vencidos",
    "{n} unpaid past due": "{n} sin pagar vencidas",
    "No target missed.": "Ninguna meta incumplida.",
    "As of": "Al día",
    "Show": "Mostrar",
    "Give a date as YYYY-MM-DD.": "Escriba la fecha como AAAA-MM-DD.",
    "Page {page} of {pages}": "Página {page} de {pages}",
    "No orders yet: figures appear once an order is agreed.":
        "Aún no hay pedidos: las cifras aparecen cuando se acuerda un pedido.",
    "Back to monitoring": "Volver al seguimiento",
    "Relationship with {name}": "Relación con {name}",
    "Targets against actuals by month": "Metas contra resultados por mes",
    "Missed targets": "Metas incumplidas",
    "Delivery date": "Fecha de entrega",
    "Targets against actuals": "Metas contra resultados",
    "This order is cancelled; its targets are no longer monitored.":
        "Este pedido está cancelado; sus metas ya no se siguen.",
    "Buyers' records": "Historial de compradores",
    "Buyers' records across our member firms": "Historial de los compradores con nuestras empresas socias",
    "Each buyer's orders with the association's member firms, summed: no member firm is named. A buyer that traded "
    "with fewer than {n} member firms shows no figures, since they would identify the firms.":
        "Los pedidos de cada comprador con las empresas socias de la asociación, sumados: no se nombra a ninguna "
        "empresa socia. Un comprador que trató con menos de {n} empresas socias no muestra cifras, porque "
        "identificarían a las empresas.",
    "Member firms": "Empresas socias",
    "No member firm has recorded an order yet.": "Ninguna empresa socia ha registrado un pedido todavía.",
    "Back to buyers' records": "Volver al historial de compradores",
    "{buyer} across our member firms": "{buyer} con nuestras empresas socias",
    "Member firms that traded with this buyer": "Empresas socias que trataron con este comprador",
    # views, access, api
    "Fewer than {n} member firms traded with this buyer, so its figures would identify them; they are not shown.":
        "Menos de {n} empresas socias trataron con este comprador, así que sus cifras las identificarían; no se "
        "muestran.",
    "Only a buyer's or a maker's users see their relationships.":
        "Solo los usuarios de un comprador o de un fabricante ven sus relaciones.",
    "Only an association's staff and board see its view of buyers.":
        "Solo el personal y el consejo de una asociación ven su vista de compradores.",
    "relationship": "relación",
    "order": "pedido",
    "buyer": "comprador",
}


def register() -> None:
    extend("es", ES)
