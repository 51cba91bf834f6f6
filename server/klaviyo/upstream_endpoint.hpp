#pragma once
// The base URL of the upstream, parsed once at startup into what connecting needs.
#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace kmcp {

struct UpstreamEndpoint {
  bool tls = true;
  std::string host;         // DNS name or IP literal (IPv6 without brackets)
  bool host_is_ip = false;  // IP literals skip DNS and SNI and are verified against IP SANs
  std::string port;         // decimal; the scheme's default when the URL has none
  std::string host_header;  // the Host header value: host, bracketed if IPv6, ":port" if not default
};

// Accepts "http://host[:port]" or "https://host[:port]" with an empty or "/" path; anything else
// (other scheme, user info, a path, query or fragment) is an error described in the string.
boost::system::result<UpstreamEndpoint, std::string> parse_upstream_endpoint(std::string_view base_url);

}  // namespace kmcp
