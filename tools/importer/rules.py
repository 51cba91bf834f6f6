"""General rules that turn catalog facts into spec fields: annotations, rate limits, result
shape and the preconditions that limit notes and argument names imply."""
import re

from faults import SpecFault
from request_mapping import Arg, RequestDraft

# --- annotations -----------------------------------------------------------------------------

def annotations(op: dict, destructive_words: list[str], overrides: dict) -> dict:
    method = op["method"]
    name_words = set(op["operationId"].split("_"))
    upsert = "create_or_update" in op["operationId"] or "create or update" in op["summary"].lower()
    result = {"readOnlyHint": method == "GET", "openWorldHint": True}
    if method == "GET":
        result.update(destructiveHint=False, idempotentHint=True)
    elif method == "DELETE":
        result.update(destructiveHint=True, idempotentHint=True)
    elif method in ("PATCH", "PUT"):
        result.update(destructiveHint=False, idempotentHint=True)
    else:
        # A POST repeats its effect unless it upserts; it destroys when its verb says so
        # (whole words, so "unsuppress" is not "suppress").
        result.update(destructiveHint=bool(name_words & set(destructive_words)), idempotentHint=upsert)
    for key, value in overrides.items():
        if key not in result:
            raise SpecFault(f"{op['operationId']}: unknown annotation {key!r} in curation")
        result[key] = value
    return result


# --- rate ------------------------------------------------------------------------------------

_CONDITION = re.compile(r"`([^`=]+)=([^`]+)`")


def rate(op: dict, args: list[Arg]) -> dict:
    limits = op["rateLimit"]
    result = {"burst": limits["burst"], "steady": limits["steady"], "conditional": []}
    if "daily" in limits:
        result["daily"] = limits["daily"]
    for condition in limits.get("conditional", []):
        m = _CONDITION.search(condition["when"])
        if not m:
            raise SpecFault(f"{op['operationId']}: cannot read rate condition {condition['when']!r}")
        param, value = m.groups()
        arg = next((a for a in args if a.role == "query" and a.key == param), None)
        if arg is None:
            continue  # the operation has no such parameter, so the stricter bucket never applies
        value = _wire_value(arg, value, op["operationId"])
        result["conditional"].append({
            "arg": arg.name, "value": value,
            # Shared by every endpoint that names the same parameter value (Klaviyo counts
            # them together), hence no endpoint in the name.
            "bucket": f"{param}={value}",
            "burst": condition["burst"], "steady": condition["steady"]})
    return result


def _wire_value(arg: Arg, value: str, where: str) -> str:
    """The value as a model would send it: Klaviyo writes include=list where the parameter's
    values are plural (lists)."""
    allowed = arg.schema.get("items", {}).get("enum") or arg.extra.get("allowed") or []
    if not allowed or value in allowed:
        return value
    for candidate in (value + "s", value[:-1] if value.endswith("s") else None):
        if candidate in allowed:
            return candidate
    raise SpecFault(f"{where}: rate condition value {value!r} is not a value of {arg.key}")


def rate_summary(rate_spec: dict) -> str:
    text = f"Rate: {rate_spec['burst']}/s, {rate_spec['steady']}/min"
    if "daily" in rate_spec:
        text += f", {rate_spec['daily']}/day"
    triggers: dict[tuple, list[str]] = {}  # same limits, one phrase: "with include=lists or ..."
    for c in rate_spec["conditional"]:
        triggers.setdefault((c["burst"], c["steady"]), []).append(f"{c['arg']}={c['value']}")
    extras = [f"{burst}/s, {steady}/min with " + " or ".join(names)
              for (burst, steady), names in triggers.items()]
    if extras:
        text += " (" + "; ".join(extras) + ")"
    return text + "."


# --- result shape ----------------------------------------------------------------------------

COLLECTION_OUTPUT = {"type": "object",
                     "properties": {"data": {"type": "array", "items": {"type": "object"}},
                                    "next_cursor": {"type": "string"},
                                    "included": {"type": "array"}},
                     "required": ["data"]}
RESOURCE_OUTPUT = {"type": "object",
                   "properties": {"type": {"type": "string"}, "id": {"type": "string"}}}
EMPTY_OUTPUT = {"type": "object",
                "properties": {"ok": {"type": "boolean"}, "status": {"type": "integer"}},
                "required": ["ok"]}


def response_kind(op: dict) -> str:
    codes = sorted(c for c in op["responses"] if c.startswith("2"))
    if not codes:
        raise SpecFault(f"{op['operationId']}: no success response")
    success = op["responses"][codes[0]]
    if not success.get("schema"):
        return "empty"
    return "collection" if success.get("dataIsArray") else "resource"


def output_schema(kind: str) -> dict:
    return {"collection": COLLECTION_OUTPUT, "resource": RESOURCE_OUTPUT, "empty": EMPTY_OUTPUT}[kind]


# --- preconditions ---------------------------------------------------------------------------

# Limit notes that are not about one request's input: response page sizes (page_size carries
# them) and account-wide state no hook can see.
_NOT_INPUT = re.compile(r"^(Returns|The maximum number of jobs in progress|Max number of jobs "
                        r"queued|If there are)", re.I)
_PAYLOAD = re.compile(r"payload size (?:per-(\w+) )?is ([\d,.]+)\s*(KB|MB)", re.I)
_STRING_SIZE = re.compile(r"single string cannot exceed", re.I)
_COUNT = re.compile(r"(?:maximum|max|up to|limit)\D*?`?(\d[\d,]*)`?", re.I)
_UNITS = {"KB": 1000, "MB": 1000 * 1000}  # decimal: the stricter reading of Klaviyo's "5MB"


def batch_arg(draft: RequestDraft) -> Arg | None:
    """The one argument that carries the many items of a batch call, if any."""
    batches = [a for a in draft.args
               if a.role == "ids" or (a.role == "attribute" and a.extra.get("wrap") in ("resource_list", "id_list"))]
    if not batches:
        # A job that takes its items as one to-many relationship (bulk deletes by id).
        batches = [a for a in draft.args if a.role == "relationship" and a.extra.get("many")]
    return batches[0] if len(batches) == 1 else None


def limit_preconditions(op: dict, draft: RequestDraft) -> list[dict]:
    where = op["operationId"]
    batch = batch_arg(draft)
    result: list[dict] = []
    payload: dict = {}
    for note in op.get("limitNotes", []):
        if _NOT_INPUT.search(note) or _STRING_SIZE.search(note):
            continue
        m = _PAYLOAD.search(note)
        if m:
            per, amount, unit = m.groups()
            size = int(float(amount.replace(",", "")) * _UNITS[unit.upper()])
            payload["max_item_bytes" if per else "max"] = size
            continue
        m = _COUNT.search(note)
        if m:
            if batch is None:
                raise SpecFault(f"{where}: limit note {note!r} has no batch argument to apply to")
            result.append({"hook": "max_items", "arg": batch.name, "max": int(m.group(1).replace(",", ""))})
            continue
        raise SpecFault(f"{where}: cannot classify limit note {note!r}; curate it")
    if payload:
        if "max" not in payload:
            if batch is not None:
                raise SpecFault(f"{where}: per-item payload limit without a total")
            # No batch argument: the request carries exactly one item, so its limit is the total.
            payload["max"] = payload.pop("max_item_bytes")
        if "max_item_bytes" in payload:
            if batch is None:
                raise SpecFault(f"{where}: per-item payload limit without a batch argument")
            payload["arg"] = batch.name
        result.append({"hook": "max_payload_bytes", **payload})
    return result


def _mentions(schema: dict, names: tuple[str, ...]) -> bool:
    """Whether a property with one of these names appears anywhere in a schema."""
    if not isinstance(schema, dict):
        return False
    for name, sub in schema.get("properties", {}).items():
        if name in names or _mentions(sub, names):
            return True
    for key in ("items", "anyOf", "oneOf"):
        subs = schema.get(key)
        for sub in (subs if isinstance(subs, list) else [subs] if subs else []):
            if _mentions(sub, names):
                return True
    return False


def identity_preconditions(input_schema: dict) -> list[dict]:
    """Emails and phone numbers anywhere in the arguments are checked before sending."""
    result = []
    if _mentions(input_schema, ("email", "emails")):
        result.append({"hook": "valid_emails"})
    if _mentions(input_schema, ("phone_number",)):
        result.append({"hook": "e164_phones"})
    return result
