"""Spanish for the input-vendor pages, forms and messages (registered once into the shared catalog)."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # pages
    "Input vendors": "Proveedores de insumos",
    "Edit vendor profile": "Editar perfil de proveedor",
    "Vendor profile": "Perfil de proveedor",
    "What this vendor offers": "Lo que ofrece este proveedor",
    "What you supply": "Lo que suministra",
    "Denim weights (oz)": "Pesos de mezclilla (oz)",
    "Denim finishes": "Acabados de mezclilla",
    "Trims": "Avíos",
    "Machine brands serviced": "Marcas de maquinaria que atiende",
    "Minimum lot": "Lote mínimo",
    "Unit of the minimum lot": "Unidad del lote mínimo",
    "Delivery time (days)": "Tiempo de entrega (días)",
    "Repair response (days)": "Respuesta a reparaciones (días)",
    "Credit terms offered (days)": "Plazo de crédito ofrecido (días)",
    "Lightest denim (oz)": "Mezclilla más ligera (oz)",
    "Heaviest denim (oz)": "Mezclilla más pesada (oz)",
    "This vendor has not filled in its profile yet.": "Este proveedor aún no ha llenado su perfil.",
    "Members' purchases": "Compras de los socios",
    "Purchases on record": "Compras registradas",
    "{count} member firms": "{count} empresas socias",
    "Lots on time": "Lotes a tiempo",
    "Average days late": "Días de retraso en promedio",
    "Quality against the sample": "Calidad frente a la muestra",
    "Warranty claims honoured": "Reclamos de garantía atendidos",
    "Figures appear once at least two member firms have recorded purchases ({count} so far).":
        "Las cifras aparecen cuando al menos dos empresas socias han registrado compras ({count} hasta ahora).",
    "Counts only: who bought and who reported is seen by the association's board alone.":
        "Solo conteos: quién compró y quién reportó lo ve únicamente el consejo de la asociación.",
    "Record a purchase": "Registrar una compra",
    "Purchases with reporters (board)": "Compras con quién las reportó (consejo)",
    "Your firm's purchases from this vendor": "Compras de su empresa a este proveedor",
    "Your firm's purchases from vendors": "Compras de su empresa a proveedores",
    "Purchases from vendors": "Compras a proveedores",
    "Board only: members and the vendor see counts, never these rows.":
        "Solo el consejo: los socios y el proveedor ven conteos, nunca estas filas.",
    "Member firm": "Empresa socia",
    "Vendor": "Proveedor",
    "What was bought": "Qué se compró",
    "Purchased on": "Fecha de compra",
    "Promised delivery": "Entrega prometida",
    "Delivered on": "Fecha de entrega",
    "Warranty honoured": "Garantía atendida",
    "A warranty claim was made": "Se hizo un reclamo de garantía",
    "Amount": "Monto",
    "Note (board only)": "Nota (solo el consejo)",
    "Claim pending": "Reclamo pendiente",
    "Yes": "Sí",
    "No": "No",
    "Denim and trims": "Mezclilla y avíos",
    "Machinery": "Maquinaria",
    "Terms offered": "Condiciones ofrecidas",
    "Separate brands with commas, e.g. Juki, Brother": "Separe las marcas con comas, p. ej. Juki, Brother",
    "e.g. metres, pieces, machines": "p. ej. metros, piezas, máquinas",
    "Purchase records": "Registros de compra",
    "Purchasing firms": "Empresas compradoras",
    "Vendors": "Proveedores",
    "Supplies (input vendors)": "Suministra (proveedores de insumos)",
    "Vetted only": "Solo evaluados",
    "Standing": "Situación",
    "Your vendor page": "Su página de proveedor",
    "Members of the cluster's associations find vetted vendors in the directory. Fill in what you supply "
    "and apply for vetting.":
        "Los socios de las asociaciones del clúster encuentran a los proveedores evaluados en el directorio. "
        "Indique lo que suministra y solicite la evaluación.",
    "Open an account as": "Abrir una cuenta como",
    "Buying firm": "Empresa compradora",
    "Input vendor (fabric, trims, machinery)": "Proveedor de insumos (tela, avíos, maquinaria)",
    "Input vendors of the cluster (fabric, trims, machinery) open their account here too and apply for vetting "
    "the same way.": "Los proveedores de insumos del clúster (tela, avíos, maquinaria) también abren aquí su "
                     "cuenta y solicitan la evaluación de la misma forma.",
    "Buyer type (buying firms)": "Tipo de comprador (empresas compradoras)",
    # messages
    "your firm recorded a purchase from this firm": "su empresa registró una compra a esta empresa",
    "Saved.": "Guardado.",
    "Someone else changed this profile meanwhile. Reload the page and apply your change again.":
        "Alguien más cambió este perfil mientras tanto. Recargue la página y aplique su cambio de nuevo.",
    "Purchase recorded. Only your association's board sees that it came from your firm.":
        "Compra registrada. Solo el consejo de su asociación ve que la reportó su empresa.",
    "Choose a vendor from the list.": "Elija un proveedor de la lista.",
    "Only a member firm of an association records purchases from vendors.":
        "Solo una empresa socia de una asociación registra compras a proveedores.",
    "A firm cannot report a purchase from itself.": "Una empresa no puede reportar una compra a sí misma.",
    # rule sentences (schemas.ERROR_MESSAGES)
    "The lightest weight must not exceed the heaviest.": "El peso más ligero no debe exceder al más pesado.",
    "Denim weights and finishes need denim fabric among the supplies.":
        "Los pesos y acabados de mezclilla requieren tela de mezclilla entre lo que suministra.",
    "Trims need trims among the supplies.": "Los avíos requieren avíos entre lo que suministra.",
    "Brands serviced and repair times need machines or machine repair among the supplies.":
        "Las marcas atendidas y los tiempos de reparación requieren maquinaria o reparación entre lo que "
        "suministra.",
    "The promised date must not be before the purchase.": "La fecha prometida no debe ser anterior a la compra.",
    "The delivery must not be before the purchase.": "La entrega no debe ser anterior a la compra.",
    "Give the delivery date with the quality of the lot.": "Indique la fecha de entrega junto con la calidad del lote.",
    "A warranty claim needs a delivery date.": "Un reclamo de garantía requiere una fecha de entrega.",
    "Say whether the warranty was honoured only for a claim.":
        "Indique si la garantía se atendió solo cuando hubo un reclamo.",
}



def register() -> None:
    extend("es", ES)
