"""One operation's path, query and JSON:API body -> tool arguments (a draft the curation may
rename) and the spec's "request" object."""
from dataclasses import dataclass, field

import naming
from compact_schema import id_list_type, is_id_list, is_resource_list, resource_list_item, to_json_schema
from faults import SpecFault

JSON_API = "application/vnd.api+json"
MULTIPART = "multipart/form-data"
# The arguments that carry a multipart file part (schemas/README.md, body kind "multipart").
FILE_ARGS = {
    "file_content": ("file_base64", {"type": "string", "description": "The file's content, base64-encoded."}),
    "file_path": ("file_path", {"type": "string", "minLength": 1,
                                "description": "Path of a file under the server's upload directory."}),
    "file_name": ("file_name", {"type": "string", "minLength": 1,
                                "description": "File name sent to Klaviyo; defaults to the path's basename or 'upload'."}),
}
# Query parameters the server fills in itself (the public key of client-side operations).
SERVER_FILLED_QUERY = ("company_id",)


@dataclass
class Arg:
    name: str                 # argument name (renamed by the curation)
    role: str                 # path | query | id | attribute | relationship | ids | meta | form
                              # | file_content | file_path | file_name (multipart)
    key: str                  # wire name: placeholder, query param, attribute or relationship
    schema: dict
    required: bool = False
    extra: dict = field(default_factory=dict)  # role-specific spec fields

    @property
    def qualified(self) -> str:
        """Role-qualified key for curation renames where a bare name is ambiguous."""
        return f"{self.role}.{self.key}"


@dataclass
class RequestDraft:
    method: str
    path: str
    args: list[Arg]
    path_args: dict[str, Arg]
    body_kind: str = "none"   # none | resource | relationships | multipart
    body_type: str = ""
    id_arg: Arg | None = None  # may be the path argument (PATCH /x/{id} with data.id)
    data_array: bool = False   # data is a one-element array holding the resource
    meta_args: list[Arg] = field(default_factory=list)  # data.meta, carried unless omitted
    # resource_list attribute key -> its items' compact relationships (carried when curated)
    item_relationships: dict[str, dict] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)  # body parts the spec format cannot carry


def draft_request(op: dict, filter_samples: dict[str, str]) -> RequestDraft:
    where = op["operationId"]
    placeholders = naming.path_args(op["path"])
    segments = op["path"].strip("/").split("/")
    path_args: dict[str, Arg] = {}
    args: list[Arg] = []
    for placeholder, arg_name in placeholders.items():
        index = segments.index("{" + placeholder + "}")
        owner = naming.words(naming.singular(segments[index - 1])) if index else placeholder
        arg = Arg(arg_name, "path", placeholder,
                  {"type": "string", "minLength": 1, "description": f"ID of the {owner}."},
                  required=True)
        path_args[placeholder] = arg
        args.append(arg)

    for param in op.get("queryParams", []):
        if op.get("client") and param["name"] in SERVER_FILLED_QUERY:
            continue
        args.append(_query_arg(param, op, filter_samples))

    draft = RequestDraft(op["method"], op["path"], args, path_args)
    body = op.get("requestBody")
    if body:
        _draft_body(body, draft, where)
    return draft


def _query_arg(param: dict, op: dict, filter_samples: dict[str, str]) -> Arg:
    name = param["name"]
    arg = naming.query_arg(name)
    required = bool(param.get("req"))
    if name.startswith("fields["):
        kind = naming.words(name[len("fields["):-1])
        return Arg(arg, "query", name,
                   {"type": "array", "items": {"type": "string"},
                    "description": f"Only return these {kind} fields."},
                   required, {"style": "csv", "allowed": list(param["itemEnum"])})
    if name.startswith("additional-fields["):
        kind = naming.words(name[len("additional-fields["):-1])
        return Arg(arg, "query", name,
                   {"type": "array", "items": {"type": "string", "enum": list(param["itemEnum"])},
                    "description": f"Extra {kind} fields to add to the response."},
                   required, {"style": "csv"})
    if name == "include":
        return Arg(arg, "query", name,
                   {"type": "array", "items": {"type": "string", "enum": list(param["itemEnum"])},
                    "description": "Related resources to include in the response."},
                   required, {"style": "csv"})
    if name == "filter":
        filters = op.get("filters")
        if not filters:
            raise SpecFault(f"{op['operationId']}: filter parameter without allowed fields")
        return Arg(arg, "query", name,
                   {"type": "string", "description": filter_description(filters, filter_samples)},
                   required, {"style": "filter", "filter_fields": filters})
    if name == "sort":
        return Arg(arg, "query", name,
                   {"type": "string", "enum": list(param["enum"]),
                    "description": "Sort field; a leading '-' sorts descending."},
                   required, {"style": "plain"})
    if name == "page[size]":
        schema = {"type": "integer"}
        for bound in ("minimum", "maximum"):
            if bound in param:
                schema[bound] = param[bound]
        default = f" (default {param['default']})" if "default" in param else ""
        schema["description"] = f"Results per page{default}."
        return Arg(arg, "query", name, schema, required, {"style": "plain"})
    if name == "page[cursor]":
        return Arg(arg, "query", name,
                   {"type": "string", "description": "next_cursor from the previous page."},
                   required, {"style": "cursor"})
    if param.get("csv") or param.get("type") == "array":
        items = {"type": "string"}
        if param.get("itemEnum"):
            items["enum"] = list(param["itemEnum"])
        return Arg(arg, "query", name, {"type": "array", "items": items}, required, {"style": "csv"})
    schema = {"type": param.get("type", "string")}
    if param.get("enum"):
        schema["enum"] = list(param["enum"])
    for bound in ("minimum", "maximum"):
        if bound in param:
            schema[bound] = param[bound]
    return Arg(arg, "query", name, schema, required, {"style": "plain"})


def filter_description(filters: dict[str, list[str]], samples: dict[str, str]) -> str:
    """Names the allowed fields grouped by their operators, plus one example."""
    groups: dict[tuple, list[str]] = {}
    for field_name, operators in filters.items():
        groups.setdefault(tuple(operators), []).append(field_name)
    parts = ["/".join(ops) + ": " + ", ".join(fields) for ops, fields in groups.items()]
    return "Filter. " + "; ".join(parts) + ". E.g. " + filter_example(filters, samples)


def filter_example(filters: dict[str, list[str]], samples: dict[str, str]) -> str:
    for field_name, sample in samples.items():  # the curation's order is the preference
        operators = filters.get(field_name, [])
        for operator in ("equals", "greater-than", "greater-or-equal", "less-than"):
            if operator in operators:
                return f"{operator}({field_name},{sample})"
    field_name, operators = next(iter(filters.items()))
    return f'{operators[0]}({field_name},"...")'


def _draft_multipart(body: dict, draft: RequestDraft, where: str) -> None:
    """multipart/form-data: the one binary field becomes the file part (base64 content or a
    server-side path, plus an optional file name); every other field a plain form field."""
    draft.body_kind = "multipart"
    binary = [n for n, f in body.get("fields", {}).items() if f.get("format") == "binary"]
    if len(binary) != 1:
        raise SpecFault(f"{where}: a multipart body needs exactly one binary field, has {binary}")
    for role, (arg_name, schema) in FILE_ARGS.items():
        draft.args.append(Arg(arg_name, role, binary[0], dict(schema)))
    required = body.get("requiredFields", [])
    for name, compact in body.get("fields", {}).items():
        if name == binary[0]:
            continue
        schema = to_json_schema({k: v for k, v in compact.items() if k != "default"}, f"{where}: fields.{name}")
        draft.args.append(Arg(naming.snake(name), "form", name, schema, name in required))


def multipart_preconditions(draft: RequestDraft) -> list[dict]:
    """The file part comes from exactly one of its content and its path."""
    if draft.body_kind != "multipart":
        return []
    names = {a.role: a.name for a in draft.args}
    return [{"hook": "exactly_one_of", "args": [names["file_content"], names["file_path"]]}]


def _draft_body(body: dict, draft: RequestDraft, where: str) -> None:
    if body.get("contentType") == MULTIPART:
        _draft_multipart(body, draft, where)
        return
    if body.get("contentType") != JSON_API:
        raise SpecFault(f"{where}: request body {body.get('contentType')} is not supported yet")
    draft.body_type = body["type"]
    if body.get("dataIsArray") and body.get("meta"):
        # [{type, id, meta}]: one resource per call, so its meta belongs to that one id.
        draft.data_array = True
    elif body.get("dataIsArray"):
        draft.body_kind = "relationships"
        type_words = naming.words(body["type"])
        draft.args.append(Arg(naming.snake(naming.singular(body["type"])) + "_ids", "ids", "data",
                              {"type": "array", "items": {"type": "string"}, "minItems": 1,
                               "description": f"IDs of the {type_words}s."},
                              required=True))
        return

    draft.body_kind = "resource"
    if "id" in body:
        updates = draft.method == "PATCH" or where.startswith("update_")
        if updates and "id" in draft.path_args:
            draft.id_arg = draft.path_args["id"]
        else:
            draft.id_arg = Arg("id", "id", "id",
                               {"type": "string", "minLength": 1,
                                "description": f"ID of the {naming.words(body['type'])}."},
                               required=bool(body["id"].get("req")))
            draft.args.append(draft.id_arg)

    for name, compact in body.get("attributes", {}).items():
        spot = f"{where}: attributes.{name}"
        arg_name = name if naming.snake(name) == name.strip("_") else naming.snake(name)
        if is_resource_list(compact):
            nested_type, item, dropped = resource_list_item(compact, spot)
            draft.dropped += [f"attributes.{name}[].{d}" for d in dropped]
            if "relationships" in dropped:
                draft.item_relationships[name] = compact["props"]["data"]["items"]["props"]["relationships"]
            draft.args.append(Arg(arg_name, "attribute", name,
                                  {"type": "array", "items": item, "minItems": 1},
                                  bool(compact.get("req")),
                                  {"wrap": "resource_list", "type": nested_type}))
        elif is_id_list(compact):
            nested_type = id_list_type(compact)
            draft.args.append(Arg(naming.snake(naming.singular(name)) + "_ids", "attribute", name,
                                  {"type": "array", "items": {"type": "string"}, "minItems": 1,
                                   "description": f"IDs of the {naming.words(nested_type)}s."},
                                  bool(compact.get("req")), {"wrap": "id_list", "type": nested_type}))
        else:
            draft.args.append(Arg(arg_name, "attribute", name, to_json_schema(compact, spot),
                                  bool(compact.get("req"))))

    for name, rel in body.get("relationships", {}).items():
        many = bool(rel.get("many"))
        type_words = naming.words(rel["type"])
        schema = ({"type": "array", "items": {"type": "string"}, "minItems": 1,
                   "description": f"IDs of the {type_words}s."} if many
                  else {"type": "string", "minLength": 1, "description": f"ID of the {type_words}."})
        draft.args.append(Arg(naming.relationship_arg(name, rel["type"], many), "relationship",
                              name, schema, bool(rel.get("req")),
                              {"type": rel["type"], "many": many}))
    if body.get("meta"):
        draft.dropped.append("meta")
        meta = body["meta"]
        for name, compact in meta.get("props", {}).items():
            required = name in meta.get("required", []) or bool(compact.get("req"))
            draft.meta_args.append(Arg(naming.snake(name), "meta", name,
                                       to_json_schema(compact, f"{where}: meta.{name}"), required))


def carry_meta(draft: RequestDraft) -> None:
    """data.meta becomes arguments (the curation did not omit it)."""
    if "meta" not in draft.dropped:
        return
    draft.dropped.remove("meta")
    draft.args += draft.meta_args


def separate_body_id(draft: RequestDraft, name: str, where: str) -> None:
    """data.id is its own argument rather than the path id (curation "id_arg")."""
    if draft.id_arg is None:
        raise SpecFault(f"{where}: curation id_arg for a body without data.id")
    if draft.id_arg.role != "path":
        raise SpecFault(f"{where}: curation id_arg, but data.id is already its own argument")
    draft.id_arg = Arg(name, "id", "id", {"type": "string", "minLength": 1,
                                          "description": f"ID of the {naming.words(draft.body_type)}."},
                       required=True)
    draft.args.append(draft.id_arg)


def request_object(draft: RequestDraft) -> dict:
    """The spec's "request" (schemas/README.md) from the (renamed) draft."""
    query = []
    for arg in draft.args:
        if arg.role != "query":
            continue
        entry = {"param": arg.key, "arg": arg.name, "style": arg.extra["style"]}
        if "allowed" in arg.extra:
            entry["allowed"] = arg.extra["allowed"]
        if "filter_fields" in arg.extra:
            entry["filter_fields"] = arg.extra["filter_fields"]
        query.append(entry)

    body: dict = {"kind": draft.body_kind}
    if draft.body_kind == "multipart":
        names = {a.role: a for a in draft.args}
        body["fields"] = {a.name: a.key for a in draft.args if a.role == "form"}
        body["file"] = {"field": names["file_content"].key, "content_arg": names["file_content"].name,
                        "path_arg": names["file_path"].name, "filename_arg": names["file_name"].name}
    elif draft.body_kind != "none":
        body["type"] = draft.body_type
    if draft.body_kind == "relationships":
        body["ids_arg"] = next(a.name for a in draft.args if a.role == "ids")
    if draft.body_kind == "resource":
        if draft.id_arg:
            body["id_arg"] = draft.id_arg.name
        if draft.data_array:
            body["data_array"] = True
        body["attributes"] = {}
        body["relationships"] = {}
        for arg in draft.args:
            if arg.role == "attribute":
                body["attributes"][arg.name] = {"attribute": arg.key, **arg.extra}
            elif arg.role == "relationship":
                body["relationships"][arg.name] = {"name": arg.key, **arg.extra}
            elif arg.role == "meta":
                body.setdefault("meta", {})[arg.name] = arg.key

    return {
        "method": draft.method,
        "path": draft.path,
        "path_args": {p: a.name for p, a in draft.path_args.items()},
        "query": query,
        "body": body,
    }


def carry_item_relationships(draft: RequestDraft, curated: dict[str, dict[str, str]], where: str) -> None:
    """Per-item to-one relationships of a resource_list: the catalog keeps only their names, so
    the curation gives each one's related type ({attribute: {relationship: type}}). Each becomes
    an item property <relationship>_id."""
    for key, types in curated.items():
        compact = draft.item_relationships.get(key)
        arg = next((a for a in draft.args if a.role == "attribute" and a.key == key), None)
        if compact is None or arg is None:
            raise SpecFault(f"{where}: item_relationships names {key!r}, a list without item relationships")
        props = compact.get("props", {})
        if set(types) != set(props):
            raise SpecFault(f"{where}: item_relationships for {key!r} must type exactly {sorted(props)}")
        item = arg.schema["items"]
        relationships = {}
        for name, rel_type in types.items():
            prop = naming.relationship_arg(name, rel_type, False)
            if prop in item["properties"]:
                raise SpecFault(f"{where}: {key}[] already has a property {prop!r}")
            item["properties"][prop] = {"type": "string", "minLength": 1,
                                        "description": f"ID of the {naming.words(rel_type)}."}
            if name in compact.get("required", []):
                item.setdefault("required", []).append(prop)
            relationships[prop] = {"name": name, "type": rel_type, "many": False}
        arg.extra["relationships"] = relationships
        draft.dropped.remove(f"attributes.{key}[].relationships")
