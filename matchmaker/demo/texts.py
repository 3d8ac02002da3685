"""Names and free texts of the demo cluster, from templates (Spanish for most makers).

Product and process wording comes from the taxonomy's labels, so texts always
speak of the codes stored beside them.
"""
from __future__ import annotations

import random

from matchmaker import taxonomy as tx
from matchmaker.demo.places import code

SURNAMES = (
    "García", "Hernández", "López", "Martínez", "González", "Pérez", "Ramírez", "Gutiérrez", "Navarro",
    "Jiménez", "Orozco", "Íñiguez", "Padilla", "Gallardo", "Velázquez", "Álvarez", "Muñoz", "Ruvalcaba",
    "Barba", "Casillas", "Villaseñor", "Jáuregui", "Núñez", "Estrada", "Cervantes", "Ibarra", "Zúñiga",
    "Camarena", "Plascencia", "Anaya", "Becerra", "Chávez", "Dávalos", "Esparza", "Franco", "Godínez",
)
FIRST_NAMES = ("María", "José", "Guadalupe", "Rosa", "Juan", "Lupita", "Carmen", "Luis", "Alma", "Jesús",
               "Teresa", "Ramón", "Elena", "Rafael", "Sofía", "Martín")
BRANDISH = ("Altos de Jalisco", "del Bajío", "Tapatía", "de Occidente", "Los Arcos", "Minerva", "Chapala",
            "Tequila", "Azul Índigo", "La Perla", "San Juan", "El Mirador", "Santa Fe", "Real", "del Valle")

_TEMPLATES = {
    "denim": ("Maquiladora Denim {town}", "Jeans {surname}", "Confecciones {brand}", "Denim {brand}",
              "Mezclilla {surname} {town}", "Industrias Textiles {surname}", "Pantalonera {brand}",
              "Vaqueros {surname}", "Taller de Costura {surname}", "Grupo Textil {brand}"),
    "kids": ("Moda Infantil {brand}", "Creaciones {first}", "Confecciones Infantiles {surname}",
             "Pequeños {brand}", "Ropa Infantil {surname} {town}"),
    "ceremonial": ("Vestidos de Ceremonia {first}", "Creaciones {first} {surname}", "Ajuares {brand}"),
    "uniforms": ("Uniformes {brand}", "Uniformes Industriales {surname}", "Confecciones {surname} {town}"),
    "knit": ("Tejidos {brand}", "Tejidos de Punto {surname}", "Punto y Moda {town}"),
    "general": ("Confecciones {brand}", "Confecciones {surname}", "Textiles {surname} {town}",
                "Creaciones {first}", "Maquiladora {surname}", "Moda {brand}", "Industrias {surname}"),
    "laundry": ("Lavandería Industrial {town}", "Lavados {brand}", "Lavandería {surname}",
                "Deslavados y Acabados {town}", "Láser Denim {town}"),
}
_LINE_FAMILY = {
    code(tx.PRODUCT_LINES, "jeans_western"): "denim", "jeans_stretch_women": "denim", "jeans_designer": "denim",
    "denim_separates": "denim", "childrenswear": "kids", "ceremonial": "ceremonial",
    "workwear_uniforms": "uniforms", "knitwear": "knit", "casual": "general",
}
assert set(_LINE_FAMILY) <= set(tx.PRODUCT_LINES.codes)


def maker_name(r: random.Random, town: str, line: str, laundry: bool) -> str:
    family = "laundry" if laundry else _LINE_FAMILY.get(line, "general")
    if not laundry and r.random() < 0.25:
        family = "general"
    short_town = town.split(" de ")[0]
    return r.choice(_TEMPLATES[family]).format(
        town=short_town, surname=r.choice(SURNAMES), brand=r.choice(BRANDISH), first=r.choice(FIRST_NAMES))


def legal_name(r: random.Random, name: str, size: str) -> str | None:
    if size == "micro" and r.random() < 0.45:
        return None  # persona física: trades under the owner's name
    return name + (" S.A. de C.V." if r.random() < 0.7 else " S. de R.L. de C.V.")


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    conj = " y " if lang == "es" else " and "
    return ", ".join(items[:-1]) + conj + items[-1]


def _lines_text(lines: list[str], lang: str) -> str:
    labels = [tx.PRODUCT_LINES.label(c, lang).split(" (")[0] for c in lines]
    return _join([lb[0].lower() + lb[1:] for lb in labels], lang)


def _proc_text(procs: list[str], lang: str, r: random.Random, k: int = 4) -> str:
    chosen = procs if len(procs) <= k else r.sample(procs, k)
    labels = [tx.PROCESS_STAGES.label(c, lang).split(" (")[0] for c in chosen]
    return _join([lb[0].lower() + lb[1:] for lb in labels], lang)


def maker_about(r: random.Random, m: dict) -> str:
    """A varied profile text; ``m`` holds the maker's generated attributes."""
    lang = m["about_lang"]
    city, hc, moq, cap = m["city"], m["headcount"], m["min_order_qty"], m["monthly_capacity"]
    lines, procs = m["lines"], m["processes"]
    if lang == "es":
        if m["laundry"]:
            opening = r.choice((f"Lavandería industrial en {city}", f"Planta de lavado y acabado en {city}"))
            fem = True
        elif hc <= 15:
            opening, fem = r.choice(((f"Taller familiar en {city}", False), (f"Pequeño taller de costura en {city}",
                                     False), (f"Microempresa de confección en {city}", True)))
        else:
            opening, fem = r.choice(((f"Empresa fundada en {m['founded_year']} en {city}", True),
                                     (f"Maquiladora con {hc} trabajadores en {city}", True),
                                     (f"Fábrica de confección en {city}", True)))
        spec = "especializada" if fem else "especializado"
        parts = [f"{opening} {spec} en {_lines_text(lines, 'es')}"]
        if m["laundry"]:
            parts[0] += f" para terceros: {_proc_text(procs, 'es', r)}"
        elif procs:
            parts.append(r.choice(("Ofrecemos", "Realizamos", "Hacemos")) + f" {_proc_text(procs, 'es', r)}")
        if moq <= 500:
            parts.append(r.choice((f"lotes pequeños desde {moq} piezas", f"pedidos cortos desde {moq} piezas")))
        else:
            parts.append(f"pedido mínimo de {moq:,} piezas")
        parts.append(f"capacidad de {cap:,} piezas al mes")
        if m["design_capability"]:
            parts.append(r.choice(("contamos con diseño y patronaje en CAD", "desarrollamos colecciones propias")))
        if m["export_experience"]:
            parts.append(r.choice(("exportamos a Estados Unidos", "experiencia en exportación a EE. UU. y Canadá")))
        if m["certs"]:
            parts.append("certificación " + _join([tx.CERTIFICATES.label(c, "es") for c in m["certs"]], "es"))
        if m["subcontracts"] and r.random() < 0.3:
            parts.append("trabajamos con talleres asociados en temporada alta")
        return _sentences(parts)
    # English
    kind = "laundry and finishing plant" if m["laundry"] else ("family workshop" if hc <= 15 else "apparel factory")
    parts = [f"{kind.capitalize()} in {city}, Jalisco area, making {_lines_text(lines, 'en')}"
             if m["state"] == "Jalisco" else f"{kind.capitalize()} in {city} making {_lines_text(lines, 'en')}"]
    if procs:
        parts.append(f"in-house {_proc_text(procs, 'en', r)}")
    parts.append(f"MOQ {moq:,} pcs, about {cap:,} pcs per month")
    if m["design_capability"]:
        parts.append("own design team with CAD pattern making")
    if m["export_experience"]:
        parts.append(f"exporting about {int(m['export_share_pct'])}% of output")
    if m["certs"]:
        parts.append(_join([tx.CERTIFICATES.label(c, "en") for c in m["certs"]], "en") + " certified")
    return _sentences(parts)


def _sentences(parts: list[str]) -> str:
    rest = "; ".join(parts[1:])
    text = parts[0] + (". " + rest[0].upper() + rest[1:] if rest else "") + "."
    return text[0].upper() + text[1:]


# --- buyers -----------------------------------------------------------------

_BUYER_WORDS_EN = ("Desert Rose", "Lone Star", "Maple Thread", "Blue Mesa", "Golden Gate", "Pacific Indigo",
                   "Red River", "Silver Spur", "North Loop", "Harbor", "Prairie", "Canyon", "Saguaro",
                   "Hudson", "Lakeshore", "Mockingbird", "Sunbelt", "Riverwalk", "Borderland", "Magnolia")
_BUYER_NOUNS_EN = {"brand": ("Denim Co.", "Jeans", "Apparel", "Clothing Co.", "Outfitters"),
                   "retailer": ("Stores", "Retail Group", "Fashion Outlets", "Western Wear"),
                   "department_store": ("Department Stores", "& Co.", "Grand Stores"),
                   "boutique": ("Boutique", "Atelier", "Studio", "Closet"),
                   "jobber": ("Wholesale", "Trading", "Distributors", "Merchandise Inc."),
                   "buying_agent": ("Sourcing", "Buying Services", "Trade Partners", "Sourcing Agency")}
_BUYER_WORDS_ES = ("Casa", "Moda", "Estilo", "Textil", "Alma", "Sol", "Luna", "Andes", "Caribe", "Ibérica")
_BUYER_NOUNS_ES = {"brand": ("Denim", "Jeans", "Moda"), "retailer": ("Tiendas", "Almacenes"),
                   "department_store": ("Almacenes", "Grandes Almacenes"), "boutique": ("Boutique", "Taller"),
                   "jobber": ("Mayoreo", "Distribuidora"), "buying_agent": ("Sourcing", "Agencia de Compras")}
assert set(_BUYER_NOUNS_EN) == set(_BUYER_NOUNS_ES) <= set(tx.BUYER_TYPES.codes)


def buyer_name(r: random.Random, btype: str, city: str, lang: str) -> str:
    if lang == "es":
        return f"{r.choice(_BUYER_NOUNS_ES.get(btype, ('Moda',)))} {r.choice(_BUYER_WORDS_ES)} {city}"
    return f"{r.choice(_BUYER_WORDS_EN)} {r.choice(_BUYER_NOUNS_EN.get(btype, ('Apparel',)))}"


def buyer_about(r: random.Random, btype: str, city: str, lines: list[str], lang: str) -> str:
    if lang == "es":
        return (f"{tx.BUYER_TYPES.label(btype, 'es')} con sede en {city}; compramos "
                f"{_lines_text(lines, 'es')} a fabricantes de México.")
    return (f"{tx.BUYER_TYPES.label(btype, 'en')} based in {city}, sourcing {_lines_text(lines, 'en')} "
            f"from Mexican makers.")


# --- requirements -------------------------------------------------------------

_STYLE_EN = {
    "jeans_western": ("Men's western bootcut jeans, heavy 14 oz denim",
                      "Cowboy cut rigid jeans with contrast stitching",
                      "Rodeo jeans, dark rinse, reinforced seams"),
    "jeans_stretch_women": ("Women's stretch skinny jeans", "High-rise stretch jeggings for women",
                            "Women's push-up stretch jeans, Latino fit"),
    "jeans_designer": ("Designer distressed jeans with rips and repairs", "Premium slim jeans, selvedge look",
                       "Limited-edition designer denim with hand sanding"),
    "denim_separates": ("Denim jackets and skirts capsule", "Denim shorts and overalls",
                        "Trucker jackets in stretch denim"),
    "workwear_uniforms": ("School uniform trousers and skirts", "Industrial work pants, twill, hi-vis trims",
                          "Corporate uniforms, polo shirts and trousers"),
    "knitwear": ("Knit tops and cardigans", "Jersey knit T-shirts and hoodies", "Fine-gauge knit dresses"),
    "childrenswear": ("Kids' denim and casual sets", "Girls' stretch jeans and tops",
                      "Toddler outfits, soft cotton"),
    "ceremonial": ("Baptism gowns with lace", "First communion dresses with embroidery",
                   "Ceremonial frocks, satin and tulle"),
    "casual": ("Casual chinos and shirts", "Casual summer dresses", "Men's casual twill pants"),
}
_STYLE_ES = {
    "jeans_western": ("Pantalón vaquero corte bota, mezclilla de 14 oz",
                      "Jeans vaqueros rígidos con costura contraste"),
    "jeans_stretch_women": ("Pantalón stretch para dama corte skinny", "Jeans stretch de tiro alto para dama"),
    "jeans_designer": ("Jeans de diseñador con destrucción y parches", "Jeans premium slim con acabado a mano"),
    "denim_separates": ("Chamarras y faldas de mezclilla", "Shorts y overoles de mezclilla"),
    "workwear_uniforms": ("Uniformes escolares: pantalón y falda", "Pantalón industrial de gabardina"),
    "knitwear": ("Blusas y suéteres de punto", "Playeras y sudaderas de punto"),
    "childrenswear": ("Conjuntos infantiles de mezclilla", "Jeans stretch para niña con blusa"),
    "ceremonial": ("Ropones de bautizo con encaje", "Vestidos de primera comunión bordados"),
    "casual": ("Pantalón casual de gabardina y camisas", "Vestidos casuales de verano"),
}
assert set(_STYLE_EN) == set(_STYLE_ES) <= set(tx.PRODUCT_LINES.codes)

_PROC_PHRASE = {  # (English phrases, Spanish phrases)
    code(tx.PROCESS_STAGES, "laundry"): (("stone wash", "enzyme wash", "vintage wash"),
                                         ("lavado a la piedra", "lavado enzimático", "deslavado vintage")),
    code(tx.PROCESS_STAGES, "laser"): (("laser whiskering", "laser aging"), ("desgaste láser", "bigotes con láser")),
    code(tx.PROCESS_STAGES, "embellishment"): (("embroidered patches", "sequin details"),
                                               ("parches bordados", "aplicaciones de lentejuela")),
    code(tx.PROCESS_STAGES, "labeling_packaging"): (("private label and retail-ready packing",),
                                                    ("etiquetado propio y empaque listo para tienda",)),
    code(tx.PROCESS_STAGES, "design"): (("design support from our mood board",), ("desarrollo de diseño",)),
}


def requirement_texts(r: random.Random, line: str, procs: list[str], qty: int, lang: str) -> tuple[str, str]:
    """(title, style text) of an RFQ."""
    styles = (_STYLE_ES if lang == "es" else _STYLE_EN).get(line) or (tx.PRODUCT_LINES.label(line, lang),)
    base = r.choice(styles)
    extras = []
    for p in procs:
        phrases = _PROC_PHRASE.get(p)
        if phrases and r.random() < 0.7:
            extras.append(r.choice(phrases[1 if lang == "es" else 0]))
    if lang == "es":
        n_es = f"{qty:,}"  # Mexican Spanish groups thousands with a comma, as the pages do
        batch = f"lotes de {n_es} piezas"
        title = f"{tx.PRODUCT_LINES.label(line, 'es').split(' (')[0]} — {n_es} pzas"
    else:
        batch = (f"small batches of {qty:,}" if qty <= 1500 else f"{qty:,} pcs per order")
        title = f"{tx.PRODUCT_LINES.label(line, 'en').split(' (')[0]} — {qty:,} pcs"
    return title, ", ".join([base, *extras, batch])
