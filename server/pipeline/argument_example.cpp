#include "server/pipeline/argument_example.hpp"

#include <string>
#include <vector>

namespace kmcp {
namespace {

// "profiles[0].email" -> {"profiles", "[]", "email"}: names, and "[]" for an array item.
std::vector<std::string> steps_of(std::string_view argument) {
  std::vector<std::string> steps;
  std::string name;
  for (std::size_t i = 0; i < argument.size(); ++i) {
    const char c = argument[i];
    if (c == '.' || c == '[') {
      if (!name.empty()) steps.push_back(std::move(name));
      name.clear();
      if (c == '[') {
        steps.emplace_back("[]");
        i = argument.find(']', i);
        if (i == std::string_view::npos) break;
      }
    } else {
      name += c;
    }
  }
  if (!name.empty()) steps.push_back(std::move(name));
  return steps;
}

const json::object* member_object(const json::object& node, std::string_view key) {
  const auto* member = node.if_contains(key);
  return member && member->is_object() ? &member->get_object() : nullptr;
}

// The first branch of anyOf/oneOf that describes an object or array, for unions like [T, null].
const json::object* resolved(const json::object* node) {
  if (!node) return nullptr;
  for (const auto* keyword : {"anyOf", "oneOf"}) {
    const auto* branches = node->if_contains(keyword);
    if (!branches || !branches->is_array()) continue;
    for (const auto& branch : branches->get_array())
      if (branch.is_object() && (branch.get_object().contains("properties") || branch.get_object().contains("items")))
        return &branch.get_object();
  }
  return node;
}

const json::object* schema_of(const json::object& root, const std::vector<std::string>& steps) {
  const json::object* node = &root;
  for (const auto& step : steps) {
    node = resolved(node);
    if (!node) return nullptr;
    if (step == "[]") {
      node = member_object(*node, "items");
    } else {
      const auto* properties = member_object(*node, "properties");
      node = properties ? member_object(*properties, step) : nullptr;
    }
  }
  return resolved(node);
}

std::string main_type(const json::object& node) {
  const auto* type = node.if_contains("type");
  if (!type) return {};
  if (type->is_string()) return std::string(type->get_string());
  if (type->is_array())
    for (const auto& t : type->get_array())
      if (t.is_string() && t.get_string() != "null") return std::string(t.get_string());
  return {};
}

std::optional<json::value> example_for(const json::object& node, std::string_view name) {
  if (const auto* constant = node.if_contains("const")) return *constant;
  if (const auto* values = node.if_contains("enum"); values && values->is_array() && !values->get_array().empty())
    return values->get_array().front();
  if (const auto* examples = node.if_contains("examples"); examples && examples->is_array() && !examples->get_array().empty())
    return examples->get_array().front();
  const std::string type = main_type(node);
  if (type == "string") {
    const auto* format = node.if_contains("format");
    const std::string_view f = format && format->is_string() ? std::string_view(format->get_string()) : "";
    if (f == "date-time") return json::value("2026-01-31T09:30:00Z");
    if (f == "date") return json::value("2026-01-31");
    if (f == "email" || name == "email" || name.ends_with("_email")) return json::value("ada@example.com");
    if (name == "phone_number" || name.ends_with("_phone_number")) return json::value("+15005550006");
    return std::nullopt;
  }
  if (type == "integer" || type == "number") {
    if (const auto* minimum = node.if_contains("minimum")) return *minimum;
    if (const auto* maximum = node.if_contains("maximum")) return *maximum;
    return std::nullopt;
  }
  if (type == "array") {
    const auto* items = member_object(node, "items");
    if (!items) return std::nullopt;
    auto item = example_for(*items, name);
    if (!item) return std::nullopt;
    return json::array{std::move(*item)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<json::value> argument_example(const ToolSpec& spec, std::string_view argument) {
  const auto steps = steps_of(argument);
  if (steps.empty()) return std::nullopt;
  const json::object* node = schema_of(spec.input_schema, steps);
  if (!node) return std::nullopt;
  std::string_view last = steps.back() == "[]" && steps.size() > 1 ? steps[steps.size() - 2] : steps.back();
  return example_for(*node, last);
}

}  // namespace kmcp
