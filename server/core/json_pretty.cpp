#include "server/core/json_pretty.hpp"

#include <sstream>

namespace kmcp {
namespace {

void write(std::ostream& out, const json::value& v, std::size_t depth) {
  const std::string pad((depth + 1) * 2, ' ');
  const std::string close(depth * 2, ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out << "{\n";
    bool first = true;
    for (const auto& [key, member] : v.get_object()) {
      out << (first ? "" : ",\n") << pad << json::serialize(json::value(key)) << ": ";
      write(out, member, depth + 1);
      first = false;
    }
    out << "\n" << close << "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out << "[\n";
    bool first = true;
    for (const auto& item : v.get_array()) {
      out << (first ? "" : ",\n") << pad;
      write(out, item, depth + 1);
      first = false;
    }
    out << "\n" << close << "]";
  } else {
    out << json::serialize(v);  // scalars, {} and []
  }
}

}  // namespace

std::string pretty_json(const json::value& value) {
  std::ostringstream out;
  write(out, value, 0);
  return out.str();
}

}  // namespace kmcp
