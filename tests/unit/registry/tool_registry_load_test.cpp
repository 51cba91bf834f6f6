#include <doctest/doctest.h>

#include "server/registry/output_schemas.hpp"
#include "server/registry/lazy_schema_validator.hpp"
#include "tests/unit/registry/spec_fixture.hpp"

namespace kmcp {
namespace {

namespace http = boost::beast::http;
using test::SpecFiles;

struct Loaded {
  HookTable hooks = test::fake_hooks();
  SpecFiles files;
  ToolRegistry registry;

  Loaded() : registry(load()) {}
  ToolRegistry load() {
    files.add(test::update_list_spec())
        .add(test::get_profiles_spec())
        .add(test::remove_profiles_spec())
        .add(test::bulk_import_spec());
    return ToolRegistry::load(files.files(), hooks);
  }
};

TEST_CASE("tools() is ordered by toolset, then name") {
  Loaded l;
  std::vector<std::string> names;
  for (const auto& tool : l.registry.tools()) names.push_back(tool->name);
  CHECK(names == std::vector<std::string>{"remove_profiles_from_list", "update_list", "bulk_import_profiles", "get_profiles"});
}

TEST_CASE("find() by name and by alias returns the same spec; unknown names find nothing") {
  Loaded l;
  const auto* by_name = l.registry.find("update_list");
  REQUIRE(by_name != nullptr);
  CHECK(l.registry.find("rename_list") == by_name);
  CHECK(l.registry.find("KLAVIYO_RENAME_LIST") == by_name);
  CHECK(l.registry.find("update_lists") == nullptr);
  CHECK(l.registry.find("") == nullptr);
}

TEST_CASE("identity, request path and resource body") {
  Loaded l;
  const auto& spec = *l.registry.find("update_list");
  CHECK(spec.title == "Update List");
  CHECK(spec.toolset == "lists");
  CHECK(spec.description == "Renames a list.");
  CHECK(spec.aliases == std::vector<std::string>{"rename_list", "KLAVIYO_RENAME_LIST"});
  CHECK(spec.scopes == std::vector<std::string>{"lists:write"});
  CHECK_FALSE(spec.public_key_auth);
  CHECK_FALSE(spec.annotations.read_only);
  CHECK(spec.annotations.idempotent);
  CHECK(spec.method == http::verb::patch);
  CHECK(spec.path == "/api/lists/{id}");
  CHECK(spec.path_args == std::map<std::string, std::string>{{"id", "list_id"}});
  CHECK(spec.query.empty());
  CHECK(spec.body.kind == BodySpec::Kind::resource);
  CHECK(spec.body.type == "list");
  CHECK(spec.body.id_arg == "list_id");
  REQUIRE(spec.body.attributes.size() == 1);
  CHECK(spec.body.attributes.at("name").attribute == "name");
  CHECK(spec.body.attributes.at("name").wrap.empty());
  CHECK(spec.response_kind == "resource");
}

TEST_CASE("core and customer_content are read, and default to false") {
  HookTable hooks = test::fake_hooks();
  auto flagged = test::get_profiles_spec();
  flagged["core"] = true;
  flagged["customer_content"] = true;
  SpecFiles files;
  files.add(flagged).add(test::update_list_spec());
  const auto registry = ToolRegistry::load(files.files(), hooks);
  CHECK(registry.find("get_profiles")->core);
  CHECK(registry.find("get_profiles")->customer_content);
  CHECK_FALSE(registry.find("update_list")->core);
  CHECK_FALSE(registry.find("update_list")->customer_content);
}

TEST_CASE("rate: own bucket keyed by tool name; conditional buckets keyed by their shared name") {
  Loaded l;
  const auto& update = *l.registry.find("update_list");
  CHECK(update.rate.key == "update_list");
  CHECK(update.rate.limits.per_second == 10);
  CHECK(update.rate.limits.per_minute == 150);
  CHECK_FALSE(update.rate.limits.per_day.has_value());
  CHECK(update.conditional_rates.empty());

  const auto& profiles = *l.registry.find("get_profiles");
  CHECK(profiles.rate.key == "get_profiles");
  CHECK(profiles.rate.limits.per_day == 50000);
  REQUIRE(profiles.conditional_rates.size() == 1);
  const auto& c = profiles.conditional_rates.front();
  CHECK(c.arg == "include");
  CHECK(c.value == "list");
  CHECK(c.bucket.key == "include=list");
  CHECK(c.bucket.limits.per_second == 1);
  CHECK(c.bucket.limits.per_minute == 15);
  CHECK(c.bucket.limits.per_day == 100);
}

TEST_CASE("query parameters keep style, allowed items and filter fields") {
  Loaded l;
  const auto& q = l.registry.find("get_profiles")->query;
  REQUIRE(q.size() == 5);
  CHECK(q[0].param == "fields[profile]");
  CHECK(q[0].arg == "fields_profile");
  CHECK(q[0].style == QueryParamSpec::Style::csv);
  CHECK(q[0].allowed == std::vector<std::string>{"email", "first_name"});
  CHECK(q[1].style == QueryParamSpec::Style::filter);
  CHECK(q[1].filter_fields == std::map<std::string, std::vector<std::string>>{{"email", {"any", "equals"}}});
  CHECK(q[3].style == QueryParamSpec::Style::plain);
  CHECK(q[4].style == QueryParamSpec::Style::cursor);
  CHECK(l.registry.find("get_profiles")->body.kind == BodySpec::Kind::none);
}

TEST_CASE("relationships body, DELETE and public key auth") {
  Loaded l;
  const auto& spec = *l.registry.find("remove_profiles_from_list");
  CHECK(spec.method == http::verb::delete_);
  CHECK(spec.public_key_auth);
  CHECK(spec.body.kind == BodySpec::Kind::relationships);
  CHECK(spec.body.type == "profile");
  CHECK(spec.body.ids_arg == "profile_ids");
  CHECK(spec.response_kind == "empty");
  CHECK(spec.title.empty());
}

TEST_CASE("wrapped attributes and relationships") {
  Loaded l;
  const auto& body = l.registry.find("bulk_import_profiles")->body;
  const auto& profiles = body.attributes.at("profiles");
  CHECK(profiles.attribute == "profiles");
  CHECK(profiles.wrap == "resource_list");
  CHECK(profiles.type == "profile");
  const auto& list = body.relationships.at("list_id");
  CHECK(list.name == "lists");
  CHECK(list.type == "list");
  CHECK_FALSE(list.many);
}

TEST_CASE("preconditions keep their settings without the hook name") {
  Loaded l;
  const auto& p = l.registry.find("update_list")->preconditions;
  REQUIRE(p.size() == 1);
  CHECK(p[0].hook == "uses_arg");
  CHECK(p[0].settings == json::object{{"arg", "name"}, {"note", "kept"}});
  const auto& q = l.registry.find("bulk_import_profiles")->preconditions;
  REQUIRE(q.size() == 1);
  CHECK(q[0].settings.empty());
}

TEST_CASE("the input schema is kept and compiled") {
  Loaded l;
  const auto& spec = *l.registry.find("update_list");
  const auto written = test::update_list_spec();  // a local: g++12 mishandles the temporary here
  json::object input = spec.input_schema;
  input["properties"].as_object().erase("dry_run");  // the server's own (safe_write_arguments_test)
  CHECK(input == written.at("inputSchema").as_object());
  REQUIRE(spec.validator != nullptr);
  CHECK(spec.validator->validate(json::parse(R"({"list_id": "Y6nRLr", "name": "VIP"})")).empty());
  auto violations = spec.validator->validate(json::parse(R"({"list_id": "Y6nRLr"})"));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].pointer == "/name");
}

TEST_CASE("the output schema comes from the result kind") {
  Loaded l;
  CHECK(l.registry.find("update_list")->output_schema == output_schema_for(ResultKind::single));
  CHECK(l.registry.find("get_profiles")->output_schema == output_schema_for(ResultKind::list));
  CHECK(l.registry.find("bulk_import_profiles")->output_schema == output_schema_for(ResultKind::job));
  CHECK(l.registry.find("remove_profiles_from_list")->output_schema == output_schema_for(ResultKind::empty));
  for (auto kind : {ResultKind::list, ResultKind::single, ResultKind::job, ResultKind::empty})
    CHECK(output_schema_for(kind).at("type") == "object");

  // What programs rely on is required.
  const SchemaValidator list(output_schema_for(ResultKind::list));
  CHECK(list.validate(json::parse(R"({"data":[{"type":"list","id":"L1"}],"has_more":false,"notice":"n"})")).empty());
  CHECK_FALSE(list.validate(json::parse(R"({"data":[]})")).empty());
  CHECK_FALSE(list.validate(json::parse(R"({"data":{},"has_more":true})")).empty());
  const SchemaValidator single(output_schema_for(ResultKind::single));
  CHECK(single.validate(json::parse(R"({"data":null})")).empty());
  CHECK_FALSE(single.validate(json::parse(R"({"data":[]})")).empty());
  const SchemaValidator job(output_schema_for(ResultKind::job));
  CHECK_FALSE(job.validate(json::parse(R"({"data":{},"job":{"status":"queued"}})")).empty());
  const SchemaValidator empty(output_schema_for(ResultKind::empty));
  CHECK(empty.validate(json::parse(R"({"ok":true,"status":204})")).empty());
  CHECK_FALSE(empty.validate(json::parse(R"({"ok":true})")).empty());
}

TEST_CASE("list tools get max_items, checked by their schema") {
  Loaded l;
  const auto& list = *l.registry.find("get_profiles");
  CHECK(list.input_schema.at("properties").at("max_items") ==
        json::parse(R"({"type":"integer","minimum":1,"maximum":1000,
          "description":"Read pages until this many records; the rest via next_cursor."})"));
  CHECK(list.validator->validate(json::parse(R"({"max_items": 300})")).empty());
  CHECK_FALSE(list.validator->validate(json::parse(R"({"max_items": 1001})")).empty());
  CHECK_FALSE(list.validator->validate(json::parse(R"({"max_items": 0})")).empty());
  CHECK_FALSE(l.registry.find("update_list")->input_schema.at("properties").as_object().contains("max_items"));
}

TEST_CASE("listing is the tools/list entry") {
  Loaded l;
  const auto& spec = *l.registry.find("update_list");
  json::object expected = {
      {"name", "update_list"},
      {"title", "Update List"},
      {"description", "Renames a list."},
      {"inputSchema", spec.input_schema},
      {"outputSchema", spec.output_schema},
      {"annotations", {{"title", "Update List"},
                       {"readOnlyHint", false},
                       {"destructiveHint", false},
                       {"idempotentHint", true},
                       {"openWorldHint", true}}},
  };
  CHECK(spec.listing == expected);

  // No title: the key does not appear; aliases are never listed.
  const auto& remove = l.registry.find("remove_profiles_from_list")->listing;
  CHECK_FALSE(remove.contains("title"));
  CHECK(remove.at("outputSchema") == output_schema_for(ResultKind::empty));
  CHECK_FALSE(remove.at("annotations").as_object().contains("title"));
  CHECK(remove.at("annotations").at("destructiveHint") == true);
  CHECK(json::serialize(spec.listing).find("rename_list") == std::string::npos);
}

TEST_CASE("an empty set of files is a valid, empty registry") {
  SpecFiles none;
  auto registry = ToolRegistry::load(none.files(), test::fake_hooks());
  CHECK(registry.tools().empty());
  CHECK(registry.find("update_list") == nullptr);
}

TEST_CASE("a spec file at the top level (no toolset folder) is accepted when named after its tool") {
  SpecFiles files;
  files.add("update_list.json", json::serialize(test::update_list_spec()));
  CHECK(test::load_fault(files) == "");
}

}  // namespace
}  // namespace kmcp
