#include "server/pipeline/resource_flattening.hpp"

#include <deque>
#include <functional>
#include <unordered_set>

namespace kmcp {
namespace {

// Returns the related resource to show in place of an identifier, or nullptr for the bare id.
using Inliner = std::function<const json::object*(const json::object& identifier)>;

bool is_empty_value(const json::value& value) {
  return value.is_null() || (value.is_object() && value.get_object().empty());
}

// Null members and empty objects say nothing a model needs; arrays keep their items.
json::value pruned(const json::value& value) {
  if (value.is_object()) {
    json::object out;
    for (const auto& [key, member] : value.get_object()) {
      json::value kept = pruned(member);
      if (!is_empty_value(kept)) out[key] = std::move(kept);
    }
    return out;
  }
  if (value.is_array()) {
    json::array out;
    for (const auto& item : value.get_array()) out.push_back(pruned(item));
    return out;
  }
  return value;
}

const json::object* object_member(const json::object& object, std::string_view key) {
  const auto* member = object.if_contains(key);
  return member && member->is_object() ? &member->get_object() : nullptr;
}

// Calls `visit` with every resource identifier under resource.relationships.*.data.
void for_each_identifier(const json::object& resource, const std::function<void(const json::object&)>& visit) {
  const auto* relationships = object_member(resource, "relationships");
  if (!relationships) return;
  for (const auto& [name, rel] : *relationships) {
    if (!rel.is_object()) continue;
    const auto* data = rel.get_object().if_contains("data");
    if (!data) continue;
    if (data->is_object()) visit(data->get_object());
    if (data->is_array())
      for (const auto& item : data->get_array())
        if (item.is_object()) visit(item.get_object());
  }
}

json::value related(const json::object& identifier, const Inliner& inliner);

json::object flatten_with(const json::object& resource, const Inliner& inliner) {
  json::object out;
  if (const auto* type = resource.if_contains("type")) out["type"] = *type;
  if (const auto* id = resource.if_contains("id")) out["id"] = *id;

  // Attributes named like our own keys stay nested instead of overwriting them.
  json::object clashing;
  if (const auto* attributes = object_member(resource, "attributes")) {
    for (const auto& [key, value] : *attributes) {
      json::value kept = pruned(value);
      if (is_empty_value(kept)) continue;
      if (key == "type" || key == "id" || key == "relationships" || key == "attributes")
        clashing[key] = std::move(kept);
      else
        out[key] = std::move(kept);
    }
  }
  if (!clashing.empty()) out["attributes"] = std::move(clashing);

  json::object relationships;
  if (const auto* rels = object_member(resource, "relationships")) {
    for (const auto& [name, rel] : *rels) {
      if (!rel.is_object()) continue;
      const auto* data = rel.get_object().if_contains("data");
      if (!data) continue;  // links only: nothing to show
      if (data->is_object()) {
        relationships[name] = related(data->get_object(), inliner);
      } else if (data->is_array() && !data->get_array().empty()) {
        json::array items;
        for (const auto& item : data->get_array())
          items.push_back(item.is_object() ? related(item.get_object(), inliner) : json::value(nullptr));
        relationships[name] = std::move(items);
      }
    }
  }
  if (!relationships.empty()) out["relationships"] = std::move(relationships);
  return out;
}

json::value related(const json::object& identifier, const Inliner& inliner) {
  if (const json::object* resource = inliner ? inliner(identifier) : nullptr) return flatten_with(*resource, nullptr);
  const auto* id = identifier.if_contains("id");
  return id ? *id : json::value(nullptr);
}

std::string text_of(const json::value* value) {
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  if (value->is_int64() || value->is_uint64()) return json::serialize(*value);
  return {};
}

}  // namespace

json::object flatten_resource(const json::object& resource) { return flatten_with(resource, nullptr); }

std::string resource_key(const json::object& resource) {
  const std::string type = text_of(resource.if_contains("type"));
  const std::string id = text_of(resource.if_contains("id"));
  if (type.empty() || id.empty()) return {};
  return type + ":" + id;
}

void IncludedPool::add(const json::value& included) {
  if (!included.is_array()) return;
  for (const auto& item : included.get_array()) {
    if (!item.is_object()) continue;
    std::string key = resource_key(item.get_object());
    if (key.empty() || by_key_.contains(key)) continue;
    by_key_.emplace(key, item.get_object());
    order_.push_back(std::move(key));
  }
}

const json::object* IncludedPool::find(std::string_view key) const {
  auto it = by_key_.find(std::string(key));
  return it == by_key_.end() ? nullptr : &it->second;
}

FlattenedRecords flatten_with_included(std::span<const json::object* const> records, const IncludedPool& pool) {
  // Count every reference into the pool from the records and from the included resources they
  // reach; a resource referred to once, by a record, is shown in that record.
  std::unordered_map<std::string, int> references;
  std::unordered_set<std::string> from_included;
  std::unordered_set<std::string> reached;
  std::deque<std::string> to_visit;
  auto count = [&](const json::object& identifier, bool by_record) {
    std::string key = resource_key(identifier);
    if (key.empty() || !pool.find(key)) return;
    ++references[key];
    if (!by_record) from_included.insert(key);
    if (reached.insert(key).second) to_visit.push_back(std::move(key));
  };
  for (const auto* record : records) for_each_identifier(*record, [&](const json::object& id) { count(id, true); });
  while (!to_visit.empty()) {
    const std::string key = std::move(to_visit.front());
    to_visit.pop_front();
    for_each_identifier(*pool.find(key), [&](const json::object& id) { count(id, false); });
  }
  auto inlined = [&](const std::string& key) { return references[key] == 1 && !from_included.contains(key); };

  FlattenedRecords out;
  const Inliner inliner = [&](const json::object& identifier) -> const json::object* {
    const std::string key = resource_key(identifier);
    return !key.empty() && reached.contains(key) && inlined(key) ? pool.find(key) : nullptr;
  };
  for (const auto* record : records) out.records.push_back(flatten_with(*record, inliner));
  for (const auto& key : pool.keys())
    if (reached.contains(key) && !inlined(key)) out.shared[key] = flatten_with(*pool.find(key), nullptr);
  return out;
}

}  // namespace kmcp
