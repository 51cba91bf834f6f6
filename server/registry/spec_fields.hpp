#pragma once
// Typed reads of one spec's JSON. Every fault throws std::runtime_error naming the field by its
// path in the spec ("request.query[2].style") and what is wrong with it.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

class SpecFields {
 public:
  // `where` is the path of `object` in the spec ("" for the root).
  SpecFields(const json::object& object, std::string where);

  const json::object& raw() const { return *object_; }
  const std::string& where() const { return where_; }
  // "request.method" for key "method" under "request".
  std::string path(std::string_view key) const;
  [[noreturn]] void fail(std::string_view key, std::string_view fault) const;

  // Refuses keys outside `allowed`: a misspelt field must not be silently ignored.
  void allow_only(std::initializer_list<std::string_view> allowed) const;

  bool has(std::string_view key) const { return object_->contains(key); }
  std::string text(std::string_view key) const;  // required, non-empty
  std::optional<std::string> optional_text(std::string_view key) const;
  bool flag(std::string_view key) const;  // required
  std::optional<bool> optional_flag(std::string_view key) const;
  int positive(std::string_view key) const;  // required integer > 0
  std::optional<int> optional_positive(std::string_view key) const;
  const json::object& object(std::string_view key) const;  // required
  const json::object* optional_object(std::string_view key) const;
  const json::array* optional_array(std::string_view key) const;
  std::vector<std::string> text_list(std::string_view key) const;  // optional; [] when absent

  SpecFields child(std::string_view key) const { return SpecFields(object(key), path(key)); }
  // Each element of the optional array `key`, which must be an object.
  std::vector<SpecFields> children(std::string_view key) const;

 private:
  const json::value* find(std::string_view key) const { return object_->if_contains(key); }

  const json::object* object_;
  std::string where_;
};

}  // namespace kmcp
