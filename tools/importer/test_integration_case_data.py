"""Checks the hand-written integration data (tests/integration/data) against the generated
specs before the C++ harness replays it: one tool case per tool with schema-valid arguments,
and for every precondition of every tool a case that fails on exactly that hook.

The hook and schema models below are deliberately small (only what the specs use); they
catch a case that fails for the wrong reason, not bugs in the server.

Run from the repository root: python3 -m unittest discover -s tools/importer
"""
import base64
import json
import re
import sys
import unittest
from pathlib import Path

sys.dont_write_bytecode = True

REPO = Path(__file__).resolve().parent.parent.parent
DATA = REPO / "tests" / "integration" / "data"
TOOLSETS = sorted(p.name for p in (REPO / "schemas").iterdir() if p.is_dir())

_TYPES = {"string": str, "object": dict, "array": list, "boolean": bool}


def schema_errors(value, schema: dict, where: str = "") -> list[str]:
    """Violations of the JSON Schema subset the specs use."""
    errors: list[str] = []
    kind = schema.get("type")
    if kind:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_is(value, k) for k in kinds):
            return [f"{where}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: not in enum")
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        errors.append(f"{where}: too short")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            errors.append(f"{where}: out of range")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: too few items")
        for i, item in enumerate(value):
            if "items" in schema:
                errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{where}.{r}: missing" for r in schema.get("required", []) if r not in value]
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}.{key}: unknown")
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema and all(schema_errors(value, s, where) for s in schema[keyword]):
            errors.append(f"{where}: matches no {keyword} branch")
    return errors


def _is(value, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def _walk(value, key=None):
    """(key, value) for every value nested anywhere in the arguments."""
    yield key, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)


def hook_fails(entry: dict, args: dict) -> bool:
    """Whether a hook, as the specs configure it, rejects these arguments."""
    hook = entry["hook"]
    present = lambda obj, name: obj.get(name) not in (None, "", [], {})  # noqa: E731
    if hook == "max_items":
        return len(args.get(entry["arg"], [])) > entry["max"]
    if hook == "max_payload_bytes":
        target = args.get(entry["arg"], []) if "arg" in entry else args
        size = lambda v: len(json.dumps(v, separators=(",", ":")).encode())  # noqa: E731
        too_big_item = "max_item_bytes" in entry and any(size(i) > entry["max_item_bytes"] for i in target)
        return size(target) > entry["max"] or too_big_item
    if hook == "valid_emails":
        return any(k in ("email", "emails") and isinstance(v, str)
                   and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v) for k, v in _walk(args))
    if hook == "e164_phones":
        return any(k == "phone_number" and isinstance(v, str) and not re.fullmatch(r"\+[1-9]\d{1,14}", v)
                   for k, v in _walk(args))
    if hook == "at_least_one_of":
        objects = args.get(entry["in"], []) if "in" in entry else [args]
        return any(not any(present(o, a) for a in entry["args"]) for o in objects)
    if hook == "exactly_one_of":
        return sum(present(args, a) for a in entry["args"]) != 1
    if hook == "at_most_one_of":
        return sum(present(args, a) for a in entry["args"]) > 1
    if hook == "non_empty":
        return any(a in args and not present(args, a) for a in entry["args"])
    if hook == "filter_requires":
        pattern = r"\(\s*" + re.escape(entry["field"]) + r"\s*,"
        return not isinstance(args.get(entry["arg"]), str) or not re.search(pattern, args[entry["arg"]])
    if hook == "iso8601":
        stamp = r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?"
        return any(isinstance(args.get(a), str) and not re.fullmatch(stamp, args[a]) for a in entry.get("args", []))
    raise AssertionError(f"no model for hook {hook}")


def expand(value):
    """{"$repeat": N, "item": X} -> N copies of X; {"$repeat": N, "text": T} -> T * N (as the
    C++ harness reads them), so huge arguments stay small in the case files."""
    if isinstance(value, list):
        return [expand(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$repeat" in value:
        if "text" in value:
            return value["text"] * value["$repeat"]
        item = expand(value["item"])
        return [json.loads(json.dumps(item)) for _ in range(value["$repeat"])]
    return {k: expand(v) for k, v in value.items()}


def load_cases(kind: str) -> list:
    """Every case of one kind: data/<kind>/<toolset>.json, one file per toolset."""
    cases = []
    for path in sorted((DATA / kind).glob("*.json")):
        cases += [expand(c) for c in json.loads(path.read_text(encoding="utf-8"))]
    return cases


class IntegrationCaseDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.specs = {}
        for toolset in TOOLSETS:
            for path in sorted((REPO / "schemas" / toolset).glob("*.json")):
                spec = json.loads(path.read_text(encoding="utf-8"))
                cls.specs[spec["name"]] = spec
        cls.tool_cases = load_cases("tool_cases")
        cls.failing_cases = load_cases("precondition_cases")

    def test_one_tool_case_per_tool(self):
        self.assertTrue(self.specs)
        self.assertEqual(sorted(c["tool"] for c in self.tool_cases), sorted(self.specs))

    def test_tool_cases_are_valid_calls(self):
        for case in self.tool_cases:
            with self.subTest(tool=case["tool"]):
                spec = self.specs[case["tool"]]
                self.assertEqual(schema_errors(case["args"], spec["inputSchema"]), [])
                self.assertEqual([e["hook"] for e in spec["preconditions"] if hook_fails(e, case["args"])], [])
                self.assertEqual(case["expect"]["method"], spec["request"]["method"])
                self.assertNotIn("{", case["expect"]["path"])
                self.assertEqual(set(case), {"tool", "args", "expect", "reply", "result"})
                self.assertEqual(set(case["expect"]), {"method", "path", "query", "body"})
                wire_params = {q["param"] for q in spec["request"]["query"]}
                if spec["auth"] == "public_key":
                    wire_params.add("company_id")  # the server adds the account's public key
                self.assertLessEqual(set(case["expect"]["query"]), wire_params)
                self.assertTrue(all(isinstance(v, str) for v in case["expect"]["query"].values()))
                self.assertEqual(case["expect"]["body"] is None, spec["request"]["body"]["kind"] == "none")
                body = case["expect"]["body"]
                multipart = isinstance(body, dict) and "multipart" in body
                self.assertEqual(multipart, spec["request"]["body"]["kind"] == "multipart")
                if multipart:
                    self.check_multipart(body, spec["request"]["body"])
                self.assertEqual(case["reply"]["body"] is None, spec["response"]["kind"] == "empty")

    def check_multipart(self, body: dict, spec_body: dict) -> None:
        """{"multipart": {"fields": {form name: text}, "files": {form name: {filename,
        content_type, content_base64}}}}: the parts the server must send, compared exactly."""
        self.assertEqual(set(body), {"multipart"})
        parts = body["multipart"]
        self.assertEqual(set(parts), {"fields", "files"})
        self.assertLessEqual(set(parts["fields"]), set(spec_body["fields"].values()))
        self.assertTrue(all(isinstance(v, str) for v in parts["fields"].values()))
        self.assertEqual(set(parts["files"]), {spec_body["file"]["field"]})
        for part in parts["files"].values():
            self.assertEqual(set(part), {"filename", "content_type", "content_base64"})
            self.assertEqual(base64.b64encode(base64.b64decode(part["content_base64"], validate=True)).decode(),
                             part["content_base64"])

    def test_every_precondition_has_a_case_failing_on_it_first(self):
        first_failures = set()
        for case in self.failing_cases:
            if case["error_kind"] != "precondition":
                continue
            with self.subTest(tool=case["tool"], mentions=case["mentions"]):
                spec = self.specs[case["tool"]]
                self.assertEqual(schema_errors(case["args"], spec["inputSchema"]), [],
                                 "a precondition case must pass schema validation")
                failing = [i for i, e in enumerate(spec["preconditions"]) if hook_fails(e, case["args"])]
                self.assertTrue(failing, "no hook rejects these arguments")
                first_failures.add((case["tool"], failing[0]))
        for name, spec in self.specs.items():
            for i, entry in enumerate(spec["preconditions"]):
                self.assertIn((name, i), first_failures, f"{name}: no case fails first on {entry}")

    def test_validation_cases_break_the_schema_or_a_server_side_name_check(self):
        kinds = set()
        for case in self.failing_cases:
            self.assertEqual(set(case), {"tool", "args", "error_kind", "mentions"})
            self.assertIn(case["error_kind"], ("precondition", "validation"))
            if case["error_kind"] != "validation":
                continue
            with self.subTest(tool=case["tool"], mentions=case["mentions"]):
                spec = self.specs[case["tool"]]
                errors = schema_errors(case["args"], spec["inputSchema"])
                query = {q["arg"]: q for q in spec["request"]["query"]}
                entry = query.get(case["mentions"], {})
                value = case["args"].get(case["mentions"])
                name_check = (entry.get("style") == "csv" and "allowed" in entry
                              and any(v not in entry["allowed"] for v in value)) or entry.get("style") == "filter"
                self.assertTrue(errors or name_check, "the arguments are valid")
                self.assertTrue(any(case["mentions"] in e for e in errors) or name_check)
                kinds |= {e.rsplit(": ", 1)[1] for e in errors}
        self.assertLessEqual({"missing", "unknown", "not in enum", "out of range", "too short"}, kinds)
        self.assertTrue(any(k.startswith("not ") and k != "not in enum" for k in kinds), "no wrong-type case")


if __name__ == "__main__":
    unittest.main()
