"""Spanish for the order pages and messages (registered once into the shared catalog), and the
sentences of the orders schemas' own rules (``forms.ERROR_MESSAGES``), so a refused form says
what is wrong beside its field in both languages."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # list and new order
    "Orders": "Pedidos",
    "{count} orders": "{count} pedidos",
    "Show": "Mostrar",
    "Delivery date": "Fecha de entrega",
    "Confirmed by both": "Confirmado por ambos",
    "Open disputes": "Disputas abiertas",
    "No orders yet. An order opens when a buyer accepts a quote, from a fair meeting's follow-up, or when a maker "
    "enters a deal made elsewhere.":
        "Aún no hay pedidos. Un pedido se abre cuando un comprador acepta una cotización, desde el seguimiento de una "
        "reunión de feria, o cuando un fabricante registra un trato hecho por fuera.",
    "From the fair meeting of {buyer} and {maker}.": "De la reunión de feria entre {buyer} y {maker}.",
    "Enter a deal made outside the platform; the buyer's users see the order and confirm its terms.":
        "Registre un trato hecho fuera de la plataforma; los usuarios del comprador ven el pedido y confirman sus "
        "condiciones.",
    "Placed on": "Fecha del pedido",
    "A buyer records an order by accepting a quote, or from a fair meeting's follow-up.":
        "Un comprador registra un pedido al aceptar una cotización, o desde el seguimiento de una reunión de feria.",
    "Order recorded: the other side is asked to confirm its terms.":
        "Pedido registrado: se pide a la otra parte que confirme sus condiciones.",
    # the order page
    "Agreed terms": "Condiciones acordadas",
    "Confirmed": "Confirmado",
    "Awaiting the other side": "En espera de la otra parte",
    "To confirm": "Por confirmar",
    "Confirmed by the buyer": "Confirmado por el comprador",
    "Confirmed by the maker": "Confirmado por el fabricante",
    "Not yet": "Todavía no",
    "Confirm these terms": "Confirmar estas condiciones",
    "Change the terms": "Cambiar las condiciones",
    "A change clears the other side's confirmation; once both confirmed, every change is kept below.":
        "Un cambio anula la confirmación de la otra parte; una vez que ambas confirmaron, cada cambio queda "
        "registrado abajo.",
    "Changes after agreement": "Cambios después del acuerdo",
    "Term": "Condición", "Was": "Antes", "Now": "Ahora", "By": "Por", "When": "Cuándo",
    "Milestones": "Hitos", "Planned": "Planeado", "Actual": "Real", "Days late": "Días de retraso",
    "Entered by": "Registrado por",
    "Record the milestone": "Registrar el hito",
    "Deliveries": "Entregas",
    "{done} of {quantity} pieces delivered, {rejected} rejected.":
        "{done} de {quantity} piezas entregadas, {rejected} rechazadas.",
    "Record the delivery": "Registrar la entrega",
    "Invoices and payments": "Facturas y pagos",
    "Invoice": "Factura",
    "Record a payment": "Registrar un pago",
    "No invoices yet.": "Aún no hay facturas.",
    "Record the invoice": "Registrar la factura",
    "raised by": "presentada por",
    "Claimed value": "Valor que se reclama",
    "No disputes.": "No hay disputas.",
    "Figure you dispute": "Dato que disputa",
    "What you say it is": "Lo que usted dice que es",
    "Dispute this figure": "Disputar este dato",
    "Close the order": "Cerrar el pedido",
    "Close: every delivery is in": "Cerrar: todas las entregas están hechas",
    "Cancel the order": "Cancelar el pedido",
    "Close the order once every delivery is in.": "Cierre el pedido cuando todas las entregas estén hechas.",
    # outcomes of the forms
    "This is already confirmed.": "Esto ya está confirmado.",
    "This figure is already disputed; answer or withdraw that dispute first.":
        "Este dato ya está en disputa; responda o retire primero esa disputa.",
    "This dispute was already answered or withdrawn.": "Esta disputa ya fue respondida o retirada.",
    "An order was already recorded for this fair meeting.": "Ya se registró un pedido para esta reunión de feria.",
    "Someone changed this order at the same moment; here is what it says now.":
        "Alguien cambió este pedido en el mismo momento; esto es lo que dice ahora.",
    "Terms changed: the other side is asked to confirm them.":
        "Condiciones cambiadas: se pide a la otra parte que las confirme.",
    "You confirmed the terms.": "Usted confirmó las condiciones.",
    "Order closed.": "Pedido cerrado.",
    "Order cancelled.": "Pedido cancelado.",
    "Choose a production stage.": "Elija una etapa de producción.",
    "Milestone recorded: the other side is asked to confirm it.":
        "Hito registrado: se pide a la otra parte que lo confirme.",
    "Delivery recorded: the other side is asked to confirm it.":
        "Entrega registrada: se pide a la otra parte que la confirme.",
    "Invoice recorded: the buyer is asked to confirm it.": "Factura registrada: se pide al comprador que la confirme.",
    "Payment recorded: the other side is asked to confirm it.":
        "Pago registrado: se pide a la otra parte que lo confirme.",
    "Figure confirmed.": "Dato confirmado.",
    "Choose the figure you dispute.": "Elija el dato que disputa.",
    "Dispute sent: the other side is asked to answer it.": "Disputa enviada: se pide a la otra parte que la responda.",
    "Answer sent.": "Respuesta enviada.",
    "Dispute withdrawn.": "Disputa retirada.",
    # labels (orders.labels)
    "Sample approved": "Muestra aprobada", "Fabric in": "Tela recibida", "Cut": "Corte", "Sewn": "Costura",
    "Washed": "Lavado", "Finished": "Terminado", "Shipped": "Enviado", "Delivered": "Entregado",
    "Open": "Abierto", "Closed": "Cerrado",
    "Accepted quote": "Cotización aceptada", "Fair meeting": "Reunión de feria",
    "Entered by the maker": "Registrado por el fabricante",
    "Order terms": "Condiciones del pedido", "Milestone": "Hito", "Delivery": "Entrega", "Payment": "Pago",
    "Answered": "Respondida", "Withdrawn": "Retirada",
    "Purchase order number": "Número de orden de compra", "Product": "Producto",
    "Deposit share (0 to 1)": "Proporción de anticipo (0 a 1)", "Payment terms (days)": "Plazo de pago (días)",
    "Reject limit (%)": "Límite de rechazos (%)", "Fabric supplied by": "Tela a cargo de",
    "Trims supplied by": "Avíos a cargo de", "Delivered on": "Entregado el", "Pieces rejected": "Piezas rechazadas",
    "Invoice number": "Número de factura", "Issued on": "Emitida el", "Due on": "Vence el",
    "Deposit invoice": "Factura de anticipo", "Paid on": "Pagado el", "Version": "Versión",
    # refusals (orders.services, figures, disputes)
    "There is no order {id} for your firm.": "No hay un pedido {id} de su empresa.",
    "For the order's terms, subject_id is the order's id.":
        "Para las condiciones del pedido, subject_id es el id del pedido.",
    "There is no dispute {id} on this order.": "No hay una disputa {id} en este pedido.",
    "The other side answers this dispute.": "La otra parte responde esta disputa.",
    "Only the side that raised a dispute withdraws it.": "Solo la parte que presentó una disputa puede retirarla.",
    "Only the maker issues invoices.": "Solo el fabricante emite facturas.",
    "This order already has an invoice {number}.": "Este pedido ya tiene una factura {number}.",
    "There is no invoice {id} on this order.": "No hay una factura {id} en este pedido.",
    "There is no {kind} {id} on this order.": "No hay {kind} {id} en este pedido.",
    "There is no fair meeting {id} of your firm.": "No hay una reunión de feria {id} de su empresa.",
    "Only the maker enters an order made elsewhere.": "Solo el fabricante registra un pedido hecho por fuera.",
    "There is no requirement {id} of this buyer.": "No hay un requerimiento {id} de este comprador.",
    "There is no buyer {id}.": "No hay un comprador {id}.",
    "Your account is not attached to a maker firm.": "Su cuenta no está vinculada a una empresa fabricante.",
    "Change at least one term.": "Cambie al menos una condición.",
    "More pieces were delivered already ({delivered}).": "Ya se entregaron más piezas ({delivered}).",
    "Close the order once every delivery is in: {done} of {quantity} pieces so far.":
        "Cierre el pedido cuando todas las entregas estén hechas: {done} de {quantity} piezas hasta ahora.",
    "Pieces were delivered already: close the order instead of cancelling it.":
        "Ya se entregaron piezas: cierre el pedido en lugar de cancelarlo.",
    "That is more than twice the order's {quantity} pieces ({done} delivered so far).":
        "Eso es más del doble de las {quantity} piezas del pedido ({done} entregadas hasta ahora).",
    "The payments would exceed the invoice: {left} is left to pay.":
        "Los pagos superarían la factura: quedan {left} por pagar.",
    "This meeting's follow-up did not name an order; answer the follow-up first.":
        "El seguimiento de esta reunión no mencionó un pedido; responda primero el seguimiento.",
    "This order is {state}: it takes no more changes.": "Este pedido está {state}: no admite más cambios.",
    "Your side entered this figure: change it instead of disputing it.":
        "Su parte registró este dato: cámbielo en lugar de disputarlo.",
    "Your side entered this figure: the other side confirms it.":
        "Su parte registró este dato: la otra parte lo confirma.",
    # the schemas' own rules
    "Choose the buyer, or the fair meeting the order came from.":
        "Elija el comprador, o la reunión de feria de la que viene el pedido.",
    "Give the planned date, the actual date or both.": "Indique la fecha planeada, la real o ambas.",
    "More pieces rejected than delivered.": "Más piezas rechazadas que entregadas.",
    "Choose a figure of this row.": "Elija un dato de esta fila.",
    # the fair follow-up's offer
    "Record this order": "Registrar este pedido",
}

RULES = {  # orders.schemas rule codes -> sentence (forms.ERROR_MESSAGES)
    "order_origin": ("Choose the buyer, or the fair meeting the order came from.", None),
    "milestone_empty": ("Give the planned date, the actual date or both.", None),
    "rejects_over_quantity": ("More pieces rejected than delivered.", None),
    "dispute_field": ("Choose a figure of this row.", None),
}

_done = False


def register() -> None:
    global _done
    if _done:
        return
    from ..forms import ERROR_MESSAGES

    extend("es", ES)
    for code, entry in RULES.items():
        ERROR_MESSAGES.setdefault(code, entry)
    _done = True
