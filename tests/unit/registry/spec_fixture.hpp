#pragma once
// Small inline spec sets for registry tests: a few consistent specs to start from, edited per
// case, and a hook table with two fake hooks (the real hooks are tested in unit_hooks).
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_registry.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

// PATCH with path, resource body, attributes, one precondition.
inline json::object update_list_spec() {
  return json::parse(R"({
    "name": "update_list",
    "title": "Update List",
    "aliases": ["rename_list", "KLAVIYO_RENAME_LIST"],
    "toolset": "lists",
    "description": "Renames a list.",
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true},
    "scopes": ["lists:write"],
    "auth": "private_key",
    "request": {
      "method": "PATCH",
      "path": "/api/lists/{id}",
      "path_args": {"id": "list_id"},
      "body": {"kind": "resource", "type": "list", "id_arg": "list_id",
               "attributes": {"name": {"attribute": "name"}}}
    },
    "rate": {"burst": 10, "steady": 150},
    "preconditions": [{"hook": "uses_arg", "arg": "name", "note": "kept"}],
    "inputSchema": {"type": "object",
                    "properties": {"list_id": {"type": "string"}, "name": {"type": "string", "minLength": 1}},
                    "required": ["list_id", "name"], "additionalProperties": false},
    "response": {"kind": "resource"}
  })").as_object();
}

// GET collection with every query style and a conditional rate bucket.
inline json::object get_profiles_spec() {
  return json::parse(R"({
    "name": "get_profiles",
    "title": "Get Profiles",
    "toolset": "profiles",
    "description": "Lists profiles.",
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true},
    "scopes": ["profiles:read"],
    "request": {
      "method": "GET",
      "path": "/api/profiles",
      "query": [
        {"param": "fields[profile]", "arg": "fields_profile", "style": "csv", "allowed": ["email", "first_name"]},
        {"param": "filter", "arg": "filter", "style": "filter", "filter_fields": {"email": ["any", "equals"]}},
        {"param": "include", "arg": "include", "style": "csv"},
        {"param": "page[size]", "arg": "page_size", "style": "plain"},
        {"param": "page[cursor]", "arg": "page_cursor", "style": "cursor"}
      ]
    },
    "rate": {"burst": 75, "steady": 700, "daily": 50000,
             "conditional": [{"arg": "include", "value": "list", "bucket": "include=list", "burst": 1, "steady": 15, "daily": 100}]},
    "inputSchema": {"type": "object", "properties": {
        "fields_profile": {"type": "array", "items": {"type": "string"}},
        "filter": {"type": "string"},
        "include": {"type": "array", "items": {"type": "string", "enum": ["list", "segment"]}},
        "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
        "page_cursor": {"type": "string"}},
      "additionalProperties": false},
    "response": {"kind": "collection"}
  })").as_object();
}

// Relationships body, public key auth, DELETE.
inline json::object remove_profiles_spec() {
  return json::parse(R"({
    "name": "remove_profiles_from_list",
    "toolset": "lists",
    "description": "Removes profiles from a list.",
    "annotations": {"readOnlyHint": false, "destructiveHint": true, "idempotentHint": true, "openWorldHint": true},
    "auth": "public_key",
    "request": {
      "method": "DELETE",
      "path": "/api/lists/{id}/relationships/profiles",
      "path_args": {"id": "list_id"},
      "body": {"kind": "relationships", "type": "profile", "ids_arg": "profile_ids"}
    },
    "rate": {"burst": 10, "steady": 150},
    "inputSchema": {"type": "object", "properties": {
        "list_id": {"type": "string"},
        "profile_ids": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
      "required": ["list_id", "profile_ids"], "additionalProperties": false},
    "response": {"kind": "empty"}
  })").as_object();
}

// A resource body with a wrapped list attribute and a relationship.
inline json::object bulk_import_spec() {
  return json::parse(R"({
    "name": "bulk_import_profiles",
    "title": "Bulk Import Profiles",
    "toolset": "profiles",
    "description": "Imports profiles in bulk.",
    "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": false, "openWorldHint": true},
    "request": {
      "method": "POST",
      "path": "/api/profile-bulk-import-jobs",
      "body": {"kind": "resource", "type": "profile-bulk-import-job",
               "attributes": {"profiles": {"attribute": "profiles", "wrap": "resource_list", "type": "profile"}},
               "relationships": {"list_id": {"name": "lists", "type": "list", "many": false}}}
    },
    "rate": {"burst": 10, "steady": 150},
    "preconditions": [{"hook": "reads_nothing"}],
    "inputSchema": {"type": "object", "properties": {
        "profiles": {"type": "array", "items": {"type": "object"}},
        "list_id": {"type": "string"}},
      "required": ["profiles"], "additionalProperties": false},
    "response": {"kind": "resource"}
  })").as_object();
}

// "uses_arg" {"arg": name}: settings must name a declared argument; "reads_nothing" {}.
inline HookTable fake_hooks() {
  HookTable hooks;
  PreconditionHook uses_arg;
  uses_arg.check = [](const json::object&, const json::object&) { return std::optional<ToolError>{}; };
  uses_arg.check_settings = [](const json::object& settings, const json::object& schema) -> std::optional<std::string> {
    const auto* arg = settings.if_contains("arg");
    if (!arg || !arg->is_string()) return "setting 'arg' is missing";
    if (!schema.at("properties").as_object().contains(arg->get_string()))
      return "argument '" + std::string(arg->get_string()) + "' is not declared";
    return std::nullopt;
  };
  uses_arg.args_used = [](const json::object& settings) {
    return std::vector<std::string>{std::string(settings.at("arg").as_string())};
  };
  hooks.add("uses_arg", std::move(uses_arg));
  PreconditionHook reads_nothing;
  reads_nothing.check = [](const json::object&, const json::object&) { return std::optional<ToolError>{}; };
  hooks.add("reads_nothing", std::move(reads_nothing));  // no check_settings, no args_used
  return hooks;
}

// Spec files as the embedding provides them; owns the text the views point into.
class SpecFiles {
 public:
  SpecFiles& add(std::string path, std::string text) {
    const auto& p = storage_.emplace_back(std::move(path));
    const auto& t = storage_.emplace_back(std::move(text));
    files_.push_back(EmbeddedSpec{p, t});
    return *this;
  }
  // At <toolset>/<name>.json.
  SpecFiles& add(const json::object& spec) {
    return add(std::string(spec.at("toolset").as_string()) + "/" + std::string(spec.at("name").as_string()) + ".json",
               json::serialize(spec));
  }
  std::span<const EmbeddedSpec> files() const { return files_; }

 private:
  std::deque<std::string> storage_;  // a deque keeps references valid as it grows
  std::vector<EmbeddedSpec> files_;
};

// What ToolRegistry::load refuses the files with, or "" when it accepts them.
inline std::string load_fault(const SpecFiles& files) {
  try {
    ToolRegistry::load(files.files(), fake_hooks());
    return "";
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

// The fault for one edited spec loaded on its own.
inline std::string load_fault(const json::object& spec) {
  SpecFiles files;
  files.add(spec);
  return load_fault(files);
}

}  // namespace kmcp::test
