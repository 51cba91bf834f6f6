#pragma once
// Specs for the retry tests, one per way a request may or may not be repeated: a create Klaviyo
// deduplicates by unique_id, a plain create with a list tool on its path, and a delete.
#include "tests/unit/pipeline/test_specs.hpp"

namespace kmcp::test {

// POST, not idempotent, but its body carries unique_id: safe to repeat.
inline ToolSpec create_event_spec() {
  ToolSpec spec;
  spec.name = "create_event";
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/events";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "event";
  spec.body.attributes = {{"metric_name", {"metric", "", ""}}, {"unique_id", {"unique_id", "", ""}}};
  spec.rate = {"create_event", {350, 3500, std::nullopt}};
  spec.response_kind = "empty";
  set_schema(spec, R"({"type":"object","properties":{
      "metric_name":{"type":"string"}, "unique_id":{"type":"string"}},
    "required":["metric_name"],"additionalProperties":false})");
  return spec;
}

// A plain create: repeating it could make a second list.
inline ToolSpec create_list_spec() {
  ToolSpec spec;
  spec.name = "create_list";
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/lists";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "list";
  spec.body.attributes = {{"name", {"name", "", ""}}};
  spec.rate = {"create_list", {10, 150, std::nullopt}};
  set_schema(spec, R"({"type":"object","properties":{"name":{"type":"string"}},
    "required":["name"],"additionalProperties":false})");
  return spec;
}

// The read on create_list's path: what shows whether a create took effect.
inline ToolSpec get_lists_spec() {
  ToolSpec spec;
  spec.name = "get_lists";
  spec.annotations.read_only = true;
  spec.method = boost::beast::http::verb::get;
  spec.path = "/api/lists";
  spec.rate = {"get_lists", {75, 700, std::nullopt}};
  spec.response_kind = "collection";
  set_schema(spec, R"({"type":"object","properties":{},"additionalProperties":false})");
  return spec;
}

inline ToolSpec delete_list_spec() {
  ToolSpec spec;
  spec.name = "delete_list";
  spec.annotations.destructive = true;
  spec.annotations.idempotent = true;
  spec.method = boost::beast::http::verb::delete_;
  spec.path = "/api/lists/{id}";
  spec.path_args = {{"id", "id"}};
  spec.rate = {"delete_list", {10, 150, std::nullopt}};
  spec.response_kind = "empty";
  set_schema(spec, R"({"type":"object","properties":{"id":{"type":"string"}},
    "required":["id"],"additionalProperties":false})");
  return spec;
}

}  // namespace kmcp::test
