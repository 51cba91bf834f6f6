#include <doctest/doctest.h>

#include "server/pipeline/request_builder.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;
using kmcp::test::parse_object;

namespace {

json::value body_json(const ToolSpec& spec, std::string_view args) {
  auto body = build_body(spec, parse_object(args));
  REQUIRE(body.has_value());
  return json::parse(*body);
}

}  // namespace

TEST_CASE("percent_encode keeps only unreserved characters literal") {
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b/c[d]?&=") == "a%20b%2Fc%5Bd%5D%3F%26%3D");
  CHECK(percent_encode("\xC3\xA9") == "%C3%A9");
  CHECK(percent_encode("equals(email,\"x@y.z\")") == "equals%28email%2C%22x%40y.z%22%29");
}

TEST_CASE("build_path substitutes encoded path arguments") {
  auto spec = test::update_list_spec();
  auto path = build_path(spec, parse_object(R"({"id":"Ab/1 2"})"));
  REQUIRE(path.has_value());
  CHECK(*path == "/api/lists/Ab%2F1%202");

  SUBCASE("placeholder mapped to a differently named argument") {
    auto add = test::add_profiles_to_list_spec();
    auto target = build_path(add, parse_object(R"({"list_id":"XyZ","profile_ids":[]})"));
    REQUIRE(target.has_value());
    CHECK(*target == "/api/lists/XyZ/relationships/profiles");
  }
  SUBCASE("missing path argument is a validation error naming it") {
    auto missing = build_path(spec, parse_object("{}"));
    REQUIRE(missing.has_error());
    CHECK(missing.error().kind == "validation");
    CHECK(missing.error().details.at("argument") == "id");
    CHECK(missing.error().message.find("id") != std::string::npos);
  }
  SUBCASE("empty id is refused rather than changing the route") {
    CHECK(build_path(spec, parse_object(R"({"id":""})")).has_error());
  }
}

TEST_CASE("build_query encodes keys and values in spec order") {
  auto spec = test::get_profiles_spec();
  auto query = build_query(spec, parse_object(R"js({
      "sort":"-created","page_size":20.0,"fields_profile":["email","first_name"],
      "filter":"equals(email,\"a@b.co\")"})js"));
  REQUIRE(query.has_value());
  CHECK(*query ==
        "fields%5Bprofile%5D=email%2Cfirst_name&filter=equals%28email%2C%22a%40b.co%22%29&page%5Bsize%5D=20&sort=-created");

  SUBCASE("absent, null and empty-list arguments leave their parameter out") {
    auto none = build_query(spec, parse_object(R"({"sort":null,"fields_profile":[]})"));
    REQUIRE(none.has_value());
    CHECK(none->empty());
  }
  SUBCASE("booleans and non-integral numbers as text") {
    ToolSpec s;
    s.query = {{"flag", "flag", QueryParamSpec::Style::plain, {}, {}},
               {"ratio", "ratio", QueryParamSpec::Style::plain, {}, {}}};
    auto q = build_query(s, parse_object(R"({"flag":true,"ratio":0.5})"));
    REQUIRE(q.has_value());
    CHECK(*q == "flag=true&ratio=0.5");
  }
}

TEST_CASE("csv items must be in the allowed list") {
  auto spec = test::get_profiles_spec();
  auto bad = build_query(spec, parse_object(R"({"fields_profile":["email","phone"]})"));
  REQUIRE(bad.has_error());
  CHECK(bad.error().kind == "validation");
  CHECK(bad.error().details.at("argument") == "fields_profile");
  CHECK(bad.error().details.at("value") == "phone");
  CHECK(bad.error().message.find("'phone'") != std::string::npos);
  CHECK(bad.error().message.find("email, first_name, last_name") != std::string::npos);

  auto comma_string = build_query(spec, parse_object(R"({"include":"lists,segments"})"));
  REQUIRE(comma_string.has_value());
  CHECK(*comma_string == "include=lists%2Csegments");
}

TEST_CASE("filter arguments are checked before sending") {
  auto spec = test::get_profiles_spec();
  auto bad = build_query(spec, parse_object(R"js({"filter":"equals(phone_number,\"1\")"})js"));
  REQUIRE(bad.has_error());
  CHECK(bad.error().details.at("argument") == "filter");
  CHECK(bad.error().message.find("phone_number") != std::string::npos);
  CHECK(bad.error().message.find("email (any, equals)") != std::string::npos);
}

TEST_CASE("cursor arguments accept a bare cursor or a whole next link") {
  CHECK(cursor_from("bmV4dDo6aWQ6OjQz") == std::optional<std::string>("bmV4dDo6aWQ6OjQz"));
  CHECK(cursor_from("https://a.klaviyo.com/api/profiles?page%5Bsize%5D=20&page%5Bcursor%5D=abc%2Bdef") ==
        std::optional<std::string>("abc+def"));
  CHECK(cursor_from("https://a.klaviyo.com/api/profiles?page[cursor]=xyz#frag") == std::optional<std::string>("xyz"));
  CHECK(cursor_from("/api/profiles?page%5Bcursor%5D=rel") == std::optional<std::string>("rel"));
  CHECK_FALSE(cursor_from("https://a.klaviyo.com/api/profiles?page%5Bsize%5D=20").has_value());

  auto spec = test::get_profiles_spec();
  auto query = build_query(
      spec, parse_object(R"({"page_cursor":"https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=c1"})"));
  REQUIRE(query.has_value());
  CHECK(*query == "page%5Bcursor%5D=c1");
  auto bad = build_query(spec, parse_object(R"({"page_cursor":"https://a.klaviyo.com/api/profiles/"})"));
  REQUIRE(bad.has_error());
  CHECK(bad.error().details.at("argument") == "page_cursor");
}

TEST_CASE("build_target joins path and query") {
  auto spec = test::get_profiles_spec();
  auto plain = build_target(spec, parse_object("{}"));
  REQUIRE(plain.has_value());
  CHECK(*plain == "/api/profiles");
  auto paged = build_target(spec, parse_object(R"({"page_size":5})"));
  REQUIRE(paged.has_value());
  CHECK(*paged == "/api/profiles?page%5Bsize%5D=5");
}

TEST_CASE("resource bodies carry type, id, present attributes and relationships") {
  auto spec = test::update_list_spec();
  CHECK(body_json(spec, R"({"id":"L1","name":"VIP"})") ==
        json::parse(R"({"data":{"type":"list","id":"L1","attributes":{"name":"VIP"}}})"));
  // null clears a field, so it is sent; absent arguments are not.
  CHECK(body_json(spec, R"({"id":"L1","opt_in_process":null})") ==
        json::parse(R"({"data":{"type":"list","id":"L1","attributes":{"opt_in_process":null}}})"));
  // Klaviyo wants "attributes" even when no attribute is given.
  CHECK(body_json(spec, R"({"id":"L1"})") == json::parse(R"({"data":{"type":"list","id":"L1","attributes":{}}})"));
  // Compact serialisation.
  auto text = build_body(spec, parse_object(R"({"id":"L1"})"));
  REQUIRE(text.has_value());
  CHECK(text->find(' ') == std::string::npos);
}

TEST_CASE("resource_list wrap and relationships") {
  auto spec = test::bulk_subscribe_spec();
  auto body = body_json(spec, R"({
      "profiles":[{"id":"P1","email":"a@b.co"},{"email":"c@d.co","phone_number":"+15005550006"}],
      "custom_source":"mcp","list_id":"L9","tag_ids":["T1","T2"]})");
  CHECK(body == json::parse(R"({"data":{
      "type":"profile-subscription-bulk-create-job",
      "attributes":{
        "custom_source":"mcp",
        "profiles":{"data":[
          {"type":"profile","id":"P1","attributes":{"email":"a@b.co"}},
          {"type":"profile","attributes":{"email":"c@d.co","phone_number":"+15005550006"}}]}},
      "relationships":{
        "list":{"data":{"type":"list","id":"L9"}},
        "tags":{"data":[{"type":"tag","id":"T1"},{"type":"tag","id":"T2"}]}}}})"));

  SUBCASE("no relationships member when none is given") {
    auto only = body_json(spec, R"({"profiles":[]})");
    CHECK_FALSE(only.at("data").as_object().contains("relationships"));
  }
  SUBCASE("wrapped items must be objects") {
    auto bad = build_body(spec, parse_object(R"({"profiles":["a@b.co"]})"));
    REQUIRE(bad.has_error());
    CHECK(bad.error().details.at("argument") == "profiles");
  }
}

TEST_CASE("meta arguments go under data.meta; data_array sends a one-element array") {
  ToolSpec spec;
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/object-schemas/{id}/relationships/object-schemas";
  spec.path_args = {{"id", "object_schema_id"}};
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "object-schema";
  spec.body.id_arg = "related_schema_id";
  spec.body.meta = {{"relationship_name", "name"}, {"note", "description"}};
  CHECK(body_json(spec, R"({"object_schema_id":"S1","related_schema_id":"S2","relationship_name":"parts"})") ==
        json::parse(R"({"data":{"type":"object-schema","id":"S2","meta":{"name":"parts"}}})"));
  // No meta argument given: no meta member at all.
  CHECK(body_json(spec, R"({"related_schema_id":"S2"})") ==
        json::parse(R"({"data":{"type":"object-schema","id":"S2"}})"));

  spec.body.data_array = true;
  CHECK(body_json(spec, R"({"related_schema_id":"S2","relationship_name":"parts","note":"bits"})") ==
        json::parse(R"({"data":[{"type":"object-schema","id":"S2","meta":{"name":"parts","description":"bits"}}]})"));
}

TEST_CASE("resource_list items move their relationship properties under relationships") {
  ToolSpec spec;
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/coupon-code-bulk-create-jobs";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "coupon-code-bulk-create-job";
  AttributeSpec codes{"coupon-codes", "resource_list", "coupon-code"};
  codes.relationships = {{"coupon_id", RelationshipSpec{"coupon", "coupon", false}}};
  spec.body.attributes = {{"coupon_codes", codes}};
  CHECK(body_json(spec, R"({"coupon_codes":[{"unique_code":"A1","coupon_id":"C10"},{"unique_code":"A2"}]})") ==
        json::parse(R"({"data":{"type":"coupon-code-bulk-create-job","attributes":{"coupon-codes":{"data":[
          {"type":"coupon-code","attributes":{"unique_code":"A1"},
           "relationships":{"coupon":{"data":{"type":"coupon","id":"C10"}}}},
          {"type":"coupon-code","attributes":{"unique_code":"A2"}}]}}}})"));
  auto bad = build_body(spec, parse_object(R"({"coupon_codes":[{"unique_code":"A1","coupon_id":{"id":"C"}}]})"));
  REQUIRE(bad.has_error());
  CHECK(bad.error().details.at("argument") == "coupon_codes");
}

TEST_CASE("id_list wrap turns an array of ids into a nested list of identifiers") {
  ToolSpec spec;
  spec.method = boost::beast::http::verb::post;
  spec.path = "/api/catalog-item-bulk-delete-jobs";
  spec.body.kind = BodySpec::Kind::resource;
  spec.body.type = "catalog-item-bulk-delete-job";
  spec.body.attributes = {{"item_ids", AttributeSpec{"items", "id_list", "catalog-item"}}};
  CHECK(body_json(spec, R"({"item_ids":["A","B"]})") == json::parse(R"({"data":{
      "type":"catalog-item-bulk-delete-job",
      "attributes":{"items":{"data":[{"type":"catalog-item","id":"A"},{"type":"catalog-item","id":"B"}]}}}})"));
  auto bad = build_body(spec, parse_object(R"({"item_ids":[{"id":"A"}]})"));
  REQUIRE(bad.has_error());
  CHECK(bad.error().details.at("argument") == "item_ids");
}

TEST_CASE("relationships bodies list type and id per item") {
  auto spec = test::add_profiles_to_list_spec();
  CHECK(body_json(spec, R"({"list_id":"L","profile_ids":["P1","P2"]})") ==
        json::parse(R"({"data":[{"type":"profile","id":"P1"},{"type":"profile","id":"P2"}]})"));
  CHECK(build_body(spec, parse_object(R"({"list_id":"L"})")).has_error());
}

TEST_CASE("body kind none is empty") {
  auto spec = test::get_profiles_spec();
  auto body = build_body(spec, parse_object(R"({"page_size":3})"));
  REQUIRE(body.has_value());
  CHECK(body->empty());
}
