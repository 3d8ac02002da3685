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
    "Sent to the buyer. Members' answers:": "Enviada al comprador. Respuestas de los miembros:",
    "Offer from {coordinator}": "Oferta de {coordinator}", "Total lead time": "Tiempo de entrega total",
    "Confirmation": "Confirmación", "Back to consortia": "Volver a consorcios",
}


def register() -> None:
    extend("es", ES)
