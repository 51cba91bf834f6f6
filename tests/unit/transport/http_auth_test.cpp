// Bearer-token authentication, sessions bound to their token, and the account each request
// acts for.
#include <doctest/doctest.h>

#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
using test::HttpHarness;
using test::Response;

namespace {
constexpr std::string_view kAlpha = "alpha-token-0123456789";
constexpr std::string_view kBeta = "beta-token-0123456789ab";

HttpOptions token_options() {
  auto tokens = BearerTokens::parse(std::string(kAlpha) + " acme,globex\n# a comment\n\n" + std::string(kBeta) + "\n",
                                    "tokens.txt");
  REQUIRE(tokens.has_value());
  HttpOptions options;
  options.tokens = std::make_shared<const BearerTokens>(std::move(*tokens));
  options.accounts = {"default", "acme", "globex"};
  options.default_account = "default";
  return options;
}

test::Request with_token(test::Request request, std::string_view token) {
  request.set(test::http::field::authorization, "Bearer " + std::string(token));
  return request;
}

std::string open_with(HttpHarness& h, std::string_view token) {
  Response init = h.send(with_token(h.post(test::initialize_request(1)), token));
  REQUIRE(init.result_int() == 200);
  const std::string session(init["Mcp-Session-Id"]);
  CHECK(h.send(with_token(h.post(test::notification_text("notifications/initialized", {}), session), token))
            .result_int() == 202);
  return session;
}

std::string account_of(const Response& reply) {
  return std::string(test::body_json(reply).at("result").at("structuredContent").at("account").as_string());
}
}  // namespace

TEST_CASE("auth: no token or a wrong one is 401 with WWW-Authenticate; a listed token passes") {
  HttpHarness h(token_options());
  Response none = h.send(h.post(test::initialize_request(1)));
  CHECK(none.result_int() == 401);
  CHECK(none[test::http::field::www_authenticate] == "Bearer realm=\"klaviyo-mcp\"");
  Response wrong = h.send(with_token(h.post(test::initialize_request(1)), "alpha-token-0123456780"));
  CHECK(wrong.result_int() == 401);
  CHECK(std::string(wrong[test::http::field::www_authenticate]).find("invalid_token") != std::string::npos);
  Response other_scheme = h.send([&] {
    auto r = h.post(test::initialize_request(1));
    r.set(test::http::field::authorization, "Basic " + std::string(kAlpha));
    return r;
  }());
  CHECK(other_scheme.result_int() == 401);
  CHECK(h.send(with_token(h.post(test::initialize_request(1)), kBeta)).result_int() == 200);
  // Case of the scheme does not matter (RFC 7235).
  auto lower = h.post(test::initialize_request(1));
  lower.set(test::http::field::authorization, "bearer " + std::string(kAlpha));
  CHECK(h.send(lower).result_int() == 200);
  // Probes need no token.
  test::Request probe(test::http::verb::get, "/healthz", 11);
  probe.set(test::http::field::host, "127.0.0.1");
  CHECK(h.send(probe).result_int() == 200);
}

TEST_CASE("auth: a session belongs to the token that started it") {
  HttpHarness h(token_options());
  const std::string session = open_with(h, kAlpha);
  CHECK(h.send(with_token(h.post(test::request_text(2, "ping"), session), kAlpha)).result_int() == 200);
  CHECK(h.send(with_token(h.post(test::request_text(3, "ping"), session), kBeta)).result_int() == 404);
  CHECK(h.send(with_token(test::mcp_get(h.port, session), kBeta)).result_int() == 404);
  auto del = test::mcp_get(h.port, session);
  del.method(test::http::verb::delete_);
  CHECK(h.send(with_token(del, kBeta)).result_int() == 404);
  CHECK(h.send(with_token(h.post(test::request_text(4, "ping"), session), kAlpha)).result_int() == 200);
}

TEST_CASE("auth: the account is the token's first, or X-Klaviyo-Account among those it may use") {
  HttpHarness h(token_options());
  const std::string alpha = open_with(h, kAlpha);
  CHECK(account_of(h.send(with_token(h.post(test::call_text(2, "echo"), alpha), kAlpha))) == "acme");
  auto globex = with_token(h.post(test::call_text(3, "echo"), alpha), kAlpha);
  globex.set("X-Klaviyo-Account", "globex");
  CHECK(account_of(h.send(globex)) == "globex");
  auto forbidden = with_token(h.post(test::call_text(4, "echo"), alpha), kAlpha);
  forbidden.set("X-Klaviyo-Account", "default");
  Response refused = h.send(forbidden);
  CHECK(refused.result_int() == 403);
  const std::string message(test::body_json(refused).at("error").at("message").as_string());
  CHECK(message.find("acme, globex") != std::string::npos);
  auto unknown = with_token(h.post(test::call_text(5, "echo"), alpha), kAlpha);
  unknown.set("X-Klaviyo-Account", "initech");
  CHECK(h.send(unknown).result_int() == 400);

  // A token without a list may use every account; it starts on the default one.
  const std::string beta = open_with(h, kBeta);
  CHECK(account_of(h.send(with_token(h.post(test::call_text(6, "echo"), beta), kBeta))) == "default");
  auto any = with_token(h.post(test::call_text(7, "echo"), beta), kBeta);
  any.set("X-Klaviyo-Account", "acme");
  CHECK(account_of(h.send(any)) == "acme");
}

TEST_CASE("auth: without tokens every request passes and acts for the default account") {
  HttpOptions options;
  options.accounts = {"default", "acme"};
  HttpHarness h(options);
  const std::string session = h.open_session();
  CHECK(account_of(h.send(h.post(test::call_text(2, "echo"), session))) == "default");
  auto acme = h.post(test::call_text(3, "echo"), session);
  acme.set("X-Klaviyo-Account", "acme");
  CHECK(account_of(h.send(acme)) == "acme");
}

TEST_CASE("bearer tokens: file format errors name the line; short tokens are refused") {
  auto short_token = BearerTokens::parse("\n  short acme\n", "t.txt");
  REQUIRE_FALSE(short_token.has_value());
  CHECK(short_token.error().find("t.txt:2:") == 0);
  auto bad_account = BearerTokens::parse("0123456789abcdef0123 acme,,x\n", "t.txt");
  REQUIRE_FALSE(bad_account.has_value());
  CHECK(bad_account.error().find("t.txt:1:") == 0);
  auto good = BearerTokens::parse("0123456789abcdef0123 acme\r\n", "t.txt");
  REQUIRE(good.has_value());
  REQUIRE(good->check("Bearer 0123456789abcdef0123"));
  CHECK(good->check("Bearer 0123456789abcdef0123")->label == "token-1");
  CHECK(good->check("Bearer 0123456789abcdef012") == nullptr);
  CHECK(good->check("") == nullptr);
  CHECK(good->named_accounts() == std::vector<std::string>{"acme"});
}

}  // namespace kmcp
