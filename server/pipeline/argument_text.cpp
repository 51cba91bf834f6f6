#include "server/pipeline/argument_text.hpp"

#include <charconv>
#include <cmath>

namespace kmcp {

std::optional<std::string> scalar_text(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return std::string(value.get_string());
    case json::kind::int64:
      return std::to_string(value.get_int64());
    case json::kind::uint64:
      return std::to_string(value.get_uint64());
    case json::kind::double_: {
      double d = value.get_double();
      // 2.0 arrives as a double from some clients; Klaviyo expects "2" for page sizes and ids.
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e15)
        return std::to_string(static_cast<long long>(d));
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      if (ec != std::errc()) return std::nullopt;
      return std::string(buf, end);
    }
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

std::string argument_name_from_pointer(std::string_view pointer) {
  std::string out;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the '/'
    std::size_t end = pointer.find('/');
    std::string_view raw = pointer.substr(0, end);
    pointer = end == std::string_view::npos ? std::string_view{} : pointer.substr(end);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {  // RFC 6901 unescaping
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    bool index = !token.empty() && !out.empty() && token.find_first_not_of("0123456789") == std::string::npos;
    if (index) {
      out += "[" + token + "]";
    } else {
      if (!out.empty()) out.push_back('.');
      out += token;
    }
  }
  return out;
}

}  // namespace kmcp
