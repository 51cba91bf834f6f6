#include "server/registry/schema_walk.hpp"

#include <array>
#include <charconv>
#include <optional>
#include <string_view>

namespace kmcp {
namespace {

// Draft-07 keywords whose value is a schema, an array of schemas, or a map of schemas.
constexpr std::array<std::string_view, 9> kSchemaKeywords = {
    "additionalProperties", "items", "additionalItems", "contains", "propertyNames", "not", "if", "then", "else"};
constexpr std::array<std::string_view, 3> kSchemaArrayKeywords = {"allOf", "anyOf", "oneOf"};
constexpr std::array<std::string_view, 5> kSchemaMapKeywords = {"properties", "patternProperties", "definitions",
                                                                "$defs", "dependencies"};

template <class Value, class Object>
void walk(Value& node, const std::function<void(Object&)>& visit) {
  if (!node.is_object()) return;
  auto& object = node.as_object();
  visit(object);
  for (auto keyword : kSchemaKeywords) {
    if (auto* child = object.if_contains(keyword)) {
      if (child->is_array()) {  // tuple-form "items"
        for (auto& item : child->as_array()) walk(item, visit);
      } else {
        walk(*child, visit);
      }
    }
  }
  for (auto keyword : kSchemaArrayKeywords)
    if (auto* child = object.if_contains(keyword); child && child->is_array())
      for (auto& branch : child->as_array()) walk(branch, visit);
  for (auto keyword : kSchemaMapKeywords)
    if (auto* child = object.if_contains(keyword); child && child->is_object())
      for (auto& member : child->as_object()) walk(member.value(), visit);  // arrays in "dependencies" are skipped
}

// `node` and, recursively, the branches of its allOf/anyOf/oneOf: every node that applies to the
// same instance location.
void expand(const json::value& node, std::vector<const json::object*>& out) {
  if (!node.is_object()) return;
  const auto& object = node.as_object();
  out.push_back(&object);
  for (auto keyword : kSchemaArrayKeywords)
    if (auto* branches = object.if_contains(keyword); branches && branches->is_array())
      for (const auto& branch : branches->as_array()) expand(branch, out);
}

std::optional<std::size_t> parse_index(const std::string& segment) {
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  if (ec != std::errc{} || end != segment.data() + segment.size() || segment.empty()) return std::nullopt;
  return index;
}

}  // namespace

void for_each_subschema(const json::value& schema, const std::function<void(const json::object&)>& visit) {
  walk(schema, visit);
}

void for_each_subschema(json::value& schema, const std::function<void(json::object&)>& visit) {
  walk(schema, visit);
}

const json::value* value_at(const json::value& instance, std::span<const std::string> path) {
  const json::value* current = &instance;
  for (const auto& segment : path) {
    if (const auto* object = current->if_object()) {
      current = object->if_contains(segment);
    } else if (const auto* array = current->if_array()) {
      auto index = parse_index(segment);
      current = index && *index < array->size() ? &(*array)[*index] : nullptr;
    } else {
      current = nullptr;
    }
    if (!current) return nullptr;
  }
  return current;
}

std::vector<const json::object*> schemas_at(const json::value& schema, const json::value& instance,
                                            std::span<const std::string> path) {
  std::vector<const json::object*> current;
  expand(schema, current);
  const json::value* value = &instance;
  for (const auto& segment : path) {
    if (!value) return {};
    std::vector<const json::object*> next;
    for (const auto* node : current) {
      if (value->is_array()) {
        if (const auto* items = node->if_contains("items"); items && !items->is_array()) expand(*items, next);
      } else if (value->is_object()) {
        const auto* properties = node->if_contains("properties");
        const json::value* property =
            properties && properties->is_object() ? properties->as_object().if_contains(segment) : nullptr;
        if (property) {
          expand(*property, next);
        } else if (const auto* additional = node->if_contains("additionalProperties")) {
          expand(*additional, next);
        }
      }
    }
    current = std::move(next);
    value = value_at(*value, std::span<const std::string>(&segment, 1));
  }
  return current;
}

std::string json_pointer(std::span<const std::string> path) {
  std::string pointer;
  for (const auto& segment : path) {
    pointer.push_back('/');
    for (char c : segment) {
      if (c == '~') {
        pointer += "~0";
      } else if (c == '/') {
        pointer += "~1";
      } else {
        pointer.push_back(c);
      }
    }
  }
  return pointer;
}

}  // namespace kmcp
