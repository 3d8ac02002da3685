"""Spanish for fair meetings during and after the fair: video meetings, check-in, follow-ups, the
organizer's report and the scheduling options (registered with the rest by ``i18n_es.register``)."""
from __future__ import annotations

ES = {
    # scheduling options (issue 13.5)
    "Scheduling options": "Opciones de programación",
    "Fill minimum shortfalls with unmarked pairs": "Completar mínimos con parejas sin solicitud",
    "When a participant would get fewer meetings than their minimum, the scheduler may also seat pairs that "
    "nobody requested (never a pair either side said no to), only where that brings someone up to their "
    "minimum. Applies from the next schedule.":
        "Cuando un participante tendría menos citas que su mínimo, el programador también puede sentar parejas "
        "que nadie solicitó (nunca una pareja a la que alguna parte dijo que no), solo donde eso acerque a "
        "alguien a su mínimo. Se aplica desde la siguiente programación.",
    "Save options": "Guardar opciones",
    "Options saved; they apply from the next schedule.": "Opciones guardadas; se aplican desde la siguiente programación.",
    # video meetings
    "Video": "Video",
    "Video meetings": "Reuniones por video",
    "Video meeting: {url}": "Reunión por video: {url}",
    "Join the video meeting": "Entrar a la reunión por video",
    "I cannot travel: meet over video": "No puedo viajar: reunirnos por video",
    "Meet in person": "Reunirse en persona",
    "Make it a video meeting": "Convertir en reunión por video",
    "a {state} meeting cannot change how it is held": "una reunión {state} no puede cambiar de modalidad",
    "the organizer made this meeting virtual; ask the organizer to change it":
        "el organizador hizo virtual esta reunión; pida al organizador que la cambie",
    "someone else changed this meeting at the same moment; try again":
        "alguien más cambió esta reunión en el mismo momento; inténtelo de nuevo",
    # check-in
    "Check-in": "Registro de asistencia",
    "Check-in code": "Código de asistencia",
    "Check-in codes: the organizer or your counterpart scans one to mark the meeting held":
        "Códigos de asistencia: el organizador o su contraparte escanea uno para marcar la reunión como realizada",
    "The organizer or {name} scans it to mark the meeting held.":
        "El organizador o {name} lo escanea para marcar la reunión como realizada.",
    "Each meeting has a check-in code (also in the PDF): the organizer or your counterpart scans it to mark the "
    "meeting held.":
        "Cada reunión tiene un código de asistencia (también en el PDF): el organizador o su contraparte lo "
        "escanea para marcar la reunión como realizada.",
    "Meeting held": "Reunión realizada",
    "Recorded: {status}.": "Registrado: {status}.",
    "Already recorded: {status}.": "Ya estaba registrado: {status}.",
    "the meeting is already marked {state}": "la reunión ya está marcada como {state}",
    "choose held or no_show": "elija realizada o no se presentó",
    # follow-ups
    "Follow-ups": "Seguimiento",
    "How did these meetings go? Your answer stays with the association and helps rank makers.":
        "¿Cómo le fue en estas reuniones? Su respuesta queda en la asociación y ayuda a clasificar fabricantes.",
    "one week after the fair": "una semana después de la feria",
    "three months after the fair": "tres meses después de la feria",
    "Rating (1–5)": "Calificación (1–5)",
    "Next step": "Siguiente paso",
    "No next step": "Sin siguiente paso",
    "Negotiation started": "Negociación iniciada",
    "Sample": "Muestra",
    "Order": "Pedido",
    "None": "Ninguno",
    "Send answer": "Enviar respuesta",
    "Thank you: your answer is recorded.": "Gracias: su respuesta quedó registrada.",
    "Choose a rating from 1 to 5 and a next step.": "Elija una calificación de 1 a 5 y un siguiente paso.",
    "this follow-up is asked from {date}": "este seguimiento se pide a partir del {date}",
    "this follow-up was already answered": "este seguimiento ya fue respondido",
    "only the meeting's two sides answer its follow-up": "solo las dos partes de la reunión responden su seguimiento",
    "the meeting did not take place ({state}); there is nothing to follow up":
        "la reunión no se realizó ({state}); no hay nada que dar seguimiento",
    # the organizer's report
    "Fair report": "Informe de la feria",
    "By the makers' firm size. Requests are pairs either side marked must or would like; met are those the "
    "schedule seats.":
        "Por tamaño de empresa de los fabricantes. Las solicitudes son parejas que alguna parte marcó como "
        "imprescindible o deseable; atendidas, las que el programa sienta.",
    "Makers": "Fabricantes",
    "Requests": "Solicitudes",
    "Requests met": "Solicitudes atendidas",
    "Acceptance": "Aceptación",
    "Meetings": "Reuniones",
    "Held": "Realizadas",
    "No-shows": "Inasistencias",
    "Follow-up answers": "Respuestas de seguimiento",
    "Mean rating": "Calificación media",
    "All sizes": "Todos los tamaños",
    "Size unknown": "Tamaño desconocido",
    "Requests, meetings and attendance by firm size": "Solicitudes, reuniones y asistencia por tamaño de empresa",
    "Next steps after the fair by firm size": "Siguientes pasos después de la feria por tamaño de empresa",
    "Fill minimums": "Completar mínimos",
}
