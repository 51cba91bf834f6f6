#include <doctest/doctest.h>

#include "server/pipeline/result_shaper.hpp"

using namespace kmcp;

namespace {

const char* kProfile = R"({
  "type":"profile","id":"P1",
  "attributes":{"email":"a@b.co","first_name":"Ada","location":{"city":"Boston"}},
  "relationships":{
    "lists":{"data":[{"type":"list","id":"L1"},{"type":"list","id":"L2"}],"links":{"self":"https://x/1"}},
    "conversation":{"data":{"type":"conversation","id":"C1"}},
    "segments":{"links":{"self":"https://x/2","related":"https://x/3"}}},
  "links":{"self":"https://a.klaviyo.com/api/profiles/P1/"}})";

json::object structured(const json::object& result) { return result.at("structuredContent").as_object(); }

std::string text(const json::object& result) {
  const auto& content = result.at("content").as_array();
  REQUIRE(content.size() == 1);
  CHECK(content[0].at("type") == "text");
  return std::string(content[0].at("text").as_string());
}

}  // namespace

TEST_CASE("a resource is flattened; links and data-less relationships dropped") {
  auto flat = flatten_resource(json::parse(kProfile).as_object());
  CHECK(flat == json::parse(R"({"type":"profile","id":"P1","email":"a@b.co","first_name":"Ada",
                                "location":{"city":"Boston"},
                                "relationships":{"lists":["L1","L2"],"conversation":"C1"}})"));
}

TEST_CASE("attributes named like our keys do not overwrite them") {
  auto flat = flatten_resource(
      json::parse(R"({"type":"webhook","id":"W1","attributes":{"type":"custom","id":"inner","name":"n"}})").as_object());
  CHECK(flat.at("type") == "webhook");
  CHECK(flat.at("id") == "W1");
  CHECK(flat.at("name") == "n");
  CHECK(flat.at("attributes") == json::parse(R"({"type":"custom","id":"inner"})"));
}

TEST_CASE("a single-resource document becomes the flattened resource, with included") {
  std::string body = std::string(R"({"data":)") + kProfile +
                     R"(,"included":[{"type":"list","id":"L1","attributes":{"name":"VIP"},"links":{"self":"x"}}]})";
  auto result = shape_result(200, body);
  CHECK(result.at("isError") == false);
  auto shaped = structured(result);
  CHECK(shaped.at("id") == "P1");
  CHECK(shaped.at("included") == json::parse(R"([{"type":"list","id":"L1","name":"VIP"}])"));
  CHECK(json::parse(text(result)) == json::value(shaped));
  CHECK(text(result).find('\n') == std::string::npos);
}

TEST_CASE("a collection keeps data and reduces links.next to its cursor") {
  auto with_next = shape_result(200, R"({
    "data":[{"type":"list","id":"L1","attributes":{"name":"A"}},{"type":"list","id":"L2","attributes":{"name":"B"}}],
    "links":{"self":"https://a.klaviyo.com/api/lists/",
             "next":"https://a.klaviyo.com/api/lists/?page%5Bcursor%5D=bmV4dDo6aWQ6OjI",
             "prev":null}})");
  CHECK(structured(with_next) == json::parse(R"({"data":[{"type":"list","id":"L1","name":"A"},
                                                         {"type":"list","id":"L2","name":"B"}],
                                                 "next_cursor":"bmV4dDo6aWQ6OjI"})"));

  auto last_page = shape_result(200, R"({"data":[],"links":{"self":"s","next":null}})");
  CHECK(structured(last_page) == json::parse(R"({"data":[]})"));
}

TEST_CASE("relationship listings flatten to type and id") {
  auto result = shape_result(200, R"({"data":[{"type":"profile","id":"P1"}],"links":{"self":"s"}})");
  CHECK(structured(result) == json::parse(R"({"data":[{"type":"profile","id":"P1"}]})"));
  CHECK(next_cursor(json::parse(R"({"links":{"next":"https://x/?page[size]=2"}})").as_object()) == std::nullopt);
}

TEST_CASE("empty answers say ok, and 202 says accepted") {
  auto no_content = shape_result(204, "");
  CHECK(structured(no_content) == json::parse(R"({"ok":true,"status":204})"));
  CHECK(json::parse(text(no_content)) == json::parse(R"({"ok":true,"status":204})"));

  auto accepted = structured(shape_result(202, " \n"));
  CHECK(accepted.at("ok") == true);
  CHECK(accepted.at("status") == 202);
  CHECK(accepted.at("accepted") == true);
  CHECK(accepted.contains("note"));
}

TEST_CASE("non-JSON:API and non-JSON bodies") {
  CHECK(structured(shape_result(200, R"({"plain":1})")) == json::parse(R"({"plain":1})"));
  CHECK(structured(shape_result(200, "[1,2]")) == json::parse(R"({"result":[1,2]})"));
  auto plain_text = shape_result(200, "hello, world");
  CHECK(text(plain_text) == "hello, world");
  CHECK_FALSE(plain_text.contains("structuredContent"));
  CHECK(structured(shape_result(200, R"({"data":null})")) == json::parse(R"({"data":null})"));
}
