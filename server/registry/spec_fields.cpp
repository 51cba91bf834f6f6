#include "server/registry/spec_fields.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace kmcp {

SpecFields::SpecFields(const json::object& object, std::string where) : object_(&object), where_(std::move(where)) {}

std::string SpecFields::path(std::string_view key) const {
  return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
}

void SpecFields::fail(std::string_view key, std::string_view fault) const {
  throw std::runtime_error("'" + path(key) + "' " + std::string(fault));
}

void SpecFields::allow_only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& member : *object_) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) != allowed.end()) continue;
    std::string list;
    for (auto name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
    fail(member.key(), "is not a known field (known here: " + list + ")");
  }
}

std::optional<std::string> SpecFields::optional_text(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(key, "must be a string");
  if (v->get_string().empty()) fail(key, "must not be empty");
  return std::string(v->get_string());
}

std::string SpecFields::text(std::string_view key) const {
  auto v = optional_text(key);
  if (!v) fail(key, "is missing");
  return *v;
}

std::optional<bool> SpecFields::optional_flag(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) fail(key, "must be true or false");
  return v->get_bool();
}

bool SpecFields::flag(std::string_view key) const {
  auto v = optional_flag(key);
  if (!v) fail(key, "is missing");
  return *v;
}

std::optional<int> SpecFields::optional_positive(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64()) {
    n = std::numeric_limits<std::int64_t>::max();
  } else {
    fail(key, "must be an integer");
  }
  if (n <= 0) fail(key, "must be greater than 0");
  if (n > std::numeric_limits<int>::max()) fail(key, "is too large");
  return static_cast<int>(n);
}

int SpecFields::positive(std::string_view key) const {
  auto v = optional_positive(key);
  if (!v) fail(key, "is missing");
  return *v;
}

const json::object* SpecFields::optional_object(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return nullptr;
  if (!v->is_object()) fail(key, "must be an object");
  return &v->get_object();
}

const json::object& SpecFields::object(std::string_view key) const {
  const auto* v = optional_object(key);
  if (!v) fail(key, "is missing");
  return *v;
}

const json::array* SpecFields::optional_array(std::string_view key) const {
  const auto* v = find(key);
  if (!v) return nullptr;
  if (!v->is_array()) fail(key, "must be an array");
  return &v->get_array();
}

std::vector<std::string> SpecFields::text_list(std::string_view key) const {
  std::vector<std::string> out;
  const auto* array = optional_array(key);
  if (!array) return out;
  for (const auto& item : *array) {
    if (!item.is_string() || item.get_string().empty()) fail(key, "must hold only non-empty strings");
    out.emplace_back(item.get_string());
  }
  return out;
}

std::vector<SpecFields> SpecFields::children(std::string_view key) const {
  std::vector<SpecFields> out;
  const auto* array = optional_array(key);
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& item = (*array)[i];
    std::string where = path(key) + "[" + std::to_string(i) + "]";
    if (!item.is_object()) throw std::runtime_error("'" + where + "' must be an object");
    out.emplace_back(item.get_object(), std::move(where));
  }
  return out;
}

}  // namespace kmcp
