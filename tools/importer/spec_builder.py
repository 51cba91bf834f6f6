"""One catalog operation + its curation -> one tool spec (format: schemas/README.md)."""
import copy

import curation
import rules
from aliases import aliases_for
from faults import SpecFault
from jobs import job_field
from naming import snake
from request_mapping import (carry_item_relationships, carry_meta, draft_request, multipart_preconditions,
                             request_object, separate_body_id)


def toolset_of(tag: str) -> str:
    return snake(tag)


def build_spec(op: dict, seed: dict | None, global_cur: dict, tool_cur: dict,
               catalog_names: set[str] = frozenset()) -> dict:
    name = op["operationId"]
    if not tool_cur.get("description"):
        raise SpecFault(f"{name}: curation has no description (required, in our own words)")

    draft = draft_request(op, global_cur.get("filter_samples", {}))
    if "id_arg" in tool_cur:
        separate_body_id(draft, tool_cur["id_arg"], name)
    if "meta" not in tool_cur.get("omit_body", {}):
        carry_meta(draft)
    carry_item_relationships(draft, tool_cur.get("item_relationships", {}), name)
    curation.rename(draft, tool_cur.get("args", {}), name)
    curation.check_omissions(draft, tool_cur.get("omit_body", {}), name)
    if "filter_example" in tool_cur:
        _replace_filter_example(draft, tool_cur["filter_example"], name)

    input_schema = _input_schema(draft, global_cur, tool_cur, name)
    rate_spec = rules.rate(op, draft.args)
    kind = rules.response_kind(op)

    preconditions = _merge_preconditions(
        rules.limit_preconditions(op, draft) + rules.identity_preconditions(input_schema)
        + multipart_preconditions(draft),
        tool_cur.get("preconditions", []))

    description = (tool_cur["description"].strip() + " " + rules.rate_summary(rate_spec)
                   + " Scopes: " + ", ".join(op["scopes"]) + ".")
    limit = global_cur.get("max_description_chars", 400)
    if len(description) > limit:
        raise SpecFault(f"{name}: description is {len(description)} characters (limit {limit}); "
                        "shorten the curated text")

    spec = {
        "name": name,
        "title": seed["action"] if seed else op["summary"],
        "aliases": aliases_for(op, seed),
        "toolset": toolset_of(op["tags"][0]),
        "description": description,
        "annotations": rules.annotations(op, global_cur.get("destructive_words", []),
                                         tool_cur.get("annotations", {})),
        "scopes": list(op["scopes"]),
        "auth": "public_key" if op.get("client") else "private_key",
        "request": request_object(draft),
        "rate": rate_spec,
        "preconditions": preconditions,
        "inputSchema": input_schema,
        "response": {"kind": kind},
    }
    # Written only when set, so most specs carry neither.
    for flag in curation.FLAG_KEYS:
        if tool_cur.get(flag):
            spec[flag] = True
    job = job_field(op, tool_cur.get("job"), global_cur.get("job_status"), catalog_names)
    if job:
        spec["job"] = job
    check_arguments(spec)
    return spec


def _replace_filter_example(draft, example: str, where: str) -> None:
    arg = next((a for a in draft.args if a.role == "query" and a.key == "filter"), None)
    if arg is None:
        raise SpecFault(f"{where}: filter_example for a tool without a filter")
    text = arg.schema["description"]
    arg.schema["description"] = text[: text.rindex("E.g. ")] + "E.g. " + example


def _input_schema(draft, global_cur: dict, tool_cur: dict, where: str) -> dict:
    properties = {}
    required = []
    global_descriptions = global_cur.get("arg_descriptions", {})
    tool_descriptions = dict(tool_cur.get("arg_descriptions", {}))
    extras = dict(tool_cur.get("schema", {}))
    for arg in draft.args:
        schema = copy.deepcopy(arg.schema)
        description = tool_descriptions.pop(arg.name, None) or global_descriptions.get(arg.name)
        if description:
            schema["description"] = description
        schema.update(extras.pop(arg.name, {}))
        properties[arg.name] = schema
        if arg.required:
            required.append(arg.name)
    leftovers = sorted(set(tool_descriptions) | set(extras))
    if leftovers:
        raise SpecFault(f"{where}: curation describes or constrains unknown arguments {leftovers}")
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def _merge_preconditions(generated: list[dict], curated: list[dict]) -> list[dict]:
    """Curated entries win over a rule's entry for the same hook and argument."""
    def key(entry):
        return entry["hook"], entry.get("arg"), entry.get("in")

    replaced = {key(c) for c in curated}
    merged = [g for g in generated if key(g) not in replaced]
    for entry in curated:
        if entry not in merged:
            merged.append(copy.deepcopy(entry))
    return merged


def check_arguments(spec: dict) -> None:
    """The server's startup rule, checked early: every property is used by the request or a
    hook, and every argument they use is a property."""
    name = spec["name"]
    properties = spec["inputSchema"]["properties"]
    request = spec["request"]
    used = set(request["path_args"].values()) | {q["arg"] for q in request["query"]}
    body = request["body"]
    used |= set(body.get("attributes", {})) | set(body.get("relationships", {}))
    used |= set(body.get("meta", {}))
    used |= {body[k] for k in ("id_arg", "ids_arg") if k in body}
    used |= set(body.get("fields", {}))
    if "file" in body:
        used |= {body["file"][k] for k in ("content_arg", "path_arg", "filename_arg")}
    for entry in spec["preconditions"]:
        container = properties
        if "in" in entry:
            used.add(entry["in"])
            if entry["in"] not in properties:
                raise SpecFault(f"{name}: hook {entry['hook']} reads unknown argument {entry['in']!r}")
            container = properties[entry["in"]].get("items", {}).get("properties", {})
        names = [entry["arg"]] if "arg" in entry else list(entry.get("args", []))
        for arg in names:
            if arg not in container:
                raise SpecFault(f"{name}: hook {entry['hook']} names unknown argument {arg!r}")
        if "in" not in entry:
            used |= set(names)
    for conditional in spec["rate"]["conditional"]:
        used.add(conditional["arg"])
    unknown = used - set(properties)
    unused = set(properties) - used
    if unknown or unused:
        raise SpecFault(f"{name}: arguments used but not in inputSchema {sorted(unknown)}, "
                        f"in inputSchema but unused {sorted(unused)}")
    for arg in spec["inputSchema"]["required"]:
        if arg not in properties:
            raise SpecFault(f"{name}: required argument {arg!r} is not a property")
