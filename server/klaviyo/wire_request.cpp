#include "server/klaviyo/wire_request.hpp"

#include <boost/beast/core/string.hpp>
#include <algorithm>

namespace kmcp {
namespace {

namespace http = boost::beast::http;

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return std::string_view("\"(),/:;<=>?@[\\]{}").find(c) == std::string_view::npos;
}

bool is_valid_name(std::string_view name) { return !name.empty() && std::all_of(name.begin(), name.end(), is_token_char); }

bool is_valid_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool is_valid_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  return std::all_of(target.begin(), target.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

UpstreamFailure refused(std::string message) {
  return UpstreamFailure{UpstreamFailure::Kind::protocol, false, std::move(message)};
}

}  // namespace

boost::system::result<WireRequest, UpstreamFailure> to_wire_request(const UpstreamRequest& request,
                                                                    std::string_view host_header) {
  if (!is_valid_target(request.target)) return refused("invalid request target (must be origin-form, encoded)");
  WireRequest wire{request.method, request.target, 11};
  wire.set(http::field::host, host_header);
  for (const auto& [name, value] : request.headers) {
    if (!is_valid_name(name)) return refused("invalid header name");
    if (!is_valid_value(value)) return refused("invalid value for header " + name);
    if (boost::beast::iequals(name, "host") || boost::beast::iequals(name, "content-length")) continue;
    wire.insert(name, value);
  }
  wire.body() = request.body;
  wire.prepare_payload();
  return wire;
}

}  // namespace kmcp
