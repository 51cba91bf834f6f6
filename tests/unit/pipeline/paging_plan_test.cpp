#include <doctest/doctest.h>

#include "server/pipeline/paging_plan.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;
using kmcp::test::parse_object;

namespace {

struct Fixture {
  ManualClock clock;
  CursorTable cursors{clock};
  ToolSpec spec = test::get_profiles_spec();

  boost::system::result<PagingPlan, ToolError> plan(std::string_view args, std::string_view account = "default") {
    return plan_paging(spec, parse_object(args), cursors, account);
  }
};

}  // namespace

TEST_CASE("max_items is taken out of the arguments and asks for the largest page the tool allows") {
  Fixture f;
  auto plan = f.plan(R"({"max_items":250})");
  REQUIRE(plan.has_value());
  CHECK(plan->max_items == 250);
  CHECK(plan->args == parse_object(R"({"page_size":100})"));
  CHECK(plan->page_size == std::optional<std::int64_t>(100));

  auto small = f.plan(R"({"max_items":30})");
  CHECK(small->args.at("page_size") == 30);

  auto chosen = f.plan(R"({"max_items":30,"page_size":10})");
  CHECK(chosen->args.at("page_size") == 10);
}

TEST_CASE("a max_items the schema refuses stays for the schema to report") {
  Fixture f;
  auto plan = f.plan(R"({"max_items":5000})");
  REQUIRE(plan.has_value());
  CHECK(plan->max_items == 0);
  CHECK(plan->args.contains("max_items"));
}

TEST_CASE("a raw Klaviyo cursor or next link is passed on") {
  Fixture f;
  auto plan = f.plan(R"({"page_cursor":"https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=RAW"})");
  REQUIRE(plan.has_value());
  CHECK(plan->first_cursor == std::optional<std::string>("RAW"));
  CHECK(plan->skip == 0);
}

TEST_CASE("our token resolves to Klaviyo's cursor, the records to skip and the page size they need") {
  Fixture f;
  const auto token = f.cursors.issue(CursorEntry{"default", "get_profiles", "K3", 50, 100});
  auto plan = f.plan(R"({"page_cursor":")" + token + R"j(","page_size":7,"filter":"equals(email,\"a@b.co\")"})j");
  REQUIRE(plan.has_value());
  CHECK(plan->args.at("page_cursor") == "K3");
  CHECK(plan->args.at("page_size") == 100);  // the page is cut where it was cut before
  CHECK(plan->args.at("filter") == "equals(email,\"a@b.co\")");
  CHECK(plan->first_cursor == std::optional<std::string>("K3"));
  CHECK(plan->skip == 50);

  const auto first_page = f.cursors.issue(CursorEntry{"default", "get_profiles", std::nullopt, 12, std::nullopt});
  auto again = f.plan(R"({"page_cursor":")" + first_page + R"(","page_size":7})");
  REQUIRE(again.has_value());
  CHECK_FALSE(again->args.contains("page_cursor"));
  CHECK_FALSE(again->args.contains("page_size"));  // Klaviyo's default, as before
  CHECK(again->skip == 12);
}

TEST_CASE("an unknown, expired, foreign or other tool's token is a validation error naming page_cursor") {
  Fixture f;
  auto unknown = f.plan(R"({"page_cursor":"cur_AAAAAAAAAAAA"})");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().kind == "validation");
  CHECK(unknown.error().details.at("argument") == "page_cursor");
  CHECK(unknown.error().message.find("without page_cursor") != std::string::npos);

  const auto token = f.cursors.issue(CursorEntry{"default", "get_lists", "K", 0, std::nullopt});
  auto other_tool = f.plan(R"({"page_cursor":")" + token + R"("})");
  REQUIRE_FALSE(other_tool.has_value());
  CHECK(other_tool.error().message.find("get_lists") != std::string::npos);

  const auto mine = f.cursors.issue(CursorEntry{"default", "get_profiles", "K", 0, std::nullopt});
  CHECK_FALSE(f.plan(R"({"page_cursor":")" + mine + R"("})", "other-account").has_value());
  f.clock.advance(std::chrono::hours(2));
  CHECK_FALSE(f.plan(R"({"page_cursor":")" + mine + R"("})").has_value());
}
