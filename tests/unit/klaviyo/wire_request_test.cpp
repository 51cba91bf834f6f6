#include <doctest/doctest.h>

#include "server/klaviyo/wire_request.hpp"

namespace kmcp {

namespace http = boost::beast::http;

TEST_CASE("the wire request carries Host, headers, body and its length") {
  UpstreamRequest request;
  request.method = http::verb::post;
  request.target = "/api/events";
  request.headers = {{"revision", "2026-07-15"}, {"Host", "evil.example"}, {"Content-Length", "999"}};
  request.body = R"({"data":{}})";
  const auto wire = to_wire_request(request, "a.klaviyo.com");
  REQUIRE(wire.has_value());
  CHECK(wire->method() == http::verb::post);
  CHECK(wire->target() == "/api/events");
  CHECK(wire->version() == 11);
  CHECK((*wire)[http::field::host] == "a.klaviyo.com");
  CHECK(wire->count(http::field::host) == 1);
  CHECK((*wire)["revision"] == "2026-07-15");
  CHECK((*wire)[http::field::content_length] == "11");
  CHECK(wire->body() == request.body);
}

TEST_CASE("a GET without a body sends no Content-Length") {
  UpstreamRequest request;
  request.target = "/api/lists";
  const auto wire = to_wire_request(request, "a.klaviyo.com");
  REQUIRE(wire.has_value());
  CHECK(wire->count(http::field::content_length) == 0);
}

TEST_CASE("targets and headers that could split the request are refused without echoing values") {
  UpstreamRequest bad_target;
  bad_target.target = "/api/lists HTTP/1.1\r\nX: y";
  CHECK(to_wire_request(bad_target, "h").has_error());
  bad_target.target = "api/lists";
  CHECK(to_wire_request(bad_target, "h").has_error());
  bad_target.target = "";
  CHECK(to_wire_request(bad_target, "h").has_error());

  UpstreamRequest bad_value;
  bad_value.target = "/api/lists";
  bad_value.headers = {{"Authorization", "Klaviyo-API-Key pk_secret\r\nX-Evil: 1"}};
  const auto refused = to_wire_request(bad_value, "h");
  REQUIRE(refused.has_error());
  CHECK(refused.error().kind == UpstreamFailure::Kind::protocol);
  CHECK_FALSE(refused.error().maybe_sent);
  CHECK(refused.error().message.find("Authorization") != std::string::npos);
  CHECK(refused.error().message.find("pk_secret") == std::string::npos);

  UpstreamRequest bad_name;
  bad_name.target = "/api/lists";
  bad_name.headers = {{"X Bad", "v"}};
  CHECK(to_wire_request(bad_name, "h").has_error());
}

}  // namespace kmcp
