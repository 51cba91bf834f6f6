#include "server/redis/redis_url.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

namespace kmcp {
namespace {

using UrlResult = boost::system::result<RedisEndpoint, std::string>;

// In place: an endpoint could be built from a string too (C++20 aggregate init).
UrlResult refuse(std::string why) { return UrlResult(boost::system::in_place_error, std::move(why)); }

}  // namespace

std::string RedisEndpoint::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + port;
}

boost::system::result<RedisEndpoint, std::string> parse_redis_url(std::string_view text) {
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return refuse("not a URL (expected redis://HOST:PORT or rediss://HOST:PORT)");
  const boost::urls::url_view& url = *parsed;
  RedisEndpoint endpoint;
  if (url.scheme() == "rediss") {
    endpoint.tls = true;
  } else if (url.scheme() != "redis") {
    return refuse("the scheme must be redis:// or rediss:// (TLS)");
  }
  if (!url.has_authority() || url.host().empty()) return refuse("the URL names no host");
  if (url.has_query() || url.has_fragment()) return refuse("the URL may not have a query or fragment");
  endpoint.host = url.host_address();
  if (url.host_type() == boost::urls::host_type::ipv4 || url.host_type() == boost::urls::host_type::ipv6) {
    endpoint.host_is_ip = true;
  }
  if (url.has_port()) {
    if (url.port().empty() || url.port_number() == 0) return refuse("the port must be a number from 1 to 65535");
    endpoint.port = std::string(url.port());
  }
  if (url.has_userinfo()) {
    endpoint.username = url.user();
    endpoint.password = url.password();
    // redis://password@host (no colon) is common shorthand for the default user's password.
    if (!url.has_password()) std::swap(endpoint.username, endpoint.password);
  }
  const std::string_view path = url.encoded_path();
  if (!path.empty() && path != "/") {
    const std::string_view db = path.substr(1);
    int number = -1;
    const auto [end, ec] = std::from_chars(db.data(), db.data() + db.size(), number);
    if (ec != std::errc() || end != db.data() + db.size() || number < 0)
      return refuse("the path must be a database number, as in redis://HOST:PORT/0");
    endpoint.database = number;
  }
  return endpoint;
}

}  // namespace kmcp
