"""Unit tests of the importer's rules on a small synthetic catalog.

Run from the repository root: python3 -m unittest discover -s tools/importer
"""
import contextlib
import copy
import io
import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.dont_write_bytecode = True

import curation  # noqa: E402
import import_specs  # noqa: E402
from compact_schema import to_json_schema  # noqa: E402
from faults import SpecFault  # noqa: E402

RATE_M = {"burst": 10, "steady": 150, "tier": "M"}
PROFILE_FIELDS = {"name": "fields[profile]", "type": "array", "itemEnum": ["email", "first_name"], "csv": True}

OPERATIONS = [
    {"operationId": "get_widgets", "method": "GET", "path": "/api/widgets", "summary": "Get Widgets",
     "tags": ["Widget Things"], "scopes": ["widgets:read"],
     "rateLimit": {"burst": 75, "steady": 750, "tier": "L", "conditional": [
         {"when": "using the `include=gadget` parameter in your API request", "burst": 1, "steady": 15}]},
     "queryParams": [
         {"name": "fields[push-token]", "type": "array", "itemEnum": ["token", "platform"], "csv": True},
         {"name": "additional-fields[widget]", "type": "array", "itemEnum": ["weight"], "csv": True},
         {"name": "filter", "type": "string"},
         {"name": "include", "type": "array", "itemEnum": ["gadgets"], "csv": True},
         {"name": "page[cursor]", "type": "string"},
         {"name": "page[size]", "type": "integer", "default": 20, "minimum": 1, "maximum": 100},
         {"name": "sort", "type": "string", "enum": ["created", "-created"]},
         {"name": "color-mode", "type": "string", "enum": ["dark", "light"]}],
     "filters": {"email": ["any", "equals"], "created": ["greater-than"]},
     "responses": {"200": {"schema": "X", "dataType": "widget", "dataIsArray": True}},
     "limitNotes": ["Returns a maximum of 100 results per page."]},
    {"operationId": "update_widget", "method": "PATCH", "path": "/api/widgets/{id}", "summary": "Update Widget",
     "tags": ["Widget Things"], "scopes": ["widgets:write"], "rateLimit": RATE_M,
     "queryParams": [PROFILE_FIELDS],
     "requestBody": {"contentType": "application/vnd.api+json", "type": "widget", "id": {"req": True},
                     "attributes": {"name": {"type": "string", "nullable": True},
                                    "email": {"type": "string", "nullable": True}}},
     "responses": {"200": {"schema": "X", "dataType": "widget"}}},
    {"operationId": "add_gadgets_to_push_token", "method": "POST",
     "path": "/api/push-tokens/{id}/relationships/gadgets", "summary": "Add Gadgets",
     "tags": ["Widget Things"], "scopes": ["widgets:write"], "rateLimit": RATE_M,
     "aliases": ["create_push_token_relationships_gadgets"],
     "requestBody": {"contentType": "application/vnd.api+json", "dataIsArray": True, "type": "gadget"},
     "responses": {"204": {}},
     "limitNotes": ["This endpoint accepts a maximum of 1000 gadgets per call."]},
    {"operationId": "bulk_suppress_widgets", "method": "POST", "path": "/api/widget-bulk-jobs",
     "summary": "Bulk Suppress Widgets", "tags": ["Widget Things"], "scopes": ["widgets:write"],
     "rateLimit": RATE_M,
     "requestBody": {"contentType": "application/vnd.api+json", "type": "widget-bulk-job", "attributes": {
         "widgets": {"type": "object", "req": True, "props": {"data": {"type": "array", "items": {
             "type": "object", "props": {"type": {"type": "string", "enum": ["widget"]},
                                         "id": {"type": "string"},
                                         "attributes": {"type": "object", "required": ["phone_number"],
                                                        "props": {"phone_number": {"type": "string"}}}}}}}}},
         "relationships": {"list": {"type": "list", "many": False}, "gadgets": {"type": "gadget", "many": True}}},
     "responses": {"202": {"schema": "Job", "dataType": "widget-bulk-job"}},
     "limitNotes": ["Accepts up to 10,000 widgets per request.", "The maximum allowed payload size is 5MB.",
                    "The maximum allowed payload size per-widget is 100KB."]},
    {"operationId": "bulk_unsuppress_widgets", "method": "POST", "path": "/api/widget-unsuppress-jobs",
     "summary": "Bulk Unsuppress Widgets", "tags": ["Widget Things"], "scopes": ["widgets:write"],
     "rateLimit": RATE_M, "responses": {"204": {}}},
    {"operationId": "create_or_update_widget", "method": "POST", "path": "/api/widget-import",
     "summary": "Create or Update Widget", "tags": ["Widget Things"], "scopes": ["widgets:write"],
     "rateLimit": RATE_M, "responses": {"201": {"schema": "W", "dataType": "widget"}}},
    {"operationId": "delete_widget_job", "method": "DELETE", "path": "/api/widget-bulk-jobs/{id}",
     "summary": "Delete Widget Job", "tags": ["Widget Things"], "scopes": ["widgets:write"],
     "rateLimit": {"burst": 1, "steady": 15, "daily": 100, "tier": "custom"}, "responses": {"204": {}}},
    {"operationId": "get_other", "method": "GET", "path": "/api/others/{other_id}", "summary": "Get Other",
     "tags": ["Others"], "scopes": ["others:read"], "rateLimit": RATE_M,
     "responses": {"200": {"schema": "O", "dataType": "other"}}},
]
SEEDS = [{"action": "Add Gadget To Token", "operationId": "add_gadgets_to_push_token",
          "oldOperationId": "create_push_token_relationships_gadgets"}]


def curation_for(ops):
    return {"global": {"tags": ["Widget Things"],
                       "destructive_words": ["remove", "suppress", "delete"],
                       "filter_samples": {"email": "\"ada@example.com\""},
                       "arg_descriptions": {"email": "Email address."}},
            "tools": {op["operationId"]: {"description": f"Does {op['operationId']}."} for op in ops}}


class ImporterCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        self.ops = copy.deepcopy(OPERATIONS)
        self.cur = curation_for(self.ops)

    def tearDown(self):
        self.tmp.cleanup()

    def generate(self, tags=("Widget Things",)):
        (self.root / "klaviyo").mkdir(exist_ok=True)
        (self.root / "klaviyo" / "operations.json").write_text(json.dumps(self.ops))
        (self.root / "klaviyo" / "seed-actions.json").write_text(json.dumps(SEEDS))
        files = import_specs.generate(self.root / "klaviyo", list(tags), self.cur, self.root / "out")
        return {str(path): json.loads(text) for path, text in files.items()}

    def spec(self, name):
        return self.generate()[f"widget_things/{name}.json"]

    def run_main(self, *extra):
        (self.root / "curation.json").write_text(json.dumps(self.cur))
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = import_specs.main(["--klaviyo-dir", str(self.root / "klaviyo"), "--out", str(self.root / "out"),
                                      "--curation", str(self.root / "curation.json"), *extra])
        return code, out.getvalue()


class RequestMappingTest(ImporterCase):
    def test_query_parameters_become_styled_arguments(self):
        spec = self.spec("get_widgets")
        query = {q["param"]: q for q in spec["request"]["query"]}
        self.assertEqual(query["fields[push-token]"],
                         {"param": "fields[push-token]", "arg": "fields_push_token", "style": "csv",
                          "allowed": ["token", "platform"]})
        self.assertEqual(query["additional-fields[widget]"]["arg"], "additional_fields_widget")
        self.assertEqual(query["filter"]["style"], "filter")
        self.assertEqual(query["filter"]["filter_fields"], {"email": ["any", "equals"], "created": ["greater-than"]})
        self.assertEqual(query["page[cursor]"]["style"], "cursor")
        self.assertEqual((query["page[size]"]["arg"], query["page[size]"]["style"]), ("page_size", "plain"))
        self.assertEqual(query["color-mode"]["arg"], "color_mode")
        props = spec["inputSchema"]["properties"]
        self.assertEqual(props["fields_push_token"]["items"], {"type": "string"})  # names checked by the server
        self.assertEqual(props["include"]["items"]["enum"], ["gadgets"])
        self.assertEqual((props["page_size"]["minimum"], props["page_size"]["maximum"]), (1, 100))
        self.assertNotIn("default", props["page_size"])
        self.assertIn('equals(email,"ada@example.com")', props["filter"]["description"])
        self.assertEqual(spec["inputSchema"]["required"], [])
        self.assertFalse(spec["inputSchema"]["additionalProperties"])

    def test_patch_shares_the_path_id_with_data_id(self):
        spec = self.spec("update_widget")
        self.assertEqual(spec["request"]["path_args"], {"id": "widget_id"})
        self.assertEqual(spec["request"]["body"]["id_arg"], "widget_id")
        self.assertEqual(spec["inputSchema"]["required"], ["widget_id"])
        self.assertEqual(spec["inputSchema"]["properties"]["name"], {"type": "string"})  # nullable dropped
        self.assertEqual(spec["inputSchema"]["properties"]["email"]["description"], "Email address.")

    def test_relationship_array_body_and_its_limit(self):
        spec = self.spec("add_gadgets_to_push_token")
        self.assertEqual(spec["request"]["path_args"], {"id": "push_token_id"})
        self.assertEqual(spec["request"]["body"], {"kind": "relationships", "type": "gadget", "ids_arg": "gadget_ids"})
        self.assertEqual(spec["inputSchema"]["properties"]["gadget_ids"]["minItems"], 1)
        self.assertEqual(spec["preconditions"], [{"hook": "max_items", "arg": "gadget_ids", "max": 1000}])
        self.assertEqual(spec["response"]["kind"], "empty")

    def test_nested_resource_list_relationships_and_batch_limits(self):
        spec = self.spec("bulk_suppress_widgets")
        body = spec["request"]["body"]
        self.assertEqual(body["attributes"]["widgets"],
                         {"attribute": "widgets", "wrap": "resource_list", "type": "widget"})
        self.assertEqual(body["relationships"], {
            "list_id": {"name": "list", "type": "list", "many": False},
            "gadget_ids": {"name": "gadgets", "type": "gadget", "many": True}})
        item = spec["inputSchema"]["properties"]["widgets"]["items"]
        self.assertEqual(set(item["properties"]), {"phone_number", "id"})
        self.assertEqual(item["required"], ["phone_number"])
        self.assertEqual(spec["inputSchema"]["required"], ["widgets"])
        self.assertEqual(spec["preconditions"], [
            {"hook": "max_items", "arg": "widgets", "max": 10000},
            {"hook": "max_payload_bytes", "max": 5000000, "max_item_bytes": 100000, "arg": "widgets"},
            {"hook": "e164_phones"}])
        self.assertEqual(spec["response"]["kind"], "resource")

    def test_job_resources_are_addressed_by_job_id(self):
        spec = self.spec("delete_widget_job")
        self.assertEqual(spec["request"]["path_args"], {"id": "job_id"})
        self.assertEqual(spec["rate"], {"burst": 1, "steady": 15, "daily": 100, "conditional": []})
        self.assertIn("Rate: 1/s, 15/min, 100/day.", spec["description"])

    def test_other_placeholders_keep_their_name_and_toolsets_split_by_tag(self):
        specs = self.generate(tags=("Others",))
        self.assertEqual(specs["others/get_other.json"]["request"]["path_args"], {"other_id": "other_id"})

    def test_meta_becomes_arguments_unless_omitted(self):
        meta = {"type": "object", "required": ["name"],
                "props": {"name": {"type": "string"}, "relationship_id": {"type": "string", "nullable": True}}}
        self.ops[2]["requestBody"].update(id={"req": True, "type": "string"}, meta=meta)
        del self.ops[2]["limitNotes"]  # one resource per call: no batch for a count limit
        self.cur["tools"]["add_gadgets_to_push_token"]["args"] = {"id": "gadget_id"}
        spec = self.spec("add_gadgets_to_push_token")
        self.assertEqual(spec["request"]["body"], {
            "kind": "resource", "type": "gadget", "id_arg": "gadget_id", "data_array": True,
            "attributes": {}, "relationships": {},
            "meta": {"name": "name", "relationship_id": "relationship_id"}})
        self.assertEqual(spec["inputSchema"]["required"], ["push_token_id", "gadget_id", "name"])
        self.assertEqual(spec["inputSchema"]["properties"]["relationship_id"], {"type": "string"})

        self.cur["tools"]["add_gadgets_to_push_token"]["omit_body"] = {"meta": "not needed"}
        spec = self.spec("add_gadgets_to_push_token")
        self.assertNotIn("meta", spec["request"]["body"])
        self.assertNotIn("name", spec["inputSchema"]["properties"])

    def test_curation_can_give_data_id_its_own_argument(self):
        self.cur["tools"]["update_widget"]["id_arg"] = "gadget_id"
        spec = self.spec("update_widget")
        self.assertEqual(spec["request"]["path_args"], {"id": "widget_id"})
        self.assertEqual(spec["request"]["body"]["id_arg"], "gadget_id")
        self.assertEqual(spec["inputSchema"]["required"], ["widget_id", "gadget_id"])
        self.cur["tools"]["bulk_suppress_widgets"]["id_arg"] = "x_id"
        with self.assertRaisesRegex(SpecFault, "without data.id"):
            self.generate()

    def test_id_only_nested_lists_and_to_many_batches(self):
        ident = {"type": "object", "req": True, "props": {"data": {"type": "array", "items": {
            "type": "object", "props": {"type": {"type": "string", "enum": ["widget"]}, "id": {"type": "string"}}}}}}
        self.ops[3]["requestBody"]["attributes"]["widgets"] = ident
        self.ops[3]["requestBody"]["relationships"] = {}
        self.ops[3]["limitNotes"] = ["Accepts up to 100 widgets per request."]
        spec = self.spec("bulk_suppress_widgets")
        self.assertEqual(spec["request"]["body"]["attributes"],
                         {"widget_ids": {"attribute": "widgets", "wrap": "id_list", "type": "widget"}})
        self.assertEqual(spec["inputSchema"]["properties"]["widget_ids"]["items"], {"type": "string"})
        self.assertEqual(spec["preconditions"], [{"hook": "max_items", "arg": "widget_ids", "max": 100}])

        del self.ops[3]["requestBody"]["attributes"]
        self.ops[3]["requestBody"]["relationships"] = {"gadgets": {"type": "gadget", "many": True, "req": True}}
        spec = self.spec("bulk_suppress_widgets")
        self.assertEqual(spec["preconditions"], [{"hook": "max_items", "arg": "gadget_ids", "max": 100}])

    def test_a_per_item_size_without_a_batch_is_the_total(self):
        self.ops[1]["limitNotes"] = ["The maximum allowed payload size per-record is 512KB."]
        spec = self.spec("update_widget")
        self.assertEqual(spec["preconditions"][0], {"hook": "max_payload_bytes", "max": 512000})

    def test_curated_item_relationships_become_item_properties(self):
        item = self.ops[3]["requestBody"]["attributes"]["widgets"]["props"]["data"]["items"]["props"]
        item["relationships"] = {"type": "object", "required": ["owner"],
                                 "props": {"owner": {"type": "object", "keys": ["data"]}}}
        with self.assertRaisesRegex(SpecFault, "attributes.widgets\\[\\].relationships"):
            self.generate()
        self.cur["tools"]["bulk_suppress_widgets"]["item_relationships"] = {"widgets": {"owner": "gadget"}}
        spec = self.spec("bulk_suppress_widgets")
        self.assertEqual(spec["request"]["body"]["attributes"]["widgets"]["relationships"],
                         {"owner_id": {"name": "owner", "type": "gadget", "many": False}})
        items = spec["inputSchema"]["properties"]["widgets"]["items"]
        self.assertEqual(items["required"], ["phone_number", "owner_id"])
        self.assertEqual(items["properties"]["owner_id"]["type"], "string")
        self.cur["tools"]["bulk_suppress_widgets"]["item_relationships"] = {"widgets": {"other": "gadget"}}
        with self.assertRaisesRegex(SpecFault, "must type exactly"):
            self.generate()

    def test_other_body_media_types_fail_loudly(self):
        self.ops[1]["requestBody"]["contentType"] = "text/plain"
        with self.assertRaisesRegex(SpecFault, "text/plain"):
            self.generate()

    def test_multipart_bodies_map_to_a_file_part_and_plain_fields(self):
        name = self.ops[1]["operationId"]
        self.ops[1]["requestBody"] = {"contentType": "multipart/form-data", "requiredFields": ["file"],
                                      "fields": {"file": {"type": "string", "format": "binary"},
                                                 "name": {"type": "string"},
                                                 "hidden": {"type": "boolean", "default": False}}}
        spec = self.spec(name)
        body = spec["request"]["body"]
        self.assertEqual(body, {"kind": "multipart", "fields": {"name": "name", "hidden": "hidden"},
                                "file": {"field": "file", "content_arg": "file_base64", "path_arg": "file_path",
                                         "filename_arg": "file_name"}})
        props = spec["inputSchema"]["properties"]
        for arg in ("file_base64", "file_path", "file_name", "name"):
            self.assertEqual(props[arg]["type"], "string")
        self.assertEqual(props["hidden"], {"type": "boolean"})
        self.assertNotIn("file_base64", spec["inputSchema"]["required"])
        self.assertIn({"hook": "exactly_one_of", "args": ["file_base64", "file_path"]}, spec["preconditions"])
        self.ops[1]["requestBody"]["fields"]["name"]["format"] = "binary"
        with self.assertRaisesRegex(SpecFault, "exactly one binary field"):
            self.generate()

    def test_argument_collisions_fail_unless_renamed(self):
        self.ops[1]["requestBody"]["attributes"]["fields_profile"] = {"type": "string"}
        with self.assertRaisesRegex(SpecFault, "fields_profile"):
            self.generate()
        self.cur["tools"]["update_widget"]["args"] = {"attribute.fields_profile": "profile_fields_note"}
        spec = self.spec("update_widget")
        self.assertEqual(spec["request"]["body"]["attributes"]["profile_fields_note"], {"attribute": "fields_profile"})

    def test_unknown_limit_notes_fail_loudly(self):
        self.ops[0]["limitNotes"].append("Only on Tuesdays.")
        with self.assertRaisesRegex(SpecFault, "Only on Tuesdays"):
            self.generate()


class RulesTest(ImporterCase):
    def test_annotations_follow_method_and_verbs(self):
        specs = self.generate()

        def hints(name):
            a = specs[f"widget_things/{name}.json"]["annotations"]
            return a["readOnlyHint"], a["destructiveHint"], a["idempotentHint"], a["openWorldHint"]

        self.assertEqual(hints("get_widgets"), (True, False, True, True))
        self.assertEqual(hints("update_widget"), (False, False, True, True))
        self.assertEqual(hints("delete_widget_job"), (False, True, True, True))
        self.assertEqual(hints("bulk_suppress_widgets"), (False, True, False, True))
        self.assertEqual(hints("bulk_unsuppress_widgets"), (False, False, False, True))  # whole words only
        self.assertEqual(hints("create_or_update_widget"), (False, False, True, True))  # an upsert

    def test_curation_overrides_annotations(self):
        self.cur["tools"]["add_gadgets_to_push_token"]["annotations"] = {"idempotentHint": True}
        self.assertTrue(self.spec("add_gadgets_to_push_token")["annotations"]["idempotentHint"])
        self.cur["tools"]["add_gadgets_to_push_token"]["annotations"] = {"idempotent": True}
        with self.assertRaisesRegex(SpecFault, "unknown annotation"):
            self.generate()

    def test_conditional_rate_uses_the_wire_value_and_a_shared_bucket(self):
        spec = self.spec("get_widgets")
        self.assertEqual(spec["rate"]["conditional"], [
            {"arg": "include", "value": "gadgets", "bucket": "include=gadgets", "burst": 1, "steady": 15}])
        self.assertIn("1/s, 15/min with include=gadgets", spec["description"])

    def test_response_kind_and_no_output_schema(self):
        specs = self.generate()
        collection = specs["widget_things/get_widgets.json"]
        self.assertEqual(collection["response"], {"kind": "collection"})
        self.assertEqual(specs["widget_things/delete_widget_job.json"]["response"], {"kind": "empty"})
        self.assertNotIn("outputSchema", collection)  # generated by the server from the kind

    def test_curated_preconditions_replace_rule_entries_and_must_name_arguments(self):
        self.cur["tools"]["add_gadgets_to_push_token"]["preconditions"] = [
            {"hook": "max_items", "arg": "gadget_ids", "max": 500}]
        self.assertEqual(self.spec("add_gadgets_to_push_token")["preconditions"],
                         [{"hook": "max_items", "arg": "gadget_ids", "max": 500}])
        self.cur["tools"]["add_gadgets_to_push_token"]["preconditions"] = [
            {"hook": "at_least_one_of", "args": ["gadget_ids", "sprocket_ids"]}]
        with self.assertRaisesRegex(SpecFault, "sprocket_ids"):
            self.generate()

    def test_a_job_start_needs_a_curated_poll_tool_and_gets_counters_from_the_job_fields(self):
        job_start = self.ops[3]  # bulk_suppress_widgets: 202 with a widget-bulk-job
        job_start["async"] = True
        job_start["queryParams"] = [{"name": "fields[widget-bulk-job]", "type": "array", "csv": True,
                                     "itemEnum": ["completed_count", "status", "total_count"]}]
        with self.assertRaisesRegex(SpecFault, "starts a job.*poll_tool"):
            self.generate()
        self.cur["tools"]["bulk_suppress_widgets"]["job"] = {"poll_tool": "get_sprockets"}
        self.cur["global"]["job_status"] = {"attribute": "status", "running": ["queued", "processing"]}
        with self.assertRaisesRegex(SpecFault, "get_sprockets.*not an operation"):
            self.generate()
        self.cur["tools"]["bulk_suppress_widgets"]["job"] = {"poll_tool": "get_widgets"}
        self.assertEqual(self.spec("bulk_suppress_widgets")["job"], {
            "poll_tool": "get_widgets",
            "status": {"attribute": "status", "running": ["processing", "queued"]},
            "counters": {"completed": "completed_count", "total": "total_count"}})
        self.cur["tools"]["bulk_suppress_widgets"]["job"]["wait"] = True
        with self.assertRaisesRegex(SpecFault, "unknown keys"):
            self.generate()

    def test_descriptions_are_required_and_bounded(self):
        del self.cur["tools"]["get_widgets"]["description"]
        with self.assertRaisesRegex(SpecFault, "no description"):
            self.generate()
        self.cur["tools"]["get_widgets"]["description"] = "Long. " * 80
        with self.assertRaisesRegex(SpecFault, "characters"):
            self.generate()

    def test_core_and_customer_content_are_written_only_when_curated(self):
        self.cur["tools"]["get_widgets"].update({"core": True, "customer_content": True})
        specs = self.generate()
        self.assertTrue(specs["widget_things/get_widgets.json"]["core"])
        self.assertTrue(specs["widget_things/get_widgets.json"]["customer_content"])
        self.assertNotIn("core", specs["widget_things/update_widget.json"])
        self.assertNotIn("customer_content", specs["widget_things/update_widget.json"])

    def test_exposure_flags_must_be_true_and_core_stays_small(self):
        def load():
            (self.root / "curation.json").write_text(json.dumps(self.cur))
            return curation.load(self.root / "curation.json")

        self.cur["tools"]["get_widgets"]["core"] = False
        with self.assertRaisesRegex(SpecFault, "core must be true"):
            load()
        del self.cur["tools"]["get_widgets"]["core"]
        self.cur["global"]["max_core_tools"] = 2
        for name in ("get_widgets", "update_widget", "get_other"):
            self.cur["tools"][name]["core"] = True
        with self.assertRaisesRegex(SpecFault, "3 tools are core"):
            load()
        del self.cur["tools"]["get_other"]["core"]
        self.assertEqual(len([e for e in load()["tools"].values() if e.get("core")]), 2)

class AliasTest(ImporterCase):
    def test_seed_actions_add_snake_old_and_upper_case_names(self):
        spec = self.spec("add_gadgets_to_push_token")
        self.assertEqual(spec["title"], "Add Gadget To Token")
        self.assertEqual(spec["aliases"], ["add_gadget_to_token", "create_push_token_relationships_gadgets",
                                           "KLAVIYO_ADD_GADGET_TO_TOKEN"])
        self.assertEqual(self.spec("get_widgets")["title"], "Get Widgets")

    def test_an_alias_that_names_another_tool_fails(self):
        self.ops[0]["aliases"] = ["update_widget"]
        with self.assertRaisesRegex(SpecFault, "update_widget"):
            self.generate()

    def test_two_tools_claiming_one_alias_fail(self):
        self.ops[0]["aliases"] = ["old_widget_call"]
        self.ops[1]["aliases"] = ["OLD_WIDGET_CALL"]
        with self.assertRaisesRegex(SpecFault, "claimed by both"):
            self.generate()


class CompactSchemaTest(unittest.TestCase):
    def test_conversions(self):
        self.assertEqual(to_json_schema({"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": True}, "x"),
                         {"type": ["string", "number"]})
        self.assertEqual(to_json_schema({"type": "object", "keys": ["a", "b"]}, "x"),
                         {"type": "object", "description": "Keys: a, b."})
        self.assertEqual(to_json_schema({"type": "string", "format": "date-time", "default": "now"}, "x"),
                         {"type": "string", "format": "date-time"})
        self.assertEqual(to_json_schema({"type": "string", "format": "uri"}, "x"), {"type": "string"})
        self.assertEqual(to_json_schema({"nullable": True}, "x"), {})  # constrains nothing
        with self.assertRaisesRegex(SpecFault, "nothing to convert"):
            to_json_schema({"maxProperties": 3}, "x")
        self.assertEqual(to_json_schema({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}, "x"),
                         {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})


class WriteAndCheckTest(ImporterCase):
    def test_write_removes_stale_files_and_check_reports_drift(self):
        self.generate()  # writes the catalog files
        stale = self.root / "out" / "widget_things" / "gone_tool.json"
        stale.parent.mkdir(parents=True)
        stale.write_text("{}\n")
        code, _ = self.run_main()
        self.assertEqual(code, 0)
        self.assertFalse(stale.exists())
        written = json.loads((self.root / "out" / "widget_things" / "get_widgets.json").read_text())
        self.assertEqual(written["name"], "get_widgets")

        self.assertEqual(self.run_main("--check")[0], 0)
        self.cur["tools"]["get_widgets"]["description"] = "Changed words."
        code, report = self.run_main("--check")
        self.assertEqual(code, 1)
        self.assertIn("+", report)
        self.assertIn("Changed words.", report)

    def test_a_fault_exits_2_and_writes_nothing(self):
        self.generate()
        del self.cur["tools"]["get_widgets"]
        code, _ = self.run_main()
        self.assertEqual(code, 2)
        self.assertFalse((self.root / "out").exists())


if __name__ == "__main__":
    unittest.main()
