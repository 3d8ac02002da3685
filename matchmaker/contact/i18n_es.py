"""Spanish for the contact pages and messages (added to the shared catalog with ``i18n.extend``)."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # nav and lists
    "Shortlists": "Preselecciones",
    "Shortlist": "Preselección",
    "Inquiries": "Consultas",
    "Inquiry": "Consulta",
    "Inquiry inbox": "Bandeja de consultas",
    "Sent inquiries": "Consultas enviadas",
    "{count} inquiries": "{count} consultas",
    "No inquiries yet.": "Aún no hay consultas.",
    "Last activity": "Última actividad",
    "Maker": "Fabricante",
    "Makers": "Fabricantes",
    "Quotes": "Cotizaciones",
    "Compare quotes": "Comparar cotizaciones",
    "No shortlists yet.": "Aún no hay preselecciones.",
    "Add makers from search, the ranked list or a profile; each requirement keeps its own shortlist.":
        "Agregue fabricantes desde la búsqueda, la lista clasificada o un perfil; cada requerimiento tiene su "
        "propia preselección.",
    # the add button and form
    "Add to shortlist": "Agregar a la preselección",
    "For requirement": "Para el requerimiento",
    "Maker (id)": "Fabricante (id)",
    "Choose the requirement this maker is for.": "Elija el requerimiento para el que es este fabricante.",
    "This maker is already on the shortlist.": "Este fabricante ya está en la preselección.",
    "Added to the shortlist of \u201c{title}\u201d.": "Agregado a la preselección de \u201c{title}\u201d.",
    "Removed from the shortlist.": "Quitado de la preselección.",
    # comparison
    "No makers on this shortlist yet. Add them from search, the ranked list of this requirement or a maker's profile.":
        "Aún no hay fabricantes en esta preselección. Agréguelos desde la búsqueda, la lista clasificada de este "
        "requerimiento o el perfil de un fabricante.",
    "Side by side": "Lado a lado",
    "Added from": "Agregado desde",
    "Search results": "Resultados de búsqueda",
    "Ranked list": "Lista clasificada",
    "Profile": "Perfil",
    "API": "API",
    "Valid certificates": "Certificados vigentes",
    "Distance (km)": "Distancia (km)",
    "Orders recorded": "Pedidos registrados",
    "repeat": "recurrentes",
    "Delivered on time": "Entregas a tiempo",
    "No history yet": "Aún sin historial",
    "Disputes": "Disputas",
    "Sent": "Enviada",
    "Remove": "Quitar",
    # sending
    "Send this requirement to makers": "Enviar este requerimiento a fabricantes",
    "You may send {limit} inquiries a day.": "Puede enviar {limit} consultas al día.",
    "Every maker on this shortlist already has this requirement.":
        "Todos los fabricantes de esta preselección ya tienen este requerimiento.",
    "Message to the makers": "Mensaje para los fabricantes",
    "Send inquiry": "Enviar consulta",
    "Choose at least one maker.": "Elija al menos un fabricante.",
    "Choose each maker only once.": "Elija cada fabricante una sola vez.",
    "Inquiry sent to {count} makers.": "Consulta enviada a {count} fabricantes.",
    "Someone sent this requirement to one of these makers at the same moment.":
        "Alguien envió este requerimiento a uno de estos fabricantes en el mismo momento.",
    # service refusals
    "There is no maker {id}.": "No existe el fabricante {id}.",
    "You have no requirement {id}.": "Usted no tiene el requerimiento {id}.",
    "Maker {id} is not on this shortlist.": "El fabricante {id} no está en esta preselección.",
    "Your firm's vetting case is under review: you can contact makers once the board approves it.":
        "El caso de evaluación de su empresa está en revisión: podrá contactar fabricantes cuando el consejo lo "
        "apruebe.",
    "Your firm has not been vetted by an association yet: apply for vetting before contacting makers.":
        "Su empresa aún no ha sido evaluada por una asociación: solicite la evaluación antes de contactar "
        "fabricantes.",
    "The association's board decided \u201c{outcome}\u201d about your firm: only cleared buyers may contact makers.":
        "El consejo de la asociación decidió \u201c{outcome}\u201d sobre su empresa: solo los compradores aprobados "
        "pueden contactar fabricantes.",
    "You may send {limit} inquiries a day; {left} are left today.":
        "Puede enviar {limit} consultas al día; hoy le quedan {left}.",
    "Open the requirement before sending it to makers: makers see only open requirements.":
        "Abra el requerimiento antes de enviarlo: los fabricantes solo ven requerimientos abiertos.",
    "This requirement was already sent to {names}.": "Este requerimiento ya se envió a {names}.",
    "There is no inquiry {id} for your firm.": "No existe la consulta {id} para su empresa.",
    "Only the maker the inquiry was sent to may answer it.":
        "Solo el fabricante al que se envió la consulta puede responderla.",
    "Choose a reason for declining.": "Elija una razón para rechazar.",
    "Only the maker the inquiry was sent to may quote.": "Solo el fabricante al que se envió la consulta puede cotizar.",
    "Only the buyer who sent the inquiry records its progress.":
        "Solo el comprador que envió la consulta registra su avance.",
    "Request a sample before approving it.": "Solicite una muestra antes de aprobarla.",
    "The maker has not accepted this inquiry yet.": "El fabricante aún no acepta esta consulta.",
    # the inquiry page
    "Awaiting answer": "En espera de respuesta",
    "Accepted": "Aceptada",
    "Declined": "Rechazada",
    "Reason for declining": "Razón del rechazo",
    "Your answer": "Su respuesta",
    "Reason (when declining)": "Razón (si rechaza)",
    "Note to the buyer (optional)": "Nota para el comprador (opcional)",
    "Accept": "Aceptar",
    "Decline": "Rechazar",
    "Inquiry accepted.": "Consulta aceptada.",
    "Inquiry declined.": "Consulta rechazada.",
    "No quotes yet.": "Aún no hay cotizaciones.",
    "Unit price": "Precio unitario",
    "Lead time (days)": "Plazo de entrega (días)",
    "Notes": "Notas",
    "Send quote": "Enviar cotización",
    "Quote sent.": "Cotización enviada.",
    "The validity date must be today or later.": "La fecha de vigencia debe ser hoy o posterior.",
    "Progress": "Avance",
    "Sample requested": "Muestra solicitada",
    "Sample approved": "Muestra aprobada",
    "Order placed": "Pedido realizado",
    "Request a sample": "Solicitar una muestra",
    "Approve the sample": "Aprobar la muestra",
    "Record the order": "Registrar el pedido",
    "Recorded: {what}.": "Registrado: {what}.",
    "This inquiry has already been answered.": "Esta consulta ya fue respondida.",
    "You declined this inquiry; it takes no quote.": "Usted rechazó esta consulta; no admite cotización.",
    "The maker declined this inquiry.": "El fabricante rechazó esta consulta.",
    "This step is already recorded.": "Este paso ya está registrado.",
    "Someone changed this inquiry at the same moment; here is what it says now.":
        "Alguien cambió esta consulta en el mismo momento; así quedó.",
    "Conversation": "Conversación",
    "Read": "Leído",
    "Not read yet": "Aún no leído",
    "No messages yet.": "Aún no hay mensajes.",
    "Your message": "Su mensaje",
    "Send message": "Enviar mensaje",
    # quote comparison
    "Latest quote of each maker; you asked for {quantity} units within {days} days.":
        "Última cotización de cada fabricante; usted pidió {quantity} piezas en {days} días.",
    "later than asked": "después de lo pedido",
    "above your quantity": "mayor que su cantidad",
    # notifications (the list, and the emails in the recipient's language)
    "Notifications": "Notificaciones",
    "Mark all as read": "Marcar todo como leído",
    "New": "Nuevo",
    "No notifications yet.": "Aún no hay notificaciones.",
    "New inquiry from {buyer}: {title}": "Nueva consulta de {buyer}: {title}",
    "{maker} answered your inquiry: {title}": "{maker} respondió su consulta: {title}",
    "New quote from {maker}: {title}": "Nueva cotización de {maker}: {title}",
    "New message about {title}": "Nuevo mensaje sobre {title}",
    "{headline}\n\n{link}\n\n-- Matchmaker": "{headline}\n\n{link}\n\n-- Matchmaker",
    # notifications of every kind (contact.kinds), their names on the preference page
    "{maker} accepted your inquiry: {title}": "{maker} aceptó su consulta: {title}",
    "{maker} declined your inquiry: {title}": "{maker} rechazó su consulta: {title}",
    "{buyer} asked you for a sample: {title}": "{buyer} le pidió una muestra: {title}",
    "The board of {association} decided \u201c{outcome}\u201d about {subject}":
        "El consejo de {association} decidió \u201c{outcome}\u201d sobre {subject}",
    "{subject} replied to an incident report": "{subject} respondió a un reporte de incidente",
    "Your preliminary agenda for {fair} is published": "Se publicó su agenda preliminar de {fair}",
    "Your final agenda for {fair} is published": "Se publicó su agenda final de {fair}",
    "Your agenda for {fair} changed: {count} meetings moved, added or removed":
        "Su agenda de {fair} cambió: {count} reuniones movidas, agregadas o quitadas",
    "New open requirement that fits your firm: {title}": "Nuevo requerimiento abierto a la medida de su empresa: {title}",
    "New inquiry": "Nueva consulta",
    "Inquiry accepted": "Consulta aceptada",
    "Inquiry declined": "Consulta rechazada",
    "Inquiry answered": "Consulta respondida",
    "New quote": "Nueva cotización",
    "New message": "Nuevo mensaje",
    "Vetting decision": "Decisión de evaluación",
    "Reply to an incident": "Respuesta a un incidente",
    "Preliminary agenda": "Agenda preliminar",
    "Final agenda": "Agenda final",
    "Agenda changed": "Agenda modificada",
    "New requirements that fit you": "Nuevos requerimientos a su medida",
    "Email immediately": "Correo de inmediato",
    "Daily digest email": "Resumen diario por correo",
    "No email": "Sin correo",
    "Your Matchmaker digest: {count} notifications": "Su resumen de Matchmaker: {count} notificaciones",
    "What happened since your last digest:": "Lo que pasó desde su último resumen:",
    "Choose which emails you get: {link}": "Elija qué correos recibe: {link}",
    # preferences and the outbox pages
    "Email preferences": "Preferencias de correo",
    "Every notification appears here in the app; choose for each kind whether it is also emailed at once, "
    "gathered in one daily digest email, or not emailed.":
        "Cada notificación aparece aquí en la aplicación; elija para cada tipo si además se envía por correo de "
        "inmediato, se reúne en un resumen diario o no se envía.",
    "Your role gets no notifications.": "Su rol no recibe notificaciones.",
    "Choose how to be emailed.": "Elija cómo recibir el correo.",
    "Your notification preferences are saved.": "Sus preferencias de notificación quedaron guardadas.",
    "Unknown kind of notification for your role; choose one of: {kinds}.":
        "Tipo de notificación desconocido para su rol; elija uno de: {kinds}.",
    "This notification can only be emailed as: {modes}.": "Esta notificación solo se envía como: {modes}.",
    "Sent mail": "Correo enviado",
    "The latest 200 emails of the outbox: the worker (flask notify send) delivers them over SMTP; nothing is sent "
    "inside a web request.":
        "Los últimos 200 correos de la bandeja de salida: el proceso de envío (flask notify send) los entrega por "
        "SMTP; nada se envía dentro de una petición web.",
    "To": "Para",
    "Email subject": "Asunto",
    "Queued": "En cola",
    "Attempts": "Intentos",
    "Given up": "Abandonado",
    "Delivered": "Entregado",
    "No emails yet.": "Aún no hay correos.",
    # orders (issue 15): notices and the accept-quote action
    "New order": "Nuevo pedido",
    "{by} recorded an order with you: {order}": "{by} registró un pedido con ustedes: {order}",
    "Order terms changed": "Condiciones del pedido modificadas",
    "{by} changed the terms of {order}: please confirm them": "{by} cambió las condiciones de {order}: confírmelas, por favor",
    "Order figure to confirm": "Dato del pedido por confirmar",
    "{by} recorded a figure on {order}: please confirm it": "{by} registró un dato en {order}: confírmelo, por favor",
    "Order figure disputed": "Dato del pedido disputado",
    "{by} disputed a figure of {order}": "{by} disputó un dato de {order}",
    "Order dispute answered": "Disputa del pedido respondida",
    "{by} answered your dispute on {order}": "{by} respondió a su disputa sobre {order}",
    "Order closed": "Pedido cerrado",
    "{by} closed {order}": "{by} cerró {order}",
    "Accept this quote": "Aceptar esta cotización",
    "Quote accepted: the order is open.": "Cotización aceptada: el pedido está abierto.",
    "View the order": "Ver el pedido",
    "Only the buyer who sent the inquiry accepts a quote.": "Solo el comprador que envió la consulta acepta una cotización.",
    "There is no quote {id} on this inquiry.": "No hay cotización {id} en esta consulta.",
    "This quote expired on {date}; ask the maker for a new one.":
        "Esta cotización venció el {date}; pida una nueva al fabricante.",
    "An order was already placed on this inquiry.": "Ya se hizo un pedido sobre esta consulta.",
}


def register() -> None:
    extend("es", ES)
