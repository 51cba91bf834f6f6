"""Klaviyo's compact attribute schemas (operations.json) -> lean JSON Schema.

The result means the same in draft-07 and 2020-12. `nullable` and `default` are dropped (they
only clutter tools/list; the server never sends a default), `ref` is a name only.
"""
from faults import SpecFault

_KEPT_FORMATS = ("date-time", "date")
_SCALARS = ("string", "number", "integer", "boolean")
_ANNOTATIONS = {"nullable", "default", "ref", "req"}  # keys that constrain nothing


def to_json_schema(compact: dict, where: str) -> dict:
    """Converts one compact schema; `where` names it in error messages."""
    for keyword in ("oneOf", "anyOf"):
        if compact.get(keyword):
            return _alternatives(keyword, compact[keyword], where)

    result: dict = {}
    kind = compact.get("type")
    if kind:
        result["type"] = kind
    if "enum" in compact:
        result["enum"] = [v for v in compact["enum"] if v is not None]
    if compact.get("format") in _KEPT_FORMATS:
        result["format"] = compact["format"]

    if "props" in compact:
        result["type"] = "object"
        result["properties"] = {
            name: to_json_schema(sub, f"{where}.{name}") for name, sub in compact["props"].items()
        }
        required = [r for r in compact.get("required", []) if r in compact["props"]]
        required += [n for n, sub in compact["props"].items() if sub.get("req") and n not in required]
        if required:
            result["required"] = required
    elif "keys" in compact:
        # Past three levels the catalog keeps only key names: say them, accept any object.
        result["type"] = "object"
        result["description"] = "Keys: " + ", ".join(compact["keys"]) + "."
    if "items" in compact:
        result["items"] = to_json_schema(compact["items"], f"{where}[]")
    if not result:
        if set(compact) <= _ANNOTATIONS:
            return {}  # no constraint at all: any JSON value
        raise SpecFault(f"{where}: compact schema has nothing to convert: {compact}")
    return result


def _alternatives(keyword: str, alternatives: list, where: str) -> dict:
    converted = [to_json_schema(a, f"{where}|{i}") for i, a in enumerate(alternatives)]
    # Plain scalar unions read best as a type list: {"type": ["string", "number"]}.
    if all(set(c) == {"type"} and c["type"] in _SCALARS for c in converted):
        types = []
        for c in converted:
            if c["type"] not in types:
                types.append(c["type"])
        return {"type": types if len(types) > 1 else types[0]}
    # Small unions of flat schemas stay as they are.
    if len(converted) <= 3 and all("properties" not in c for c in converted):
        return {keyword: converted}
    # Anything richer would bloat tools/list; accept an object and say so.
    return {"type": "object", "description": f"One of {len(converted)} shapes; see Klaviyo's API reference."}


def is_resource_list(compact: dict) -> bool:
    """A JSON:API nested list: {"data": [{"type": <one value>, "id"?, "attributes": {...}}]}."""
    data = compact.get("props", {}).get("data")
    if not data or data.get("type") != "array":
        return False
    item = data.get("items", {}).get("props", {})
    type_enum = item.get("type", {}).get("enum", [])
    return len(type_enum) == 1 and "attributes" in item


def resource_list_item(compact: dict, where: str) -> tuple[str, dict, list[str]]:
    """For a nested list: (nested type, item JSON Schema, names of item-level extras that the
    resource_list wrap cannot carry, such as a per-item meta)."""
    item = compact["props"]["data"]["items"]["props"]
    nested_type = item["type"]["enum"][0]
    attributes = to_json_schema(item["attributes"], f"{where}[].attributes")
    schema = {"type": "object", "properties": dict(attributes.get("properties", {}))}
    if "id" in item:
        if "id" in schema["properties"]:
            raise SpecFault(f"{where}: nested attributes already have an 'id'")
        schema["properties"]["id"] = {"type": "string"}
    if attributes.get("required"):
        schema["required"] = attributes["required"]
    dropped = [k for k in item if k not in ("type", "id", "attributes")]
    return nested_type, schema, dropped


def is_id_list(compact: dict) -> bool:
    """A JSON:API nested list of bare identifiers: {"data": [{"type": <one value>, "id"}]}."""
    data = compact.get("props", {}).get("data")
    if not data or data.get("type") != "array":
        return False
    item = data.get("items", {}).get("props", {})
    type_enum = item.get("type", {}).get("enum", [])
    return len(type_enum) == 1 and set(item) == {"type", "id"}


def id_list_type(compact: dict) -> str:
    return compact["props"]["data"]["items"]["props"]["type"]["enum"][0]
