#include <doctest/doctest.h>

#include <set>

#include "server/pipeline/cursor_table.hpp"

using namespace kmcp;
using namespace std::chrono_literals;

namespace {

CursorEntry entry(std::string cursor, std::size_t skip = 0) {
  return CursorEntry{"default", "get_profiles", std::move(cursor), skip, 100};
}

}  // namespace

TEST_CASE("a token is short, opaque and maps back to its entry") {
  ManualClock clock;
  CursorTable table(clock);
  const std::string long_cursor(400, 'k');
  const auto token = table.issue(entry(long_cursor, 7));
  CHECK(token.size() == CursorTable::kTokenLength);
  CHECK(CursorTable::looks_like_token(token));
  CHECK(token.find(long_cursor.substr(0, 8)) == std::string::npos);
  auto found = table.find(token);
  REQUIRE(found);
  CHECK(found->klaviyo_cursor == std::optional<std::string>(long_cursor));
  CHECK(found->skip == 7);
  CHECK(found->page_size == std::optional<std::int64_t>(100));
  CHECK(found->tool == "get_profiles");

  // Found again: a model may retry a page.
  CHECK(table.find(token));
  CHECK_FALSE(table.find("cur_000000000000"));
}

TEST_CASE("tokens differ, and only our shape looks like one") {
  ManualClock clock;
  CursorTable table(clock);
  std::set<std::string> tokens;
  for (int i = 0; i < 200; ++i) tokens.insert(table.issue(entry("c")));
  CHECK(tokens.size() == 200);
  CHECK_FALSE(CursorTable::looks_like_token("bmV4dDo6aWQ6OjAxR0RE"));
  CHECK_FALSE(CursorTable::looks_like_token("cur_short"));
  CHECK_FALSE(CursorTable::looks_like_token("cur_abc-efghijkl"));
}

TEST_CASE("entries expire after the ttl") {
  ManualClock clock;
  CursorTable table(clock, CursorTableOptions{.capacity = 10, .ttl = 60s});
  const auto token = table.issue(entry("c"));
  clock.advance(59s);
  CHECK(table.find(token));
  clock.advance(1s);
  CHECK_FALSE(table.find(token));
}

TEST_CASE("the table is bounded: the oldest entries go first") {
  ManualClock clock;
  CursorTable table(clock, CursorTableOptions{.capacity = 3, .ttl = 3600s});
  const auto first = table.issue(entry("1"));
  const auto second = table.issue(entry("2"));
  table.issue(entry("3"));
  const auto fourth = table.issue(entry("4"));
  CHECK_FALSE(table.find(first));
  CHECK(table.find(second));
  CHECK(table.find(fourth));
}
