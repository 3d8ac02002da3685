"""Spanish for the ratings pages, messages and category names (registered once into the shared catalog)."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # directions and categories
    "Purchasing practices": "Prácticas de compra",
    "Maker performance": "Desempeño del fabricante",
    "Vendor performance": "Desempeño del proveedor",
    "Planning and forecasting": "Planeación y pronóstico",
    "Design and development": "Diseño y desarrollo",
    "Cost and negotiation": "Costo y negociación",
    "Order placement": "Colocación del pedido",
    "Payment and terms": "Pago y condiciones",
    "Management of the relationship": "Gestión de la relación",
    "Overall partnership": "Relación comercial en general",
    "Quality": "Calidad",
    "On-time delivery": "Entrega a tiempo",
    "Communication": "Comunicación",
    "All categories": "Todas las categorías",
    # messages
    "No such {what}.": "No existe ese elemento ({what}).",
    "order": "pedido", "purchase": "compra", "organization": "organización",
    "Your firm has already rated this.": "Su empresa ya calificó esto.",
    "Your firm has rated this.": "Su empresa ya calificó esto.",
    "Your firm has rated this order.": "Su empresa ya calificó este pedido.",
    "The other side has not confirmed the order's terms; it cannot be rated.":
        "La otra parte no ha confirmado las condiciones del pedido; no puede calificarse.",
    "Rating opens on {date}.": "La calificación se abre el {date}.",
    "Rating opens on {date}, or when the order closes.":
        "La calificación se abre el {date}, o cuando el pedido se cierre.",
    "Not a category of this rating; allowed: {codes}.":
        "No es una categoría de esta calificación; se permiten: {codes}.",
    "Your firm does not receive this kind of rating.": "Su empresa no recibe este tipo de calificación.",
    "Someone published an answer at the same moment; reload.":
        "Alguien publicó una respuesta en el mismo momento; vuelva a cargar.",
    "Choose a score from 1 to 5.": "Elija una calificación del 1 al 5.",
    "Score at least one category.": "Califique al menos una categoría.",
    "At most {n} characters.": "Como máximo {n} caracteres.",
    "Remove the control characters.": "Quite los caracteres de control.",
    "Choose a category of this rating.": "Elija una categoría de esta calificación.",
    "Write an answer.": "Escriba una respuesta.",
    "The form expired; try again.": "El formulario expiró; inténtelo de nuevo.",
    "Thank you: your rating was recorded. The rated firm sees only aggregates, never who rated.":
        "Gracias: su calificación quedó registrada. La empresa calificada solo ve agregados, nunca quién calificó.",
    "Your answer was withdrawn.": "Su respuesta se retiró.",
    "Your answer is published beside your ratings.": "Su respuesta se publicó junto a sus calificaciones.",
    "Order {ref}": "Pedido {ref}",
    "Purchase of {lot}": "Compra de {lot}",
    # forms
    "Comment for the association's board (optional)": "Comentario para el consejo de la asociación (opcional)",
    "Answer to": "Respuesta a",
    "Your answer": "Su respuesta",
    # pages
    "Category": "Categoría",
    "Score (1–5)": "Calificación (1–5)",
    "Cluster median": "Mediana del clúster",
    "Ratings": "Calificaciones",
    "Rating": "Calificación",
    "Rate": "Calificar",
    "Rate this order": "Calificar este pedido",
    "Send rating": "Enviar calificación",
    "Not shown until 3 firms have rated.": "No se muestra hasta que califiquen 3 empresas.",
    "Not enough ratings yet: a category is shown once at least 3 firms have rated it.":
        "Aún no hay suficientes calificaciones: una categoría se muestra cuando al menos 3 empresas la calificaron.",
    "The firm's answer": "Respuesta de la empresa",
    "Firms that really traded with this one rate it after an order; only aggregates are shown, never who rated.":
        "Las empresas que realmente comerciaron con esta la califican después de un pedido; solo se muestran "
        "agregados, nunca quién calificó.",
    "This order may be rated now. The other firm sees only aggregates of three firms or more, never who rated.":
        "Este pedido ya puede calificarse. La otra empresa solo ve agregados de tres empresas o más, nunca quién "
        "calificó.",
    "Score each category from 1 (poor) to 5 (excellent); leave a category at “—” if it did not apply. The rated "
    "firm sees only the average of three firms or more, never your firm's name, scores or comment.":
        "Califique cada categoría del 1 (malo) al 5 (excelente); deje una categoría en “—” si no aplicó. La empresa "
        "calificada solo ve el promedio de tres empresas o más, nunca el nombre de su empresa, sus calificaciones "
        "ni su comentario.",
    "Read only by your association's board, never by the rated firm.":
        "Solo lo lee el consejo de su asociación, nunca la empresa calificada.",
    "Ratings received": "Calificaciones recibidas",
    "Firms that traded with yours rate it after an order. You see only the aggregates of each category rated by "
    "at least 3 firms, with the cluster's median beside them; never who rated, a single rating or a comment.":
        "Las empresas que comerciaron con la suya la califican después de un pedido. Usted solo ve los agregados de "
        "cada categoría calificada por al menos 3 empresas, con la mediana del clúster al lado; nunca quién "
        "calificó, una calificación individual ni un comentario.",
    "Publish an answer": "Publicar una respuesta",
    "Shown beside your ratings to every firm that reads them.":
        "Se muestra junto a sus calificaciones a toda empresa que las lea.",
    "Publish": "Publicar",
    "Withdraw the answer": "Retirar la respuesta",
    "Your firm does not receive ratings.": "Su empresa no recibe calificaciones.",
    "Members' ratings": "Calificaciones de los socios",
    "Firms your members rated after an order or a purchase. Raters are never shown.":
        "Empresas que sus socios calificaron después de un pedido o una compra. Nunca se muestra quién calificó.",
    "Organization": "Organización",
    "Kind of rating": "Tipo de calificación",
    "Your members have not rated any firm yet.": "Sus socios aún no han calificado a ninguna empresa.",
    "Ratings given by your association's members only, with your association's median.":
        "Solo las calificaciones de los socios de su asociación, con la mediana de su asociación.",
    "Members' comments": "Comentarios de los socios",
    "Comments are shown once at least 3 member firms have rated.":
        "Los comentarios se muestran cuando al menos 3 empresas socias calificaron.",
    "This firm does not receive ratings.": "Esta empresa no recibe calificaciones.",
    "Ratings received by your firm": "Calificaciones recibidas por su empresa",
}


def register() -> None:
    extend("es", ES)
