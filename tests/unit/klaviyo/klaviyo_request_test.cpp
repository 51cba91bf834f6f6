#include <doctest/doctest.h>

#include <boost/beast/core/string.hpp>
#include <optional>
#include <string>

#include "server/klaviyo/klaviyo_request.hpp"

namespace kmcp {
namespace {

namespace http = boost::beast::http;

std::optional<std::string> header(const UpstreamRequest& request, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : request.headers) {
    if (boost::beast::iequals(key, name)) {
      REQUIRE_FALSE(found.has_value());  // never twice
      found = value;
    }
  }
  return found;
}

AccountCredentials private_account() {
  AccountCredentials credentials;
  credentials.private_key = "pk_abc123";
  credentials.public_key = "AbC123";
  return credentials;
}

KlaviyoRequestParts parts(std::string target, std::string body = {}) {
  KlaviyoRequestParts p;
  p.method = body.empty() ? http::verb::get : http::verb::post;
  p.target = std::move(target);
  p.body = std::move(body);
  p.revision = "2026-07-15";
  p.user_agent = "klaviyo-mcp/0.1.0";
  return p;
}

}  // namespace

TEST_CASE("private key: API-Key auth, revision, JSON:API accept, no content type without body") {
  const auto request = build_klaviyo_request(parts("/api/lists?page%5Bsize%5D=10"), private_account());
  CHECK(request.method == http::verb::get);
  CHECK(request.target == "/api/lists?page%5Bsize%5D=10");
  CHECK(header(request, "Authorization") == "Klaviyo-API-Key pk_abc123");
  CHECK(header(request, "revision") == "2026-07-15");
  CHECK(header(request, "Accept") == "application/vnd.api+json");
  CHECK(header(request, "User-Agent") == "klaviyo-mcp/0.1.0");
  CHECK_FALSE(header(request, "Content-Type").has_value());
  CHECK(request.body.empty());
}

TEST_CASE("a body brings its content type, default or given") {
  const std::string body = R"({"data":{"type":"list","attributes":{"name":"VIP"}}})";
  const auto json_api = build_klaviyo_request(parts("/api/lists", body), private_account());
  CHECK(json_api.method == http::verb::post);
  CHECK(json_api.body == body);
  CHECK(header(json_api, "Content-Type") == "application/vnd.api+json");

  auto multipart = parts("/api/images", "--x\r\n...");
  multipart.content_type = "multipart/form-data; boundary=x";
  const auto upload = build_klaviyo_request(std::move(multipart), private_account());
  CHECK(header(upload, "Content-Type") == "multipart/form-data; boundary=x");
}

TEST_CASE("OAuth token only: Bearer auth; both set: the private key wins") {
  AccountCredentials oauth;
  oauth.oauth_token = "tok_xyz";
  CHECK(header(build_klaviyo_request(parts("/api/accounts"), oauth), "Authorization") == "Bearer tok_xyz");

  AccountCredentials both = private_account();
  both.oauth_token = "tok_xyz";
  CHECK(header(build_klaviyo_request(parts("/api/accounts"), both), "Authorization") == "Klaviyo-API-Key pk_abc123");
}

TEST_CASE("public key auth: no Authorization, company_id appended with ? or &") {
  auto p = parts("/client/subscriptions", R"({"data":{}})");
  p.public_key_auth = true;
  const auto request = build_klaviyo_request(p, private_account());
  CHECK_FALSE(header(request, "Authorization").has_value());
  CHECK(request.target == "/client/subscriptions?company_id=AbC123");
  CHECK(header(request, "revision") == "2026-07-15");

  auto with_query = parts("/client/profiles?fields%5Bprofile%5D=email");
  with_query.public_key_auth = true;
  CHECK(build_klaviyo_request(with_query, private_account()).target ==
        "/client/profiles?fields%5Bprofile%5D=email&company_id=AbC123");
}

TEST_CASE("public key auth: the company id is percent-encoded") {
  AccountCredentials odd;
  odd.public_key = "a b&c=d/é";
  auto p = parts("/client/events");
  p.public_key_auth = true;
  CHECK(build_klaviyo_request(p, odd).target == "/client/events?company_id=a%20b%26c%3Dd%2F%C3%A9");
}

TEST_CASE("missing credentials build a request without Authorization (the pipeline reports it)") {
  const auto request = build_klaviyo_request(parts("/api/lists"), AccountCredentials{});
  CHECK_FALSE(header(request, "Authorization").has_value());
}

}  // namespace kmcp
