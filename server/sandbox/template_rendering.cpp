#include "server/sandbox/template_rendering.hpp"

#include <cctype>

namespace kmcp::sandbox {
namespace {

std::string_view trim(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}

// The context value at a dotted name; "person." is the profile, which the context may give flat.
const json::value* lookup(const json::object& context, std::string_view name) {
  const json::value* at = nullptr;
  const json::object* in = &context;
  while (in) {
    const auto dot = name.find('.');
    at = in->if_contains(name.substr(0, dot));
    if (!at || dot == std::string_view::npos) break;
    name = name.substr(dot + 1);
    in = at->if_object();
    if (!in) return nullptr;
  }
  return at;
}

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

std::string fill(std::string_view tag, const json::object& context) {
  std::string_view name = trim(tag);
  std::string fallback;
  if (const auto bar = name.find('|'); bar != std::string_view::npos) {
    std::string_view filter = trim(name.substr(bar + 1));
    name = trim(name.substr(0, bar));
    if (filter.starts_with("default:")) {
      filter = trim(filter.substr(8));
      if (filter.size() >= 2 && (filter.front() == '"' || filter.front() == '\'')) filter = filter.substr(1, filter.size() - 2);
      fallback = std::string(filter);
    }
  }
  const json::value* value = lookup(context, name);
  if (!value && name.starts_with("person.")) value = lookup(context, name.substr(7));
  return value && !value->is_null() ? text_of(*value) : fallback;
}

}  // namespace

std::string render_template_text(std::string_view text, const json::object& context) {
  std::string out;
  out.reserve(text.size());
  for (;;) {
    const auto open = text.find("{{");
    if (open == std::string_view::npos) break;
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(0, open));
    out += fill(text.substr(open + 2, close - open - 2), context);
    text = text.substr(close + 2);
  }
  out.append(text);
  return out;
}

}  // namespace kmcp::sandbox
