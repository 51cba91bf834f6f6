#include <doctest/doctest.h>

#include "server/core/secret_redactor.hpp"

namespace kmcp {

TEST_CASE("secret redactor: every occurrence, in strings, keys and nested values; short ones ignored") {
  SecretRedactor redactor({"pk_secret_0123456789", "short", "", "pk_secret_0123456789_longer"});
  std::string text = "a pk_secret_0123456789 b pk_secret_0123456789_longer c pk_secret_0123456789";
  CHECK(redactor.redact(text));
  CHECK(text == "a [redacted] b [redacted] c [redacted]");
  std::string plain = "nothing short here";
  CHECK_FALSE(redactor.redact(plain));
  CHECK(plain == "nothing short here");

  json::value doc = json::parse(R"({"data":[{"note":"key=pk_secret_0123456789"}],"pk_secret_0123456789":1,"n":2})");
  CHECK(redactor.redact(doc));
  CHECK(json::serialize(doc) == R"({"data":[{"note":"key=[redacted]"}],"[redacted]":1,"n":2})");
  json::value clean = json::parse(R"({"a":["b",{"c":"d"}]})");
  CHECK_FALSE(redactor.redact(clean));
  CHECK(json::serialize(clean) == R"({"a":["b",{"c":"d"}]})");
  CHECK(SecretRedactor().empty());
}

}  // namespace kmcp
