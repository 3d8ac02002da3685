"""A bounded request generator driven by the OpenAPI document (schemathesis-like, no extra dependency).

For every operation it builds requests from the document alone: path ids (real ones, and ids
no database column holds), the listing query parameters, and JSON bodies generated from the
request schema, then mutated one field at a time (wrong types, limits, huge numbers, long and
odd strings, deep nesting), plus whole-body breakage (not JSON, not an object, wrong media
type, nesting far beyond any schema). Seeded, so a failure replays.
"""
from __future__ import annotations

import json
import random
import string
import time
from dataclasses import dataclass, field

HOSTILE_IDS = ["0", str(2**31 - 1), str(2**31), str(2**63 - 1), str(2**63), str(10**30), "-1", "1e3", "abc", "%00",
               "1%20OR%201=1", "9" * 400]
HOSTILE_VALUES = [None, True, -1, 0, 2**31, 2**63, -(2**63) - 1, 10**30, 1e308, -1e308, 0.5, "", " ",
                  "x" * 6000, "\u0000", "\ud7ff\ufffd", "=HYPERLINK(\"http://evil\")", "<script>x</script>",
                  "'; DROP TABLE users; --", "2026-02-30", "9999-99-99", "NaN", [], [None], {}, {"a": {"b": []}},
                  [[[[[[[[[[1]]]]]]]]]], "١٢٣", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
QUERY = {"page": ["0", "-1", "abc", str(2**64), "2", "100001"], "per_page": ["0", "101", "1e2", "5"],
         "q": ["", "%", "_", "\\", "\"", "a" * 500, "(", "OR", "*", "%00", "a%00b"], "lang": ["es", "xx", ""],
         "status": ["open", "decided", "bogus"], "kind": ["maker", "buyer", "nope"],
         "association_id": ["1", "0", str(2**63), "x"], "k": ["0", "5", "1000", "x"],
         "near": ["20.6,-103.3", "999,999", "a,b"], "radius_km": ["10", "-1", "1e9"],
         "process": ["sewing", "teleport"], "unknown_param": ["1"]}


@dataclass
class Tally:
    requests: int = 0
    server_errors: list = field(default_factory=list)
    bad_error_bodies: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)


class Generator:
    def __init__(self, document: dict, rng: random.Random, caps: dict | None = None):
        self.doc, self.rng = document, rng
        self.caps = caps or {}  # top-level numeric fields kept small (e.g. a solver's time limit)
        self.schemas = document["components"]["schemas"]

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def value(self, schema: dict, depth: int = 0):
        """A value that satisfies ``schema`` most of the time."""
        rng = self.rng
        schema = self.resolve(schema)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self.value(rng.choice(schema[key]), depth)
        if "allOf" in schema:
            return self.value(schema["allOf"][0], depth)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return rng.choice(schema["enum"])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = rng.choice(kind)
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            return {name: self.value(sub, depth + 1) for name, sub in props.items()
                    if name in required or (depth < 3 and rng.random() < 0.5)}
        if kind == "array":
            lo = schema.get("minItems", 0)
            hi = min(schema.get("maxItems", lo + 3), lo + 3)
            return [self.value(schema.get("items", {}), depth + 1) for _ in range(rng.randint(lo, hi))]
        if kind == "integer":
            lo, hi = schema.get("minimum", 0), schema.get("maximum", 10_000)
            return rng.choice([lo, hi, rng.randint(lo, min(hi, lo + 50)), 1, 2, 3])
        if kind == "number":
            lo, hi = schema.get("minimum", 0), schema.get("maximum", 1000)
            return rng.uniform(lo, hi)
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "null":
            return None
        fmt = schema.get("format")
        if fmt == "date":
            return rng.choice(["2026-03-12", "2020-01-01", "2031-12-31"])
        if fmt == "date-time":
            return rng.choice(["2030-03-12T09:00", "2030-03-12T11:00:00Z"])
        lo = schema.get("minLength", 0)
        hi = min(schema.get("maxLength", lo + 20), lo + 20)
        words = ["sewing", "laundry", "jeans_western", "open", "approve", "brand", "maker", "US", "MX",
                 "Jalisco", "late_payment", "2", "cancellation", "must", "no", "held", "final"]
        if rng.random() < 0.5 and lo <= 14:
            return rng.choice(words)
        return "".join(rng.choice(string.ascii_letters + " éñ") for _ in range(rng.randint(lo, max(lo, hi))))

    def body(self, schema_ref: dict):
        """(raw bytes, content type) of one generated request body."""
        rng = self.rng
        schema = self.resolve(schema_ref)
        valid = self.value(schema)
        roll = rng.random()
        if roll < 0.25:
            data = valid
        elif roll < 0.75 and isinstance(valid, dict):
            data = dict(valid)
            names = list(schema.get("properties", {})) + ["unexpected_field"]
            data[rng.choice(names)] = rng.choice(HOSTILE_VALUES)
        elif roll < 0.82 and isinstance(valid, dict) and valid:
            data = dict(valid)
            data.pop(rng.choice(list(data)))
        else:
            return rng.choice([
                (b"{not json", "application/json"),
                (b"", "application/json"),
                (b"[1,2,3]", "application/json"),
                (b"null", "application/json"),
                (b'"text"', "application/json"),
                (b"[" * 5000 + b"]" * 5000, "application/json"),
                (b'{"a":' * 3000 + b"1" + b"}" * 3000, "application/json"),
                (b'{"x": 1' + b"0" * 5000 + b"}", "application/json"),
                (json.dumps(valid).encode(), "text/plain"),
                (b"\xff\xfe\x00garbage", "application/json"),
                (b"a=1&b=2", "application/x-www-form-urlencoded"),
                (b"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv", "multipart/form-data; boundary=b"),
            ])
        if isinstance(data, dict):
            for name, cap in self.caps.items():
                if isinstance(data.get(name), (int, float)) and not isinstance(data[name], bool) and data[name] > cap:
                    data[name] = cap
        return json.dumps(data, ensure_ascii=rng.random() < 0.5).encode(), "application/json"

    def query(self) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return ""
        names = rng.sample(sorted(QUERY), rng.randint(1, 3))
        return "?" + "&".join(f"{n}={rng.choice(QUERY[n])}" for n in names)


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [(method, path, op) for path, item in sorted(document["paths"].items())
            for method, op in sorted(item.items())]


def fuzz(client, document: dict, headers: dict, ids: dict[str, list[str]], seconds: float, seed: int,
         skip_real_ids: set[str] = frozenset(), caps: dict | None = None) -> Tally:
    """Round-robin over every operation with fresh random cases until ``seconds`` have passed."""
    rng = random.Random(seed)
    gen = Generator(document, rng, caps)
    ops = operations(document)
    tally = Tally()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for method, path, op in ops:
            url = path
            for param in op.get("parameters", []):
                name = param["name"]
                real = [] if name in skip_real_ids else ids.get(name, [])
                choice = rng.choice(real) if real and rng.random() < 0.6 else rng.choice(HOSTILE_IDS)
                url = url.replace("{" + name + "}", str(choice))
            url += gen.query()
            kwargs = {"headers": headers}
            if "application/json" in op.get("requestBody", {}).get("content", {}):  # multipart uploads: no body
                ref = op["requestBody"]["content"]["application/json"]["schema"]
                data, ctype = gen.body(ref)
                kwargs.update(data=data, content_type=ctype)
            r = client.open(url, method=method.upper(), **kwargs)
            tally.requests += 1
            tally.statuses[r.status_code] = tally.statuses.get(r.status_code, 0) + 1
            if r.status_code >= 500:
                tally.server_errors.append((method, url[:200], kwargs.get("data", b"")[:300], r.status_code))
            elif r.status_code >= 400:
                body = r.get_json(silent=True)
                if not (isinstance(body, dict) and body.get("error", {}).get("status") == r.status_code):
                    tally.bad_error_bodies.append((method, url[:200], r.status_code, r.data[:200]))
            if time.monotonic() >= deadline:
                break
    return tally
