#include "server/klaviyo/upstream_endpoint.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

namespace kmcp {

boost::system::result<UpstreamEndpoint, std::string> parse_upstream_endpoint(std::string_view base_url) {
  namespace urls = boost::urls;
  const auto parsed = urls::parse_absolute_uri(base_url);
  if (!parsed) return std::string("not an absolute URL");
  const urls::url_view& url = *parsed;

  UpstreamEndpoint endpoint;
  if (url.scheme_id() == urls::scheme::https) {
    endpoint.tls = true;
  } else if (url.scheme_id() == urls::scheme::http) {
    endpoint.tls = false;
  } else {
    return std::string("scheme must be http or https");
  }
  if (url.has_userinfo()) return std::string("user info is not allowed");
  if (url.has_query() || url.has_fragment()) return std::string("query and fragment are not allowed");
  if (!url.encoded_path().empty() && url.encoded_path() != "/") {
    return std::string("a path is not allowed (requests use absolute paths like /api/...)");
  }

  switch (url.host_type()) {
    case urls::host_type::name:
      endpoint.host = url.host();
      break;
    case urls::host_type::ipv4:
    case urls::host_type::ipv6:
      endpoint.host = url.host_address();
      endpoint.host_is_ip = true;
      break;
    default:
      return std::string("host must be a name or an IP address");
  }
  if (endpoint.host.empty()) return std::string("host is empty");

  const std::string default_port = endpoint.tls ? "443" : "80";
  if (url.has_port()) {
    // Parsed here: Boost.URL accepts any digit string as a port.
    const std::string_view digits = url.port();
    unsigned long number = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || number == 0 ||
        number > 65535) {
      return std::string("port must be 1-65535");
    }
    endpoint.port = std::to_string(number);
  } else {
    endpoint.port = default_port;
  }

  // The Host header repeats the URL's authority as written (brackets kept for IPv6).
  endpoint.host_header = std::string(url.encoded_host_and_port());
  if (endpoint.port == default_port && url.has_port()) endpoint.host_header = std::string(url.encoded_host());
  return endpoint;
}

}  // namespace kmcp
