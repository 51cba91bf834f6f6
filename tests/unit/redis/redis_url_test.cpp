#include <doctest/doctest.h>

#include "server/redis/redis_url.hpp"

using namespace kmcp;

TEST_CASE("a Redis URL gives host, port, TLS, user, password and database") {
  const auto plain = parse_redis_url("redis://cache.internal:6380");
  REQUIRE(plain.has_value());
  CHECK(plain->host == "cache.internal");
  CHECK(plain->port == "6380");
  CHECK_FALSE(plain->tls);
  CHECK_FALSE(plain->host_is_ip);
  CHECK(plain->password.empty());
  CHECK(plain->database == 0);

  const auto full = parse_redis_url("rediss://kmcp:s%40cret@10.0.0.5/3");
  REQUIRE(full.has_value());
  CHECK(full->tls);
  CHECK(full->port == "6379");
  CHECK(full->username == "kmcp");
  CHECK(full->password == "s@cret");
  CHECK(full->database == 3);
  CHECK(full->host_is_ip);
  CHECK(full->authority() == "10.0.0.5:6379");

  const auto password_only = parse_redis_url("redis://:hunter2@[::1]:7000");
  REQUIRE(password_only.has_value());
  CHECK(password_only->username.empty());
  CHECK(password_only->password == "hunter2");
  CHECK(password_only->host == "::1");
  CHECK(password_only->authority() == "[::1]:7000");

  const auto bare_password = parse_redis_url("redis://hunter2@localhost");
  REQUIRE(bare_password.has_value());
  CHECK(bare_password->username.empty());
  CHECK(bare_password->password == "hunter2");
}

TEST_CASE("a bad Redis URL is refused with what is wrong, never echoing the password") {
  const auto message = [](std::string_view url) {
    const auto parsed = parse_redis_url(url);
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error();
  };
  CHECK(message("http://localhost:6379").find("redis://") != std::string::npos);
  CHECK(message("localhost:6379").find("redis://") != std::string::npos);
  CHECK(message("redis://").find("host") != std::string::npos);
  CHECK(message("redis://:pw@localhost:0").find("port") != std::string::npos);
  CHECK(message("redis://localhost/x").find("database") != std::string::npos);
  CHECK(message("redis://localhost/1?x=1").find("query") != std::string::npos);
  CHECK(message("redis://:topsecret@localhost/db").find("topsecret") == std::string::npos);
}
