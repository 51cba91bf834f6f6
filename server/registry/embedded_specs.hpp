#pragma once
// The spec files under schemas/, compiled into the binary (see cmake/embed_specs.cmake).
#include <span>
#include <string_view>

namespace kmcp {

struct EmbeddedSpec {
  std::string_view path;  // relative to schemas/, e.g. "lists/get_lists.json"
  std::string_view text;
};

std::span<const EmbeddedSpec> embedded_specs();

}  // namespace kmcp
