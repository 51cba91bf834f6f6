// What shaping saves on a realistic page: 100 profiles as Klaviyo's get_profiles returns them by
// default (every attribute, nulls included, relationship and self links), against our result.
// The numbers are quoted in README.md; run with -s to print them.
#include <doctest/doctest.h>

#include "server/pipeline/list_result.hpp"
#include "server/pipeline/result_shaper.hpp"

using namespace kmcp;

namespace {

std::string profile_id(int i) {
  std::string id = "01HQ3V8K2M7XW9PZ5R4T6Y";
  const std::string n = std::to_string(1000 + i);
  return id + n;
}

json::value links_to(const std::string& id, const std::string& name) {
  const std::string base = "https://a.klaviyo.com/api/profiles/" + id;
  return json::object{{"links", json::object{{"self", base + "/relationships/" + name + "/"},
                                             {"related", base + "/" + name + "/"}}}};
}

// A profile as Klaviyo sends it: complete for every third one, sparse (nulls) otherwise.
json::object klaviyo_profile(int i) {
  const std::string id = profile_id(i);
  const bool full = i % 3 == 0;
  auto maybe = [&](json::value v) { return full ? v : json::value(nullptr); };
  json::object location{{"address1", maybe("89 E 42nd St")},   {"address2", maybe("Floor 4")},
                        {"city", "New York"},                 {"country", "United States"},
                        {"latitude", maybe("40.7128")},       {"longitude", maybe("-74.0060")},
                        {"region", "NY"},                     {"zip", maybe("10017")},
                        {"timezone", "America/New_York"},     {"ip", maybe("203.0.113.7")}};
  json::object attributes{{"email", json::string("customer" + std::to_string(i) + "@example.com")},
                          {"phone_number", maybe(json::string("+1500555" + std::to_string(1000 + i)))},
                          {"external_id", maybe(json::string("crm-" + std::to_string(i)))},
                          {"anonymous_id", nullptr},
                          {"first_name", "Sarah"},
                          {"last_name", "Mason"},
                          {"organization", maybe("Example Corporation")},
                          {"locale", maybe("en-US")},
                          {"title", maybe("Regional Manager")},
                          {"image", nullptr},
                          {"created", "2024-11-08T10:21:04+00:00"},
                          {"updated", "2025-02-14T18:02:51+00:00"},
                          {"last_event_date", "2025-02-14T18:02:51+00:00"},
                          {"location", std::move(location)},
                          {"properties", full ? json::value(json::object{{"loyalty_tier", "gold"}, {"pets", 2}})
                                              : json::value(json::object{})}};
  json::object relationships{{"lists", links_to(id, "lists")},
                             {"segments", links_to(id, "segments")},
                             {"push-tokens", links_to(id, "push-tokens")}};
  return json::object{{"type", "profile"},
                      {"id", id},
                      {"attributes", std::move(attributes)},
                      {"relationships", std::move(relationships)},
                      {"links", json::object{{"self", "https://a.klaviyo.com/api/profiles/" + id + "/"}}}};
}

json::value klaviyo_page() {
  json::array data;
  for (int i = 0; i < 100; ++i) data.push_back(klaviyo_profile(i));
  return json::object{
      {"data", std::move(data)},
      {"links", json::object{{"self", "https://a.klaviyo.com/api/profiles/?page%5Bsize%5D=100"},
                             {"next", "https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D="
                                      "bmV4dDo6aWQ6OjQzMDc1OTM0Njk6OjAxSFEzVjhLMk03WFc5UFo1UjRUNlkxMDk5&page%5Bsize%5D=100"},
                             {"prev", nullptr}}}};
}

}  // namespace

TEST_CASE("a 100-profile page: raw Klaviyo bytes against our result") {
  const json::value page = klaviyo_page();
  const std::size_t raw = json::serialize(page).size();
  std::vector<FetchedPage> pages{{page, std::nullopt, 0}};
  auto issue = [](const Continuation&) { return std::string("cur_0123456789ab"); };

  ListShapeOptions unbounded;
  unbounded.max_chars = 10'000'000;
  unbounded.can_continue = true;
  const auto all = shape_list(pages, unbounded, issue);
  const std::size_t lean = result_chars(all);
  REQUIRE(all.at("data").as_array().size() == 100);

  ListShapeOptions by_default = unbounded;
  by_default.max_chars = kDefaultMaxResultChars;
  const auto budgeted = shape_list(pages, by_default, issue);
  const std::size_t shown = budgeted.at("data").as_array().size();

  MESSAGE("raw " << raw << " bytes; ours " << lean << " bytes for all 100 (" << (100 * lean / raw)
                 << "%); with the default budget " << shown << " records in " << result_chars(budgeted) << " bytes");
  CHECK(lean < raw * 6 / 10);
  CHECK(result_chars(budgeted) <= kDefaultMaxResultChars);
  CHECK(shown < 100);
  CHECK(budgeted.at("has_more") == true);
}
