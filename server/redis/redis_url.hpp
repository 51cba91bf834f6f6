#pragma once
// Where the shared state lives: a redis:// or rediss:// URL taken apart, checked at startup.
#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace kmcp {

struct RedisEndpoint {
  std::string host;
  std::string port = "6379";
  bool tls = false;          // rediss://
  std::string username;      // empty: AUTH with the password alone (the default user)
  std::string password;      // empty: no AUTH
  int database = 0;          // /db; SELECT when not 0
  bool host_is_ip = false;

  // "host:port" for logs and messages: never the password.
  std::string authority() const;
};

// redis://[[user]:password@]host[:port][/db] or rediss://...; percent-escapes in user and
// password are decoded. An error says what is wrong with the URL, without echoing a password.
boost::system::result<RedisEndpoint, std::string> parse_redis_url(std::string_view url);

}  // namespace kmcp
