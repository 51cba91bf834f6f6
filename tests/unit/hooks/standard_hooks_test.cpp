#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_registry.hpp"
#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

TEST_CASE("the standard table holds every hook the spec format names, each complete") {
  const HookTable table = make_standard_hooks();
  for (const char* name : {"at_least_one_of", "at_most_one_of", "exactly_one_of", "max_items", "valid_emails",
                           "e164_phones", "iso8601", "max_payload_bytes", "non_empty"}) {
    CAPTURE(name);
    const auto* hook = table.find(name);
    REQUIRE(hook != nullptr);
    CHECK(static_cast<bool>(hook->check));
    CHECK(static_cast<bool>(hook->check_settings));
  }
  CHECK(table.find("max_item") == nullptr);
}

TEST_CASE("the registry counts arguments that only a standard hook reads as used") {
  // "email" and "phone_number" go nowhere but the hook; without it they would be refused.
  const json::object spec = json::parse(R"({
    "name": "check_identity", "toolset": "profiles", "description": "d",
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true},
    "request": {"method": "POST", "path": "/api/x",
                "body": {"kind": "resource", "type": "x", "attributes": {"external_id": {"attribute": "external_id"}}}},
    "rate": {"burst": 1, "steady": 1},
    "preconditions": [{"hook": "at_least_one_of", "args": ["email", "phone_number", "external_id"]}],
    "inputSchema": {"type": "object", "properties": {"email": {"type": "string"}, "phone_number": {"type": "string"},
                    "external_id": {"type": "string"}}, "additionalProperties": false},
    "response": {"kind": "resource"}})").as_object();
  const std::string text = json::serialize(spec);
  const EmbeddedSpec file{"profiles/check_identity.json", text};
  const HookTable hooks = make_standard_hooks();
  const auto registry = ToolRegistry::load(std::span<const EmbeddedSpec>(&file, 1), hooks);
  CHECK(registry.find("check_identity") != nullptr);

  auto misnamed = spec;
  misnamed["preconditions"] = json::array{json::object{{"hook", "at_least_one_of"}, {"args", json::array{"email", "phone"}}}};
  const std::string bad_text = json::serialize(misnamed);
  const EmbeddedSpec bad{"profiles/check_identity.json", bad_text};
  CHECK_THROWS_WITH_AS(ToolRegistry::load(std::span<const EmbeddedSpec>(&bad, 1), hooks),
                       "profiles/check_identity.json: preconditions[0] (at_least_one_of): names the argument 'phone', "
                       "which is not in inputSchema.properties",
                       std::runtime_error);
}

TEST_CASE("every spec compiled into the binary loads with the standard hooks") {
  // The server refuses to start otherwise; this says which file is at fault first.
  const HookTable hooks = make_standard_hooks();
  const auto registry = ToolRegistry::load(embedded_specs(), hooks);
  CHECK(registry.tools().size() == embedded_specs().size());
}

}  // namespace
}  // namespace kmcp
