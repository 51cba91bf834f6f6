#pragma once
// Names in a message: "a, b, c", or with another separator ("a or b").
#include <string>
#include <string_view>
#include <vector>

namespace kmcp {

inline std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace kmcp
