#include <doctest/doctest.h>

#include "server/pipeline/cursor_table.hpp"
#include "tests/unit/pipeline/pipeline_harness.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

// A page of `count` profiles P<first>.. with a next link to `next` (none when empty).
std::string page(int first, int count, std::string_view next) {
  json::array data;
  for (int i = first; i < first + count; ++i)
    data.push_back(json::object{{"type", "profile"}, {"id", "P" + std::to_string(i)},
                                {"attributes", json::object{{"email", "p" + std::to_string(i) + "@example.com"}}}});
  json::object links{{"self", "s"}};
  links["next"] = next.empty() ? json::value(nullptr)
                               : json::value("https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=" + std::string(next));
  return json::serialize(json::object{{"data", std::move(data)}, {"links", std::move(links)}});
}

std::string query_of(const UpstreamRequest& request) {
  const auto q = request.target.find('?');
  return q == std::string::npos ? "" : request.target.substr(q + 1);
}

json::object structured(const json::object& result) {
  REQUIRE(result.at("isError") == false);
  return result.at("structuredContent").as_object();
}

}  // namespace

TEST_CASE("max_items follows next links page by page, then hands out a cursor for the rest") {
  Harness h;
  h.upstream.answer(200, page(1, 100, "C2"));
  h.upstream.answer(200, page(101, 100, "C3"));
  h.upstream.answer(200, page(201, 100, "C4"));
  std::vector<double> steps;
  auto ctx = h.context();
  ctx.progress = [&](double p, std::optional<double>, std::string) { steps.push_back(p); };

  auto shaped = structured(h.call(get_profiles_spec(), R"({"max_items":250})", ctx));
  REQUIRE(h.upstream.requests.size() == 3);
  CHECK(query_of(h.upstream.requests[0]) == "page%5Bsize%5D=100");
  CHECK(query_of(h.upstream.requests[1]) == "page%5Bsize%5D=100&page%5Bcursor%5D=C2");
  CHECK(query_of(h.upstream.requests[2]) == "page%5Bsize%5D=100&page%5Bcursor%5D=C3");
  CHECK(shaped.at("data").as_array().size() == 250);
  CHECK(shaped.at("data").as_array().back().at("id") == "P250");
  CHECK(shaped.at("pages_read") == 3);
  CHECK(shaped.at("has_more") == true);
  for (std::size_t i = 1; i < steps.size(); ++i) CHECK(steps[i] > steps[i - 1]);  // grows over pages

  // The cursor resumes inside the third page, at P251.
  h.upstream.requests.clear();
  h.upstream.answer(200, page(201, 100, "C4"));
  const std::string token(shaped.at("next_cursor").as_string());
  auto rest = structured(h.call(get_profiles_spec(), R"({"page_cursor":")" + token + R"("})"));
  REQUIRE(h.upstream.requests.size() == 1);
  CHECK(query_of(h.upstream.requests[0]) == "page%5Bsize%5D=100&page%5Bcursor%5D=C3");
  CHECK(rest.at("data").as_array().size() == 50);
  CHECK(rest.at("data").as_array().front().at("id") == "P251");
  CHECK(rest.at("has_more") == true);
}

TEST_CASE("max_items stops at the last page") {
  Harness h;
  h.upstream.answer(200, page(1, 2, "C2"));
  h.upstream.answer(200, page(3, 1, ""));
  auto shaped = structured(h.call(get_profiles_spec(), R"({"max_items":10,"page_size":2})"));
  CHECK(h.upstream.requests.size() == 2);
  CHECK(shaped.at("data").as_array().size() == 3);
  CHECK(shaped.at("has_more") == false);
  CHECK_FALSE(shaped.contains("next_cursor"));
  CHECK(shaped.at("pages_read") == 2);
}

TEST_CASE("a failing later page ends paging with what was read, a notice and a cursor to that page") {
  Harness h;
  h.upstream.answer(200, page(1, 2, "C2"));
  h.upstream.answer(503, R"({"errors":[{"detail":"Service unavailable."}]})");
  auto shaped = structured(h.call(get_profiles_spec(), R"({"max_items":10,"page_size":2})"));
  CHECK(shaped.at("data").as_array().size() == 2);
  CHECK(std::string(shaped.at("notice").as_string()).find("upstream_unavailable") != std::string::npos);

  h.upstream.requests.clear();
  h.upstream.answer(200, page(3, 1, ""));
  const std::string token(shaped.at("next_cursor").as_string());
  structured(h.call(get_profiles_spec(), R"({"page_cursor":")" + token + R"("})"));
  REQUIRE(h.upstream.requests.size() == 1);
  CHECK(query_of(h.upstream.requests[0]) == "page%5Bcursor%5D=C2");
}

TEST_CASE("an error on the first page is the call's error") {
  Harness h;
  h.upstream.answer(403, R"({"errors":[{"detail":"Missing scope."}]})");
  auto error = error_of(h.call(get_profiles_spec(), R"({"max_items":10})"));
  CHECK(error.at("kind") == "missing_scope");
  CHECK(error.at("required_scopes") == json::array{"profiles:read"});
}

TEST_CASE("a cut result continues exactly where it stopped, until every record was seen once") {
  Harness h(accounts_with("pk_secret_test_key"), 1200);
  std::vector<std::string> seen;
  std::string cursor;
  for (int call = 0; call < 20; ++call) {
    h.upstream.answer(200, page(1, 40, ""));  // one Klaviyo page, larger than a result
    std::string args = cursor.empty() ? "{}" : R"({"page_cursor":")" + cursor + R"("})";
    auto result = h.call(get_profiles_spec(), args);
    CHECK(result.at("content").at(0).at("text").as_string().size() <= 1200);
    auto shaped = structured(result);
    for (const auto& record : shaped.at("data").as_array()) seen.emplace_back(record.at("id").as_string());
    if (!shaped.at("has_more").as_bool()) break;
    CHECK(shaped.contains("notice"));
    cursor = std::string(shaped.at("next_cursor").as_string());
  }
  REQUIRE(seen.size() == 40);
  for (int i = 0; i < 40; ++i) CHECK(seen[static_cast<std::size_t>(i)] == "P" + std::to_string(i + 1));
}

TEST_CASE("an expired or unknown page_cursor is refused before anything is sent") {
  Harness h;
  auto error = error_of(h.call(get_profiles_spec(), R"({"page_cursor":"cur_ZZZZZZZZZZZZ"})"));
  CHECK(error.at("kind") == "validation");
  CHECK(error.at("argument") == "page_cursor");
  CHECK(h.upstream.requests.empty());
}
