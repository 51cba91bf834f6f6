// dry_run on write tools and confirmation_token on destructive ones: added at load, refused in a
// spec that already has them, stripped before the request; the shipped destructive set covers
// what must never happen without the human.
#include <doctest/doctest.h>

#include <algorithm>

#include "server/registry/safe_write_arguments.hpp"
#include "server/registry/spec_parser.hpp"
#include "tests/unit/registry/spec_fixture.hpp"

namespace kmcp {
namespace {

json::object args(std::string_view text) { return json::parse(text).as_object(); }

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("write tools get dry_run, destructive ones confirmation_token too, reads neither") {
  test::SpecFiles files;
  files.add(test::update_list_spec()).add(test::remove_profiles_spec()).add(test::get_profiles_spec());
  const auto registry = ToolRegistry::load(files.files(), test::fake_hooks());
  auto properties = [&](const char* tool) {
    return registry.find(tool)->listing.at("inputSchema").at("properties").as_object();
  };
  CHECK(properties("update_list").contains("dry_run"));
  CHECK_FALSE(properties("update_list").contains("confirmation_token"));
  CHECK(properties("remove_profiles_from_list").contains("dry_run"));
  CHECK(properties("remove_profiles_from_list").at("confirmation_token").at("type") == "string");
  CHECK_FALSE(properties("get_profiles").contains("dry_run"));

  const auto& remove = *registry.find("remove_profiles_from_list");
  CHECK(requested_dry_run(remove, args(R"({"dry_run": true})")));
  CHECK_FALSE(requested_dry_run(remove, args(R"({"dry_run": false})")));
  CHECK_FALSE(requested_dry_run(*registry.find("get_profiles"), args(R"({"dry_run": true})")));
  CHECK(given_confirmation_token(remove, args(R"({"confirmation_token": "t1"})")) == "t1");
  CHECK_FALSE(given_confirmation_token(*registry.find("update_list"), args(R"({"confirmation_token": "t1"})")));
  CHECK_FALSE(without_safe_write_arguments(remove, args(R"({"list_id": "L"})")).has_value());
  CHECK(without_safe_write_arguments(remove, args(R"({"list_id": "L", "dry_run": false, "confirmation_token": "t"})")) ==
        args(R"({"list_id": "L"})"));
}

TEST_CASE("a spec that already has dry_run or confirmation_token is refused") {
  auto spec = test::remove_profiles_spec();
  spec["inputSchema"].as_object()["properties"].as_object()["confirmation_token"] = json::object{{"type", "string"}};
  CHECK(contains(test::load_fault(spec), "inputSchema has 'confirmation_token'"));
}

TEST_CASE("the shipped destructive tools include every send, cancel, delete, suppression and removal") {
  std::vector<std::string> destructive;
  for (const auto& file : embedded_specs()) {
    const ToolSpec spec = parse_tool_spec(json::parse(file.text).as_object());
    if (spec.annotations.destructive) destructive.push_back(spec.name);
    if (spec.method == boost::beast::http::verb::delete_) {
      CAPTURE(spec.name);
      CHECK(spec.annotations.destructive);
    }
  }
  for (const char* tool : {"send_campaign", "cancel_campaign_send", "delete_list", "delete_campaign",
                           "bulk_suppress_profiles", "bulk_unsubscribe_profiles", "remove_profiles_from_list",
                           "request_profile_deletion"}) {
    CAPTURE(tool);
    CHECK(std::find(destructive.begin(), destructive.end(), tool) != destructive.end());
  }
}

}  // namespace kmcp
