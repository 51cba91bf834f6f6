#include "server/transport/http_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "server/mcp/dispatcher.hpp"

namespace kmcp {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_loopback_name(std::string_view name) {
  static constexpr std::array<std::string_view, 3> kLoopback = {"localhost", "127.0.0.1", "[::1]"};
  return std::any_of(kLoopback.begin(), kLoopback.end(), [&](std::string_view l) { return iequals(name, l); });
}

// Splits "name[:port]" (name may be a bracketed IPv6 literal); nullopt when malformed.
std::optional<std::string_view> host_name(std::string_view authority) {
  if (authority.empty()) return std::nullopt;
  std::string_view name = authority;
  std::string_view rest;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    name = authority.substr(0, close + 1);
    rest = authority.substr(close + 1);
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    name = authority.substr(0, colon);
    rest = authority.substr(colon);
  }
  if (name.empty() || name == "[]") return std::nullopt;
  for (char c : name)
    if (c == '/' || c == '@' || c == ' ' || static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      return std::nullopt;
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return std::nullopt;
    unsigned port = 0;
    auto [end, ec] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), port);
    if (ec != std::errc{} || end != rest.data() + rest.size() || port > 65535) return std::nullopt;
  }
  return name;
}

std::string_view without_trailing_slash(std::string_view s) {
  if (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

}  // namespace

bool origin_allowed(std::string_view origin, const std::vector<std::string>& extra) {
  origin = trim(origin);
  for (const auto& allowed : extra)
    if (iequals(without_trailing_slash(origin), without_trailing_slash(trim(allowed)))) return true;
  std::string_view authority;
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")})
    if (origin.size() > scheme.size() && iequals(origin.substr(0, scheme.size()), scheme))
      authority = origin.substr(scheme.size());
  if (authority.empty()) return false;  // "null", another scheme, or nothing after it
  const auto name = host_name(without_trailing_slash(authority));
  return name && is_loopback_name(*name);
}

bool host_allowed(std::string_view host, const std::vector<std::string>& extra) {
  host = trim(host);
  const auto name = host_name(host);
  if (!name) return false;
  if (is_loopback_name(*name)) return true;
  return std::any_of(extra.begin(), extra.end(), [&](const std::string& allowed) {
    return iequals(trim(allowed), host) || iequals(trim(allowed), *name);
  });
}

bool accepts(std::string_view accept, std::string_view media_type, bool wildcards) {
  const auto slash = media_type.find('/');
  const std::string_view type = media_type.substr(0, slash);
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);

    std::string_view params;
    if (const auto semi = range.find(';'); semi != std::string_view::npos) {
      params = range.substr(semi + 1);
      range = range.substr(0, semi);
    }
    range = trim(range);
    const bool matches = iequals(range, media_type) ||
                         (wildcards && (range == "*/*" || (range.size() == type.size() + 2 &&
                                                           iequals(range.substr(0, type.size()), type) &&
                                                           range.substr(type.size()) == "/*")));
    if (!matches) continue;
    // "q=0" means "not acceptable".
    bool refused = false;
    while (!params.empty()) {
      const auto semi = params.find(';');
      std::string_view param = trim(params.substr(0, semi));
      params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        std::string_view q = param.substr(2);
        refused = !q.empty() && std::all_of(q.begin(), q.end(), [](char c) { return c == '0' || c == '.'; });
      }
    }
    if (!refused) return true;
  }
  return false;
}

bool is_json_content_type(std::string_view content_type) {
  return iequals(trim(content_type.substr(0, content_type.find(';'))), "application/json");
}

bool protocol_version_supported(std::string_view version) {
  version = trim(version);
  return std::find(kSupportedProtocolVersions.begin(), kSupportedProtocolVersions.end(), version) !=
         kSupportedProtocolVersions.end();
}

}  // namespace kmcp
