"""Spanish for the consortia pages and messages (registered once into the shared catalog)."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # reasons
    "{maker} fits this requirement best of all candidates for the stage (fit {fit}).":
        "{maker} es quien mejor se ajusta al requerimiento entre los candidatos de la etapa (ajuste {fit}).",
    "{maker} takes {units} units with {spare} spare.": "{maker} toma {units} unidades con {spare} disponibles.",
    "{maker} is the fastest candidate ({days} days).": "{maker} es el candidato más rápido ({days} días).",
    "{maker} has the best delivery record among the candidates.":
        "{maker} tiene el mejor historial de entregas entre los candidatos.",
    "{maker} is a small firm and takes {units} units of the small-firm share.":
        "{maker} es una empresa pequeña y toma {units} unidades de la cuota para empresas pequeñas.",
    "You locked this stage.": "Usted fijó esta etapa.",
    "The {volume} units are split between {makers} makers.": "Las {volume} unidades se reparten entre {makers} fabricantes.",
    "{maker} fits less well ({fit} against {chosen_fit}).": "{maker} se ajusta menos ({fit} contra {chosen_fit}).",
    "{maker} has only {spare} units spare for {volume}.": "{maker} solo tiene {spare} unidades disponibles para {volume}.",
    "{maker} needs {days} days against {chosen_days}.": "{maker} necesita {days} días contra {chosen_days}.",
    "{maker} has a weaker delivery record.": "{maker} tiene un historial de entregas más débil.",
    "{maker} belongs to a firm already in this stage.": "{maker} pertenece a una empresa que ya está en esta etapa.",
    "{maker} is as good on this stage; the team as a whole does better without it (transport, time or cohesion).":
        "{maker} es igual de bueno en esta etapa; el equipo en conjunto rinde más sin él (transporte, tiempo o cohesión).",
    "No other maker offers this stage.": "Ningún otro fabricante ofrece esta etapa.",
    # terms and shortfalls
    "Fit": "Ajuste", "Risk": "Riesgo", "Cost": "Costo", "Lead time": "Tiempo de entrega", "Cohesion": "Cohesión",
    "Small-firm share": "Cuota de empresas pequeñas",
    "No maker offers this stage.": "Ningún fabricante ofrece esta etapa.",
    "The makers who offer this stage lack the capacity for the whole quantity.":
        "Los fabricantes que ofrecen esta etapa no tienen capacidad para toda la cantidad.",
    "Minimum orders or locks leave no way to split this stage.":
        "Los pedidos mínimos o las etapas fijadas no dejan cómo repartir esta etapa.",
    # errors
    "The proposal changed meanwhile; reload it.": "La propuesta cambió mientras tanto; vuelva a cargarla.",
    "{stage} is not a stage of this requirement.": "{stage} no es una etapa de este requerimiento.",
    "Lock makers of a proposed team.": "Fije fabricantes de un equipo propuesto.",
    "Pick one of the proposed teams.": "Elija uno de los equipos propuestos.",
    "Between 1 and {most} units.": "Entre 1 y {most} unidades.",
    "The offer was sent; it can no longer be re-optimised.": "La oferta se envió; ya no puede reoptimizarse.",
    "The proposal was changed or sent meanwhile.": "La propuesta se cambió o se envió mientras tanto.",
    "This part was already answered.": "Esta parte ya fue respondida.",
    "No such {what}.": "No existe ese elemento ({what}).",
    "requirement": "requerimiento", "proposal": "propuesta", "offer": "oferta", "part": "parte", "job": "tarea",
    "Only a coordinator firm builds consortia.": "Solo una empresa coordinadora arma consorcios.",
    "This requirement has fewer than two stages; a single maker serves it.":
        "Este requerimiento tiene menos de dos etapas; lo atiende un solo fabricante.",
    "The form expired; try again.": "El formulario expiró; inténtelo de nuevo.",
    "Pick a stage of a proposed team.": "Elija una etapa de un equipo propuesto.",
    "The offer was sent to the buyer; each member is asked to confirm its part.":
        "La oferta se envió al comprador; se pide a cada miembro que confirme su parte.",
    "Units must be a whole number.": "Las unidades deben ser un número entero.",
    "Your answer was recorded.": "Su respuesta quedó registrada.",
    # chart
    "Stage plan": "Plan por etapas", "days {start}–{end}": "días {start}–{end}",
    "lead time asked: {days} days": "tiempo de entrega pedido: {days} días",
    # forms and pages
    "Units you can take": "Unidades que puede tomar", "Decline this part": "Rechazar esta parte",
    "Consortia": "Consorcios", "Full-package teams": "Equipos de paquete completo",
    "Requirements to serve as a team": "Requerimientos para atender en equipo",
    "Stages": "Etapas", "Quantity": "Cantidad", "Proposal": "Propuesta", "Build teams": "Armar equipos",
    "Open proposal": "Abrir propuesta", "Draft": "Borrador", "Sent": "Enviada",
    "No open requirement with two stages or more is visible to you.":
        "No ve ningún requerimiento abierto con dos etapas o más.",
    "Parts you are asked to take": "Partes que se le pide tomar", "Stage": "Etapa", "Units": "Unidades",
    "Coordinator": "Coordinador", "Requirement": "Requerimiento", "Status": "Estado", "Answer": "Respuesta",
    "Confirm": "Confirmar", "asked": "pendiente", "confirmed": "confirmada", "declined": "rechazada",
    "No part has been asked of you.": "No se le ha pedido ninguna parte.",
    "Consortium for {title}": "Consorcio para {title}",
    "Optimising… this page refreshes by itself.": "Optimizando… esta página se actualiza sola.",
    "The optimizer failed: {message}": "El optimizador falló: {message}",
    "No team can serve this requirement:": "Ningún equipo puede atender este requerimiento:",
    "A single maker could serve this requirement alone; a team is still proposed.":
        "Un solo fabricante podría atender este requerimiento; aun así se propone un equipo.",
    "Team {n}": "Equipo {n}", "Objective": "Objetivo", "Bound": "Cota", "Gap": "Brecha",
    "optimal": "óptimo", "feasible": "factible", "{days} days in all": "{days} días en total",
    "Maker": "Fabricante", "Fit percentile": "Percentil de ajuste", "Days": "Días",
    "Why these makers": "Por qué estos fabricantes", "Runner-up": "Segundo lugar",
    "Lock stage": "Fijar etapa", "Unlock stage": "Liberar etapa", "locked": "fijada",
    "Send this team as the offer": "Enviar este equipo como oferta",
    "Objective terms": "Términos del objetivo",
    "Greedy baseline (best-ranked available maker per stage)":
        "Referencia voraz (el fabricante disponible mejor clasificado por etapa)",
    "Solved in {seconds} s.": "Resuelto en {seconds} s.",
    "Offer from {coordinator}": "Oferta de {coordinator}", "Total lead time": "Tiempo de entrega total",
    "Confirmation": "Confirmación", "Back to consortia": "Volver a consorcios",
    # finishing issue 16: the offer as a quote, cost, cohesion, small-firm share, subcontracting
    "{maker} is the cheapest candidate for this stage.": "{maker} es el candidato más barato para esta etapa.",
    "{maker} has worked well with {partner} in an earlier consortium of yours.":
        "{maker} ya trabajó bien con {partner} en un consorcio suyo anterior.",
    "{maker} costs more per piece.": "{maker} cuesta más por pieza.",
    "Fit: how well each maker suits this requirement for its stage (the ranking's score, as a percentile among "
    "the stage's candidates), weighted by the share of the stage it takes.":
        "Ajuste: qué tan bien se adecua cada fabricante a este requerimiento en su etapa (la puntuación de la "
        "clasificación, como percentil entre los candidatos de la etapa), ponderado por la parte de la etapa que toma.",
    "Lead time: days along the stage sequence, each stage as long as its slowest maker, plus transport between "
    "the sites of consecutive stages (by distance); days past the buyer's lead time cost more.":
        "Tiempo de entrega: días a lo largo de la secuencia de etapas, cada etapa tan larga como su fabricante más "
        "lento, más el transporte entre los sitios de etapas consecutivas (por distancia); los días después del "
        "plazo del comprador cuestan más.",
    "Cost: each member's price per piece for its stage: the price it gave you when it confirmed an earlier part, "
    "else its public price band shared over the processes it offers; a maker with neither counts at the stage's "
    "median.":
        "Costo: el precio por pieza de cada miembro para su etapa: el que le dio al confirmar una parte anterior o, "
        "si no, su rango de precios público repartido entre los procesos que ofrece; un fabricante sin ninguno "
        "cuenta con la mediana de la etapa.",
    "Risk: one minus the on-time share of each maker's delivered orders, drawn towards the cluster's average for "
    "makers with few orders.":
        "Riesgo: uno menos la proporción de pedidos entregados a tiempo de cada fabricante, acercada al promedio "
        "del clúster para fabricantes con pocos pedidos.",
    "Cohesion: a bonus for pairs of firms that confirmed their parts of the same consortium of yours before (one "
    "consortium together 0.5, two 0.75, …).":
        "Cohesión: una bonificación para los pares de empresas que ya confirmaron sus partes de un mismo consorcio "
        "suyo (un consorcio juntos 0.5, dos 0.75, …).",
    "Small-firm share: the share of the volume you state for micro and small firms; every unit short of it costs "
    "the team.":
        "Cuota de empresas pequeñas: la parte del volumen que usted fija para micro y pequeñas empresas; cada "
        "unidad que falte le cuesta al equipo.",
    "How teams are scored": "Cómo se califican los equipos",
    "The buyer's rule on subcontracting": "La regla del comprador sobre la subcontratación",
    "Sent to the buyer as one quote. Members' answers:":
        "Enviada al comprador como una sola cotización. Respuestas de los miembros:",
    "price per piece": "precio por pieza",
    "The quote in the inquiry with the buyer": "La cotización en la consulta con el comprador",
    "Stated share for small firms (%)": "Cuota fijada para empresas pequeñas (%)",
    "Set the share and re-optimise": "Fijar la cuota y reoptimizar",
    "Price per piece": "Precio por pieza", "Notes to the buyer": "Notas para el comprador",
    "Show the buyer each stage's price (else only the consortium's total)":
        "Mostrar al comprador el precio de cada etapa (si no, solo el total del consorcio)",
    "Show the buyer each stage's price": "Mostrar al comprador el precio de cada etapa",
    "cost {cost} USD per piece": "costo {cost} USD por pieza",
    "Your price per piece for this part (USD)": "Su precio por pieza para esta parte (USD)",
    "Consortium offer from {coordinator}: stage plan": "Oferta en consorcio de {coordinator}: plan por etapas",
    "One quote for the whole order; the members below each do one stage.":
        "Una sola cotización para todo el pedido; cada miembro de abajo hace una etapa.",
    "Consortium: stage plan inside": "Consorcio: con plan por etapas",
    "See it in your inquiries": "Verla en sus consultas", "Quote": "Cotización",
    "The offer was sent to the buyer as one quote; each member is asked to confirm its part.":
        "La oferta se envió al comprador como una sola cotización; se pide a cada miembro que confirme su parte.",
    "Enter a number.": "Escriba un número.",
    "A share between 0 and 100 %.": "Una cuota entre 0 y 100 %.",
    "A price per piece above 0 and up to 100,000.": "Un precio por pieza mayor que 0 y de hasta 100,000.",
    "Choose one of the listed currencies.": "Elija una de las monedas de la lista.",
    "Enter a date as YYYY-MM-DD, today or later.": "Escriba una fecha AAAA-MM-DD, de hoy o posterior.",
    "At most 4,000 characters.": "A lo sumo 4,000 caracteres.",
    "Check this value.": "Revise este valor.",
    "The buyer forbids subcontracting: only a team of one firm can be sent.":
        "El comprador prohíbe la subcontratación: solo puede enviarse un equipo de una sola empresa.",
    "Give the consortium's price per piece: no member's cost is known.":
        "Indique el precio por pieza del consorcio: no se conoce el costo de ningún miembro.",
    "You declined this buyer's inquiry on the requirement; it takes no offer.":
        "Usted rechazó la consulta de este comprador sobre el requerimiento; no admite ofertas.",
    "Subcontracting": "Subcontratación",
    "Whether the order may be split among several firms (a consortium).":
        "Si el pedido puede repartirse entre varias empresas (un consorcio).",
}


def register() -> None:
    extend("es", ES)
