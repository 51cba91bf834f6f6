// Startup refuses an inconsistent spec, naming the file and the fault.
#include <doctest/doctest.h>

#include "server/registry/lazy_schema_validator.hpp"
#include "tests/unit/registry/spec_fixture.hpp"

namespace kmcp {
namespace {

using test::load_fault;
using test::SpecFiles;

json::object& at(json::object& o, std::string_view key) { return o.at(key).as_object(); }
json::object& request(json::object& spec) { return at(spec, "request"); }
json::object& properties(json::object& spec) { return at(at(spec, "inputSchema"), "properties"); }

// The fault must name the file and contain `expected`.
void refused(const json::object& spec, const std::string& expected) {
  const std::string file = std::string(spec.at("toolset").as_string()) + "/" + std::string(spec.at("name").as_string()) + ".json";
  const auto fault = load_fault(spec);
  CAPTURE(fault);
  CHECK(fault.starts_with(file + ": "));
  CHECK(fault.find(expected) != std::string::npos);
}

TEST_CASE("the starting specs themselves load") {
  SpecFiles files;
  files.add(test::update_list_spec()).add(test::get_profiles_spec()).add(test::remove_profiles_spec()).add(test::bulk_import_spec());
  CHECK(load_fault(files) == "");
}

TEST_CASE("malformed JSON and non-object documents") {
  SpecFiles broken;
  broken.add("lists/x.json", R"({"name": "x",)");
  CHECK(load_fault(broken).starts_with("lists/x.json: not valid JSON"));
  SpecFiles array;
  array.add("lists/y.json", "[1]");
  CHECK(load_fault(array) == "lists/y.json: a spec must be a JSON object");
}

TEST_CASE("with several broken files, the fault reported is the first in file order") {
  // Loading is split across threads; the report must not depend on which finishes first.
  for (const std::size_t count : {2u, 3u, 9u, 40u}) {
    SpecFiles files;
    for (std::size_t i = 0; i < count; ++i)
      files.add("lists/broken" + std::to_string(i) + ".json", i == 0 ? std::string("[1]") : std::string("{"));
    CHECK(load_fault(files) == "lists/broken0.json: a spec must be a JSON object");
  }
  SpecFiles last_only;
  last_only.add(test::update_list_spec()).add(test::get_profiles_spec()).add("lists/late.json", "[2]");
  CHECK(load_fault(last_only) == "lists/late.json: a spec must be a JSON object");
}

TEST_CASE("missing and ill-typed fields are named by their path") {
  auto spec = test::update_list_spec();
  spec.erase("description");
  refused(spec, "'description' is missing");

  SpecFiles numeric_name;
  spec = test::update_list_spec();
  spec["name"] = 5;
  numeric_name.add("lists/update_list.json", json::serialize(spec));
  CHECK(load_fault(numeric_name) == "lists/update_list.json: 'name' must be a string");

  spec = test::update_list_spec();
  at(spec, "annotations")["readOnlyHint"] = "no";
  refused(spec, "'annotations.readOnlyHint' must be true or false");

  spec = test::update_list_spec();
  spec["core"] = "yes";
  refused(spec, "'core' must be true or false");

  spec = test::update_list_spec();
  request(spec).erase("method");
  refused(spec, "'request.method' is missing");

  spec = test::update_list_spec();
  request(spec)["method"] = "FETCH";
  refused(spec, "'request.method' is 'FETCH'");

  spec = test::update_list_spec();
  spec["aliases"] = json::array{"ok", 3};
  refused(spec, "'aliases' must hold only non-empty strings");

  spec = test::update_list_spec();
  spec.erase("inputSchema");
  refused(spec, "'inputSchema' is missing");

  spec = test::update_list_spec();
  spec["response"] = json::object{{"kind", "stream"}};
  refused(spec, "'response.kind' is 'stream'");

  spec = test::update_list_spec();
  spec["auth"] = "oauth";
  refused(spec, "'auth' is 'oauth'");

  spec = test::update_list_spec();
  spec["preconditions"] = json::array{json::object{{"arg", "name"}}};
  refused(spec, "'preconditions[0].hook' is missing");
}

TEST_CASE("misspelt fields are refused rather than ignored") {
  auto spec = test::update_list_spec();
  spec["precondition"] = json::array{};
  refused(spec, "'precondition' is not a known field");

  spec = test::update_list_spec();
  at(request(spec), "body")["attribute"] = json::object{};
  refused(spec, "'request.body.attribute' is not a known field");

  spec = test::get_profiles_spec();
  request(spec).at("query").as_array()[3].as_object()["styl"] = "plain";
  refused(spec, "'request.query[3].styl' is not a known field");
}

TEST_CASE("invalid tool names and aliases") {
  auto spec = test::update_list_spec();
  spec["aliases"] = json::array{"rename list"};
  refused(spec, "'rename list', not a valid tool name");
}

TEST_CASE("the file must sit at <toolset>/<name>.json") {
  SpecFiles wrong_name;
  wrong_name.add("lists/rename.json", json::serialize(test::update_list_spec()));
  CHECK(load_fault(wrong_name) == "lists/rename.json: the file of tool 'update_list' must be named update_list.json");
  SpecFiles wrong_folder;
  wrong_folder.add("profiles/update_list.json", json::serialize(test::update_list_spec()));
  CHECK(load_fault(wrong_folder) == "profiles/update_list.json: toolset 'lists' does not match the folder 'profiles'");
}

TEST_CASE("duplicate names and aliases across files") {
  auto twin = test::update_list_spec();
  twin["toolset"] = "profiles";
  twin["aliases"] = json::array{};
  SpecFiles names;
  names.add(test::update_list_spec()).add(twin);
  CHECK(load_fault(names) ==
        "profiles/update_list.json: name 'update_list' is already taken by tool 'update_list' (lists/update_list.json)");

  auto alias_is_a_name = test::get_profiles_spec();
  alias_is_a_name["aliases"] = json::array{"update_list"};
  SpecFiles a;
  a.add(test::update_list_spec()).add(alias_is_a_name);
  CHECK(load_fault(a) == "profiles/get_profiles.json: alias 'update_list' is already taken by tool 'update_list' (lists/update_list.json)");

  // A name that an earlier file already uses as an alias.
  auto name_is_an_alias = test::get_profiles_spec();
  name_is_an_alias["name"] = "rename_list";
  SpecFiles b;
  b.add(test::update_list_spec()).add("profiles/rename_list.json", json::serialize(name_is_an_alias));
  CHECK(load_fault(b) == "profiles/rename_list.json: name 'rename_list' is already taken by tool 'update_list' (lists/update_list.json)");

  auto same_alias = test::get_profiles_spec();
  same_alias["aliases"] = json::array{"KLAVIYO_RENAME_LIST"};
  SpecFiles c;
  c.add(test::update_list_spec()).add(same_alias);
  CHECK(load_fault(c).find("alias 'KLAVIYO_RENAME_LIST' is already taken by tool 'update_list'") != std::string::npos);

  auto own_name = test::update_list_spec();
  own_name["aliases"] = json::array{"update_list"};
  refused(own_name, "alias 'update_list' is already taken by tool 'update_list'");
}

TEST_CASE("path placeholders and path_args must match, and name required schema arguments") {
  auto spec = test::update_list_spec();
  request(spec)["path"] = "/api/lists/{id}/{sub}";
  refused(spec, "placeholder '{sub}' has no entry in request.path_args");

  spec = test::update_list_spec();
  at(request(spec), "path_args")["other"] = "name";
  refused(spec, "request.path_args names 'other', which is not a placeholder");

  spec = test::update_list_spec();
  at(request(spec), "path_args")["id"] = "list";
  refused(spec, "argument 'list' used by request.path_args is not in inputSchema.properties");

  spec = test::update_list_spec();
  at(spec, "inputSchema")["required"] = json::array{"name"};
  refused(spec, "path argument 'list_id' must be listed in inputSchema.required");

  spec = test::update_list_spec();
  request(spec)["path"] = "/api/lists/{id";
  refused(spec, "malformed placeholder");
}

TEST_CASE("every argument the request uses is declared") {
  auto spec = test::get_profiles_spec();
  request(spec).at("query").as_array()[1].as_object()["arg"] = "where";
  refused(spec, "argument 'where' used by request.query 'filter' is not in inputSchema.properties");

  spec = test::update_list_spec();
  at(request(spec), "body")["id_arg"] = "id";
  refused(spec, "argument 'id' used by request.body.id_arg is not in inputSchema.properties");

  spec = test::update_list_spec();
  at(at(request(spec), "body"), "attributes")["title"] = json::object{{"attribute", "title"}};
  refused(spec, "argument 'title' used by request.body.attributes is not in inputSchema.properties");

  spec = test::bulk_import_spec();
  at(at(request(spec), "body"), "relationships")["segment_id"] = json::object{{"name", "segment"}, {"type", "segment"}};
  refused(spec, "argument 'segment_id' used by request.body.relationships is not in inputSchema.properties");

  spec = test::remove_profiles_spec();
  at(request(spec), "body")["ids_arg"] = "ids";
  refused(spec, "argument 'ids' used by request.body.ids_arg is not in inputSchema.properties");

  spec = test::get_profiles_spec();
  at(spec, "rate").at("conditional").as_array()[0].as_object()["arg"] = "includes";
  refused(spec, "rate.conditional uses the argument 'includes'");
}

TEST_CASE("every declared argument is used by the request or a hook") {
  auto spec = test::update_list_spec();
  properties(spec)["extra"] = json::object{{"type", "string"}};
  refused(spec, "inputSchema property 'extra' is not used by the request (path, query, body) or by any precondition");

  // The precondition is the only user of "name" once the body stops writing it.
  spec = test::update_list_spec();
  at(request(spec), "body").erase("attributes");
  CHECK(load_fault(spec) == "");
  spec.erase("preconditions");
  refused(spec, "inputSchema property 'name' is not used");
}

TEST_CASE("hooks must exist and accept their settings") {
  auto spec = test::update_list_spec();
  spec["preconditions"] = json::array{json::object{{"hook", "no_such_hook"}}};
  refused(spec, "preconditions[0] (no_such_hook): unknown hook 'no_such_hook'");

  spec = test::update_list_spec();
  spec["preconditions"] = json::array{json::object{{"hook", "uses_arg"}, {"arg", "nickname"}}};
  refused(spec, "preconditions[0] (uses_arg): argument 'nickname' is not declared");
}

TEST_CASE("the input schema is an object schema that refuses unknown arguments") {
  auto spec = test::update_list_spec();
  at(spec, "inputSchema")["type"] = "array";
  refused(spec, "inputSchema must have \"type\": \"object\" at its root");

  spec = test::update_list_spec();
  at(spec, "inputSchema").erase("additionalProperties");
  refused(spec, "\"additionalProperties\": false");

  spec = test::update_list_spec();
  at(spec, "inputSchema")["required"] = json::array{"list_id", "name", "ghost"};
  refused(spec, "inputSchema.required names 'ghost'");
}

TEST_CASE("what the server adds itself cannot be written in a spec") {
  auto spec = test::update_list_spec();
  spec["outputSchema"] = json::object{{"type", "object"}};  // one shared shape per result kind
  refused(spec, "'outputSchema' is not a known field");

  spec = test::get_profiles_spec();
  properties(spec)["max_items"] = json::object{{"type", "integer"}};
  refused(spec, "inputSchema property 'max_items'");
}

TEST_CASE("schemas that do not compile are refused") {
  auto spec = test::update_list_spec();
  properties(spec)["name"] = json::object{{"type", "strng"}};
  refused(spec, "'inputSchema' is not a usable schema");

  spec = test::update_list_spec();
  properties(spec)["name"] = json::object{{"type", "string"}, {"pattern", "[a-"}};
  refused(spec, "invalid pattern '[a-'");
}

TEST_CASE("compiling on first use loads such a schema, and its first call meets the fault instead") {
  auto bad = test::update_list_spec();
  properties(bad)["name"] = json::object{{"type", "strng"}};
  SpecFiles files;
  files.add(bad);
  const auto hooks = test::fake_hooks();
  const auto registry = ToolRegistry::load(files.files(), hooks, ToolRegistry::SchemaCompilation::on_first_use);
  const ToolSpec* spec = registry.find("update_list");
  REQUIRE(spec);
  CHECK_THROWS_WITH_AS(spec->validator->validate(json::object{}), doctest::Contains("strng"), std::runtime_error);

  // A usable schema judges arguments the same either way.
  SpecFiles good;
  good.add(test::update_list_spec());
  const auto eager = ToolRegistry::load(good.files(), hooks);
  const auto lazy = ToolRegistry::load(good.files(), hooks, ToolRegistry::SchemaCompilation::on_first_use);
  const json::value wrong = json::object{{"list_id", 7}};
  const auto from_eager = eager.find("update_list")->validator->validate(wrong);
  const auto from_lazy = lazy.find("update_list")->validator->validate(wrong);
  REQUIRE_FALSE(from_eager.empty());
  REQUIRE(from_lazy.size() == from_eager.size());
  CHECK(from_lazy[0].message == from_eager[0].message);
}

TEST_CASE("rate limits must be present and positive") {
  auto spec = test::update_list_spec();
  at(spec, "rate").erase("burst");
  refused(spec, "'rate.burst' is missing");

  spec = test::update_list_spec();
  at(spec, "rate")["steady"] = 0;
  refused(spec, "'rate.steady' must be greater than 0");

  spec = test::update_list_spec();
  at(spec, "rate")["burst"] = -3;
  refused(spec, "'rate.burst' must be greater than 0");

  spec = test::update_list_spec();
  at(spec, "rate")["daily"] = 1.5;
  refused(spec, "'rate.daily' must be an integer");

  spec = test::get_profiles_spec();
  at(spec, "rate").at("conditional").as_array()[0].as_object().erase("bucket");
  refused(spec, "'rate.conditional[0].bucket' is missing");

  spec = test::update_list_spec();
  spec.erase("rate");
  refused(spec, "'rate' is missing");
}

TEST_CASE("annotations must agree with the HTTP method") {
  auto spec = test::get_profiles_spec();
  at(spec, "annotations")["readOnlyHint"] = false;
  refused(spec, "a GET tool must have readOnlyHint true and destructiveHint false");

  spec = test::get_profiles_spec();
  at(spec, "annotations")["destructiveHint"] = true;
  refused(spec, "a GET tool must have readOnlyHint true and destructiveHint false");

  spec = test::update_list_spec();
  at(spec, "annotations")["readOnlyHint"] = true;
  refused(spec, "only GET and POST tools may have readOnlyHint true (this one is PATCH)");

  spec = test::remove_profiles_spec();
  at(spec, "annotations")["destructiveHint"] = false;
  refused(spec, "a DELETE tool must have destructiveHint true");

  spec = test::update_list_spec();
  at(spec, "annotations").erase("openWorldHint");
  refused(spec, "'annotations.openWorldHint' is missing");
}

TEST_CASE("query styles, body kinds and their options") {
  auto spec = test::get_profiles_spec();
  request(spec).at("query").as_array()[3].as_object()["style"] = "json";
  refused(spec, "'request.query[3].style' is 'json'; expected plain, csv, filter or cursor");

  spec = test::get_profiles_spec();
  request(spec).at("query").as_array()[3].as_object()["allowed"] = json::array{"10"};
  refused(spec, "'request.query[3].allowed' applies only to style csv");

  spec = test::get_profiles_spec();
  request(spec).at("query").as_array()[0].as_object()["filter_fields"] = json::object{};
  refused(spec, "'request.query[0].filter_fields' applies only to style filter");

  spec = test::get_profiles_spec();
  auto& q = request(spec).at("query").as_array();
  q.push_back(q[3]);
  refused(spec, "request.query has the parameter 'page[size]' twice");

  spec = test::update_list_spec();
  at(request(spec), "body")["kind"] = "form";
  refused(spec, "'request.body.kind' is 'form'; expected none, resource, relationships or multipart");

  spec = test::update_list_spec();
  at(request(spec), "body")["kind"] = "multipart";  // a resource body's keys do not fit a multipart body
  refused(spec, "'request.body.type' is not a known field");

  spec = test::remove_profiles_spec();
  at(request(spec), "body").erase("ids_arg");
  refused(spec, "'request.body.ids_arg' is missing");

  spec = test::bulk_import_spec();
  at(at(at(request(spec), "body"), "attributes"), "profiles")["wrap"] = "list";
  refused(spec, "the wraps are resource_list and id_list");

  spec = test::bulk_import_spec();
  at(at(at(request(spec), "body"), "attributes"), "profiles")["wrap"] = "id_list";
  CHECK(load_fault(spec) == "");

  spec = test::bulk_import_spec();
  at(at(at(request(spec), "body"), "attributes"), "profiles")["relationships"] =
      json::object{{"list_id", json::object{{"name", "list"}, {"type", "list"}}}};
  CHECK(load_fault(spec) == "");
  at(at(at(request(spec), "body"), "attributes"), "profiles")["wrap"] = "id_list";
  refused(spec, "applies only with \"wrap\": \"resource_list\"");

  spec = test::get_profiles_spec();
  request(spec)["body"] = json::object{{"kind", "resource"}, {"type", "profile"}};
  refused(spec, "a GET request has no body");
}

TEST_CASE("body meta names declared arguments, each meta key once") {
  auto spec = test::update_list_spec();
  properties(spec)["note"] = json::object{{"type", "string"}};
  at(request(spec), "body")["meta"] = json::object{{"note", "description"}};
  at(request(spec), "body")["data_array"] = true;
  CHECK(load_fault(spec) == "");

  at(at(request(spec), "body"), "meta")["other"] = "description";
  properties(spec)["other"] = json::object{{"type", "string"}};
  refused(spec, "request.body.meta writes the key 'description' twice");

  spec = test::update_list_spec();
  at(request(spec), "body")["meta"] = json::object{{"note", "description"}};
  refused(spec, "argument 'note' used by request.body.meta is not in inputSchema.properties");

  spec = test::update_list_spec();
  at(request(spec), "body")["meta"] = json::object{{"note", 3}};
  refused(spec, "request.body.meta.note");
}

}  // namespace
}  // namespace kmcp
