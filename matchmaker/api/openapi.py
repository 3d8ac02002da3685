"""The OpenAPI 3.1 document, generated from the same pydantic schemas that validate requests."""
from __future__ import annotations

from flask import current_app, jsonify
from pydantic.json_schema import models_json_schema

from .. import permissions
from .. import validation as v
from . import bp

# (method, path, endpoint, summary, request schema or None)
OPERATIONS = [
    ("post", "/tokens", "create_token", "Exchange email and password for a bearer token", v.TokenRequest),
    ("get", "/organizations", "list_organizations", "List organizations (filters: kind, state, country, q)", None),
    ("post", "/organizations", "create_organization", "Create an organization", v.OrganizationIn),
    ("get", "/organizations/{org_id}", "get_organization", "Read an organization", None),
    ("patch", "/organizations/{org_id}", "update_organization", "Update an organization", v.OrganizationPatch),
    ("get", "/organizations/{org_id}/outcomes", "list_outcomes", "The firm's own outcome log", None),
    ("post", "/organizations/{org_id}/maker-profile", "create_maker", "Create the firm's maker profile",
     v.MakerProfileIn),
    ("post", "/organizations/{org_id}/buyer-profile", "create_buyer", "Create the firm's buyer profile",
     v.BuyerProfileIn),
    ("get", "/associations", "list_associations", "List associations", None),
    ("post", "/associations", "create_association", "Create an association (platform admin)", v.AssociationIn),
    ("get", "/makers", "list_makers", "List maker profiles (filters: process, product_line, state, "
     "service_tier, quality_tier, min_capacity, max_moq, max_lead_days)", None),
    ("get", "/makers/{org_id}", "get_maker", "Read a maker profile", None),
    ("put", "/makers/{org_id}", "update_maker", "Replace a maker profile (send the version you read)",
     v.MakerProfilePut),
    ("get", "/buyers", "list_buyers", "List buyer profiles", None),
    ("get", "/buyers/{org_id}", "get_buyer", "Read a buyer profile", None),
    ("put", "/buyers/{org_id}", "update_buyer", "Replace a buyer profile", v.BuyerProfilePut),
    ("get", "/requirements", "list_requirements", "List the requirements you may see", None),
    ("post", "/requirements", "create_requirement", "Create a requirement for your firm", v.RequirementIn),
    ("get", "/requirements/{req_id}", "get_requirement", "Read a requirement", None),
    ("put", "/requirements/{req_id}", "update_requirement", "Replace a requirement", v.RequirementPut),
    ("get", "/search/makers", "search_makers_api", "Search makers: q, process (all required), product_line, "
     "certificate (held and valid), min_quality, state, country, near=lat,lon & radius_km, association, "
     "quantity (MOQ fits), monthly_volume (capacity fits), lead_time_days, service_tier, size_band, sort, "
     "page, per_page; returns facet counts", None),
    ("get", "/search/requirements", "search_requirements_api", "Open requirements of cleared buyers; "
     "fits_me=1 keeps those your firm could serve", None),
]

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "problem": {"type": "string"}}}}}}},
}


def build_document() -> dict:
    schemas = sorted({op[4] for op in OPERATIONS if op[4] is not None}, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "validation") for m in schemas],
                                 ref_template="#/components/schemas/{model}")
    components = dict(defs.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA
    paths: dict = {}
    for method, path, endpoint, summary, schema in OPERATIONS:
        rule = permissions.ROUTES[f"api.{endpoint}"]
        op = {
            "operationId": endpoint,
            "summary": summary,
            "responses": {
                "200": {"description": "OK"},
                "4XX": {"description": "Client error", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        if rule != permissions.PUBLIC:
            op["security"] = [{"bearer": []}]
            if rule != permissions.SIGNED_IN:
                op["description"] = "Roles: " + ", ".join(sorted(rule))
        if schema is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}}}
        params = [{"name": p, "in": "path", "required": True, "schema": {"type": "integer"}}
                  for p in ("org_id", "req_id") if "{" + p + "}" in path]
        if params:
            op["parameters"] = params
        paths.setdefault("/api/v1" + path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Matchmaker API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi():
    doc = current_app.extensions.get("matchmaker.openapi")
    if doc is None:
        doc = current_app.extensions["matchmaker.openapi"] = build_document()
    return jsonify(doc)
