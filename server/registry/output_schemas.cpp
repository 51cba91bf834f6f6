#include "server/registry/output_schemas.hpp"

namespace kmcp {
namespace {

json::object typed(std::string_view type) { return json::object{{"type", type}}; }

json::object list_schema() {
  json::object properties;
  properties["data"] = json::object{{"type", "array"}, {"items", typed("object")}};
  properties["included"] = typed("object");
  properties["has_more"] = typed("boolean");
  properties["next_cursor"] = typed("string");
  return json::object{{"type", "object"}, {"properties", std::move(properties)},
                      {"required", json::array{"data", "has_more"}}};
}

json::object single_schema() {
  json::object properties;
  properties["data"] = json::object{{"type", json::array{"object", "null"}}};
  properties["included"] = typed("object");
  return json::object{{"type", "object"}, {"properties", std::move(properties)}, {"required", json::array{"data"}}};
}

json::object job_schema() {
  json::object schema = single_schema();
  json::object job{{"type", "object"},
                   {"properties", json::object{{"id", typed("string")}, {"status", typed("string")}}},
                   {"required", json::array{"id"}}};
  schema["properties"].as_object()["job"] = std::move(job);
  return schema;
}

json::object empty_schema() {
  json::object properties;
  properties["ok"] = typed("boolean");
  properties["status"] = typed("integer");
  return json::object{{"type", "object"}, {"properties", std::move(properties)},
                      {"required", json::array{"ok", "status"}}};
}

// The last literal segment of a path: "/api/x-jobs/{id}" -> "x-jobs".
std::string_view last_literal_segment(std::string_view path) {
  std::string_view last;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    if (!segment.empty() && segment.front() != '{') last = segment;
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return last;
}

}  // namespace

ResultKind result_kind(const ToolSpec& spec) {
  if (spec.response_kind == "collection") return ResultKind::list;
  if (spec.response_kind == "empty") return ResultKind::empty;
  return last_literal_segment(spec.path).ends_with("-jobs") ? ResultKind::job : ResultKind::single;
}

std::string_view to_string(ResultKind kind) {
  switch (kind) {
    case ResultKind::list: return "list";
    case ResultKind::single: return "single";
    case ResultKind::job: return "job";
    case ResultKind::empty: return "empty";
  }
  return "single";
}

json::object output_schema_for(ResultKind kind) {
  switch (kind) {
    case ResultKind::list: return list_schema();
    case ResultKind::job: return job_schema();
    case ResultKind::empty: return empty_schema();
    case ResultKind::single: break;
  }
  return single_schema();
}

}  // namespace kmcp
