#pragma once
// ToolSpec values shaped like real Klaviyo tools, built directly (not through the registry) so
// the pipeline's tests depend only on the spec's data.
#include <memory>

#include "server/core/json.hpp"
#include "server/registry/safe_write_arguments.hpp"
#include "server/registry/paging_arguments.hpp"
#include "server/registry/lazy_schema_validator.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp::test {

inline json::object parse_object(std::string_view text) { return json::parse(text).as_object(); }

inline void set_schema(ToolSpec& spec, std::string_view schema) {
  spec.input_schema = parse_object(schema);
  spec.validator = std::make_shared<LazySchemaValidator>(spec.input_schema);
}

// `spec` with the dry_run and confirmation_token arguments the registry adds at load.
inline ToolSpec with_safe_write_arguments(ToolSpec spec) {
  add_safe_write_arguments(spec.input_schema, spec.annotations);
  spec.validator = std::make_shared<LazySchemaValidator>(spec.input_schema);
  return spec;
}

inline ToolSpec get_profiles_spec() {
  ToolSpec spec;
  spec.name = "get_profiles";
  spec.scopes = {"profiles:read"};
  spec.annotations.read_only = true;
  spec.annotations.idempotent = true;
  spec.method = boost::beast::http::verb::get;
  spec.path = "/api/profiles";
  spec.query = {
      {"fields[profile]", "fields_profile", QueryParamSpec::Style::csv, {"email", "first_name", "last_name"}, {}},
      {"filter", "filter", QueryParamSpec::Style::filter, {},
       {{"email", {"any", "equals"}}, {"created", {"greater-than", "less-than"}}, {"id", {"any", "equals"}}}},
      {"include", "include", QueryParamSpec::Style::csv, {"lists", "segments"}, {}},
      {"page[size]", "page_size", QueryParamSpec::Style::plain, {}, {}},
      {"page[cursor]", "page_cursor", QueryParamSpec::Style::cursor, {}, {}},
      {"sort", "sort", QueryParamSpec::Style::plain, {}, {}},
  };
  spec.rate = {"get_profiles", {100, 1000, std::nullopt}};
  spec.conditional_rates = {{"include", "lists", {"profiles:include=lists", {50, 500, std::nullopt}}}};
  spec.response_kind = "collection";
  set_schema(spec, R"({"type":"object","properties":{
      "fields_profile":{"type":"array","items":{"type":"string"}},
      "filter":{"type":"string"},
      "include":{"type":"array","items":{"type":"string"}},
      "page_size":{"type":"integer","minimum":1,"maximum":100},
      "page_cursor":{"type":"string"},
      "sort":{"type":"string"}},
    "additionalProperties":false})");
  add_paging_arguments(spec);  // max_items, as the registry adds it at load
  return spec;
}

inline ToolSpec update_list_spec() {
  ToolSpec spec;
  spec.name = "update_list";
  spec.scopes = {"lists:write"};
  spec.annotations.idempotent = true;
  spec.method = boost::beast::http::verb::patch;
  spec.path = "/api/lists/{id}";
  spec.path_args = {{"id", "id"}};
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "list";
  spec.body.id_arg = "id";
  spec.body.attributes = {{"name", {"name", "", ""}}, {"opt_in_process", {"opt_in_process", "", ""}}};
  spec.rate = {"update_list", {100, 1000, std::nullopt}};
  set_schema(spec, R"({"type":"object","properties":{
      "id":{"type":"string","minLength":1},
      "name":{"type":"string"},
      "opt_in_process":{"type":["string","null"]}},
    "required":["id"],"additionalProperties":false})");
  return spec;
}

inline ToolSpec add_profiles_to_list_spec() {
  ToolSpec spec;
  spec.name = "add_profiles_to_list";
  spec.scopes = {"lists:write", "profiles:write"};
  spec.annotations.idempotent = true;
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/lists/{id}/relationships/profiles";
  spec.path_args = {{"id", "list_id"}};
  spec.body.kind = BodySpec::Kind::relationships;
  spec.body.type = "profile";
  spec.body.ids_arg = "profile_ids";
  spec.rate = {"add_profiles_to_list", {100, 1000, std::nullopt}};
  spec.preconditions = {{"max_items", parse_object(R"({"arg":"profile_ids","max":3})")}};
  set_schema(spec, R"({"type":"object","properties":{
      "list_id":{"type":"string"},
      "profile_ids":{"type":"array","items":{"type":"string"}}},
    "required":["list_id","profile_ids"],"additionalProperties":false})");
  return spec;
}

// A plain create (POST, not idempotent) with a nested resource list and a to-one relationship.
inline ToolSpec bulk_subscribe_spec() {
  ToolSpec spec;
  spec.name = "bulk_subscribe_profiles";
  spec.scopes = {"subscriptions:write"};
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/profile-subscription-bulk-create-jobs";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "profile-subscription-bulk-create-job";
  spec.body.attributes = {{"profiles", {"profiles", "resource_list", "profile"}},
                          {"custom_source", {"custom_source", "", ""}}};
  spec.body.relationships = {{"list_id", {"list", "list", false}}, {"tag_ids", {"tags", "tag", true}}};
  spec.rate = {"bulk_subscribe_profiles", {100, 1000, std::nullopt}};
  set_schema(spec, R"({"type":"object","properties":{
      "profiles":{"type":"array","items":{"type":"object"}},
      "custom_source":{"type":"string"},
      "list_id":{"type":"string"},
      "tag_ids":{"type":"array","items":{"type":"string"}}},
    "required":["profiles"],"additionalProperties":false})");
  return spec;
}

// A bulk job: POST under a "-jobs" path answering 202 with the job resource.
inline ToolSpec bulk_import_profiles_spec() {
  ToolSpec spec;
  spec.name = "bulk_import_profiles";
  spec.scopes = {"profiles:write"};
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/profile-bulk-import-jobs";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "profile-bulk-import-job";
  spec.body.attributes = {{"profiles", {"profiles", "resource_list", "profile"}}};
  spec.rate = {"bulk_import_profiles", {10, 150, std::nullopt}};
  spec.response_kind = "resource";
  set_schema(spec, R"({"type":"object","properties":{
      "profiles":{"type":"array","items":{"type":"object","properties":{
        "email":{"type":"string"},"phone_number":{"type":"string"},
        "locale":{"type":"string","enum":["en-US","fr-FR"]}}}}},
    "required":["profiles"],"additionalProperties":false})");
  return spec;
}

inline ToolSpec create_client_subscription_spec() {
  ToolSpec spec;
  spec.name = "create_client_subscription";
  spec.public_key_auth = true;
  spec.method = boost::beast::http::verb::post;
  spec.path = "/client/subscriptions";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "subscription";
  spec.body.attributes = {{"email", {"email", "", ""}}};
  spec.rate = {"create_client_subscription", {100, 1000, std::nullopt}};
  set_schema(spec, R"({"type":"object","properties":{"email":{"type":"string"}},"additionalProperties":false})");
  return spec;
}

// POST multipart/form-data: a file part from base64 or a path, plus plain fields.
inline ToolSpec upload_image_spec() {
  ToolSpec spec;
  spec.name = "upload_image_from_file";
  spec.scopes = {"images:write"};
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/image-upload";
  spec.body.kind = BodySpec::Kind::multipart;
  spec.body.form_fields = {{"name", "name"}, {"hidden", "hidden"}};
  spec.body.file = MultipartFileSpec{"file", "file_base64", "file_path", "file_name"};
  spec.rate = {"upload_image_from_file", {3, 100, 500}};
  set_schema(spec, R"({"type":"object","properties":{
      "file_base64":{"type":"string"}, "file_path":{"type":"string"}, "file_name":{"type":"string"},
      "name":{"type":"string"}, "hidden":{"type":"boolean"}},
    "additionalProperties":false})");
  return spec;
}

}  // namespace kmcp::test
