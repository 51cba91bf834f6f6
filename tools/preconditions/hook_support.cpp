#include "tools/preconditions/hook_support.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "server/registry/schema_walk.hpp"

namespace kmcp {

ToolError precondition_error(std::string argument, std::string message) {
  return ToolError{.kind = "precondition", .message = std::move(message), .details = {{"argument", std::move(argument)}}};
}

bool is_given(const json::value* value) {
  if (!value || value->is_null()) return false;
  if (const auto* s = value->if_string())
    return std::any_of(s->begin(), s->end(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
  if (const auto* a = value->if_array()) return !a->empty();
  if (const auto* o = value->if_object()) return !o->empty();
  return true;
}

std::string quoted_list(const std::vector<std::string>& names, std::string_view conjunction) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " " + std::string(conjunction) + " " : std::string(", ");
    out += "'" + names[i] + "'";
  }
  return out;
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string member_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

const json::object* argument_schema(const json::object& input_schema, std::string_view arg) {
  const auto* properties = input_schema.if_contains("properties");
  if (!properties || !properties->is_object()) return nullptr;
  const auto* schema = properties->get_object().if_contains(arg);
  return schema && schema->is_object() ? &schema->get_object() : nullptr;
}

bool schema_declares(const json::object& input_schema, std::string_view key) {
  bool found = false;
  for_each_subschema(json::value(input_schema), [&](const json::object& node) {
    if (const auto* properties = node.if_contains("properties"); properties && properties->is_object())
      found = found || properties->get_object().contains(key);
  });
  return found;
}

bool may_be_array(const json::object& schema) {
  const auto* type = schema.if_contains("type");
  if (!type) return true;
  if (type->is_string()) return type->get_string() == "array";
  if (const auto* types = type->if_array()) return std::find(types->begin(), types->end(), json::value("array")) != types->end();
  return true;
}

std::size_t serialized_size(const json::value& value) {
  json::serializer serializer;
  serializer.reset(&value);
  std::array<char, 4096> buffer;
  std::size_t size = 0;
  while (!serializer.done()) size += serializer.read(buffer.data(), buffer.size()).size();
  return size;
}

std::vector<std::string> setting_names(const json::object& settings, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* list = settings.if_contains(key); list && list->is_array())
    for (const auto& item : list->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

std::string setting_name(const json::object& settings, std::string_view key) {
  const auto* v = settings.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::size_t setting_count(const json::object& settings, std::string_view key) {
  const auto* v = settings.if_contains(key);
  if (!v) return 0;
  if (v->is_int64() && v->get_int64() > 0) return static_cast<std::size_t>(v->get_int64());
  if (v->is_uint64()) return static_cast<std::size_t>(v->get_uint64());
  return 0;
}

void SettingsCheck::only(std::initializer_list<std::string_view> keys) {
  for (const auto& member : settings_) {
    if (std::find(keys.begin(), keys.end(), member.key()) != keys.end()) continue;
    std::string known;
    for (auto k : keys) known += (known.empty() ? "'" : ", '") + std::string(k) + "'";
    fail("unknown setting '" + std::string(member.key()) + "'" +
         (known.empty() ? std::string("; this hook takes none") : "; known: " + known));
  }
}

std::vector<std::string> SettingsCheck::names(std::string_view key, bool required, std::size_t min) {
  const auto* v = settings_.if_contains(key);
  if (!v) {
    if (required) fail("setting '" + std::string(key) + "' is missing");
    return {};
  }
  std::vector<std::string> out;
  const auto* list = v->if_array();
  if (list)
    for (const auto& item : *list)
      if (item.is_string() && !item.get_string().empty()) out.emplace_back(item.get_string());
  if (!list || out.size() != list->size() || out.size() < min) {
    fail("setting '" + std::string(key) + "' must be an array of at least " + std::to_string(min) + " argument name" +
         (min == 1 ? "" : "s"));
    return {};
  }
  return out;
}

std::optional<std::string> SettingsCheck::name(std::string_view key, bool required) {
  const auto* v = settings_.if_contains(key);
  if (!v) {
    if (required) fail("setting '" + std::string(key) + "' is missing");
    return std::nullopt;
  }
  if (!v->is_string() || v->get_string().empty()) {
    fail("setting '" + std::string(key) + "' must be a non-empty string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::size_t> SettingsCheck::count(std::string_view key, bool required) {
  const auto* v = settings_.if_contains(key);
  if (!v) {
    if (required) fail("setting '" + std::string(key) + "' is missing");
    return std::nullopt;
  }
  if (!((v->is_int64() && v->get_int64() > 0) || v->is_uint64())) {
    fail("setting '" + std::string(key) + "' must be an integer greater than 0");
    return std::nullopt;
  }
  return setting_count(settings_, key);
}

const json::object* SettingsCheck::argument(const std::string& arg) {
  const auto* schema = argument_schema(schema_, arg);
  if (!schema) fail("names the argument '" + arg + "', which is not in inputSchema.properties");
  return schema;
}

}  // namespace kmcp
