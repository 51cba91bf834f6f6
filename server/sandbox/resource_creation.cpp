// create_resource (api_context.hpp): a plain create, with Klaviyo's defaults per type as data.
#include <map>

#include "server/sandbox/api_context.hpp"
#include "server/sandbox/profile_book.hpp"

namespace kmcp::sandbox {
namespace {

// Attributes Klaviyo fills in when a create leaves them out.
const json::object* defaults_of(const std::string& type) {
  static const std::map<std::string, json::object> kDefaults = {
      {"list", {{"opt_in_process", "single_opt_in"}}},
      {"campaign", {{"status", "Draft"}, {"archived", false}, {"send_time", nullptr}, {"scheduled_at", nullptr}}},
      {"flow", {{"status", "draft"}, {"archived", false}, {"trigger_type", "Added to List"}}},
      {"segment", {{"is_active", true}, {"is_processing", false}, {"is_starred", false}}},
      {"template", {{"editor_type", "CODE"}, {"html", ""}, {"text", nullptr}}},
      {"coupon-code", {{"status", "UNASSIGNED"}, {"expires_at", nullptr}}},
      {"webhook", {{"enabled", true}}},
      {"catalog-item", {{"published", true}}},
      {"image", {{"format", "png"}, {"hidden", false}}},
  };
  const auto it = kDefaults.find(type);
  return it == kDefaults.end() ? nullptr : &it->second;
}

}  // namespace

Resource& create_resource(ResourceStore& store, const std::string& type, const json::object& data,
                          const std::string& now_iso) {
  json::object attributes;
  if (const json::object* defaults = defaults_of(type)) attributes = *defaults;
  if (const auto* given = data.if_contains("attributes"); given && given->is_object())
    merge_into(attributes, given->get_object());
  attributes["created"] = now_iso;
  attributes["updated"] = now_iso;
  json::object relationships;
  if (const auto* given = data.if_contains("relationships"); given && given->is_object()) relationships = given->get_object();
  std::string id;
  if (const auto* given = data.if_contains("id"); given && given->is_string() && !given->get_string().empty())
    id = std::string(given->get_string());
  // Catalog resources are addressed by their external id within the default catalog.
  if (id.empty() && type.starts_with("catalog-"))
    if (const auto* external = attributes.if_contains("external_id"); external && external->is_string())
      id = "$custom:::$default:::" + std::string(external->get_string());
  // A coupon's id is its external id, as at Klaviyo.
  if (id.empty() && type == "coupon")
    if (const auto* external = attributes.if_contains("external_id"); external && external->is_string())
      id = std::string(external->get_string());
  if (id.empty()) id = store.next_id(type);
  return store.put(json::object{{"type", type},
                                {"id", std::move(id)},
                                {"attributes", std::move(attributes)},
                                {"relationships", std::move(relationships)}});
}

}  // namespace kmcp::sandbox
