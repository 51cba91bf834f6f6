// What a dry run shows: the exact request, secrets masked, multipart files by size.
#include <doctest/doctest.h>

#include "server/pipeline/multipart_body.hpp"
#include "server/pipeline/request_description.hpp"

using namespace kmcp;

TEST_CASE("a JSON request: method, full URL, headers with the key masked, body as JSON") {
  UpstreamRequest request;
  request.method = boost::beast::http::verb::patch;
  request.target = "/api/lists/L1?fields%5Blist%5D=name";
  request.headers = {{"Authorization", "Klaviyo-API-Key pk_secret_123"},
                     {"revision", "2026-07-15"},
                     {"Accept", "application/vnd.api+json"},
                     {"Content-Type", "application/vnd.api+json"}};
  request.body = R"({"data":{"type":"list","id":"L1","attributes":{"name":"VIP"}}})";
  const auto described = describe_request(request, "https://a.klaviyo.com/");
  CHECK(described.at("method") == "PATCH");
  CHECK(described.at("url") == "https://a.klaviyo.com/api/lists/L1?fields%5Blist%5D=name");
  CHECK(described.at("headers").at("Authorization") == "Klaviyo-API-Key ***");
  CHECK(described.at("headers").at("revision") == "2026-07-15");
  CHECK(described.at("headers").at("Content-Type") == "application/vnd.api+json");
  CHECK(described.at("body").at("data").at("attributes").at("name") == "VIP");
  CHECK(json::serialize(described).find("pk_secret_123") == std::string::npos);
}

TEST_CASE("an OAuth token is masked too; no body, no body field") {
  UpstreamRequest request;
  request.method = boost::beast::http::verb::delete_;
  request.target = "/api/lists/L1";
  request.headers = {{"Authorization", "Bearer tok_secret"}};
  const auto described = describe_request(request, "http://127.0.0.1:9");
  CHECK(described.at("headers").at("Authorization") == "Bearer ***");
  CHECK(described.at("url") == "http://127.0.0.1:9/api/lists/L1");
  CHECK_FALSE(described.contains("body"));
}

TEST_CASE("a multipart body is described part by part, a file by its size only") {
  const auto body = encode_multipart({{"name", "Logo", "", ""}, {"file", std::string(1000, 'x'), "logo.png", "image/png"}});
  UpstreamRequest request;
  request.method = boost::beast::http::verb::post;
  request.target = "/api/image-upload";
  request.headers = {{"Content-Type", body.content_type}};
  request.body = body.content;
  const auto described = describe_request(request, "https://a.klaviyo.com");
  const auto& parts = described.at("body").at("multipart").as_array();
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].at("name") == "name");
  CHECK(parts[0].at("value") == "Logo");
  CHECK(parts[1].at("name") == "file");
  CHECK(parts[1].at("filename") == "logo.png");
  CHECK(parts[1].at("content_type") == "image/png");
  CHECK(parts[1].at("bytes") == 1000);
  CHECK(json::serialize(described).find("xxxx") == std::string::npos);
}
