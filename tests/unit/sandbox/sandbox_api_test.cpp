// The simulated Klaviyo without sockets: its checks (key, revision, content type, scopes, fixed
// rate windows), its generic resource routes, filters, paging and jobs, on a hand-made clock.
#include <doctest/doctest.h>

#include "server/sandbox/filter_match.hpp"
#include "server/sandbox/fixed_windows.hpp"
#include "server/sandbox/job_progress.hpp"
#include "server/sandbox/sandbox_api.hpp"
#include "server/sandbox/template_rendering.hpp"

namespace kmcp::sandbox {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

std::shared_ptr<const ToolSpec> spec(std::string name, http::verb method, std::string path, std::vector<std::string> scopes,
                                     int burst = 10, int steady = 150, std::string body_type = {}) {
  auto s = std::make_shared<ToolSpec>();
  s->name = std::move(name);
  s->method = method;
  s->path = std::move(path);
  s->scopes = std::move(scopes);
  s->rate = BucketRef{s->name, WindowLimits{.per_second = burst, .per_minute = steady}};
  if (!body_type.empty()) {
    s->body.kind = BodySpec::Kind::resource;
    s->body.type = std::move(body_type);
  }
  return s;
}

struct Fixture {
  std::vector<std::shared_ptr<const ToolSpec>> tools{
      spec("get_lists", http::verb::get, "/api/lists", {"lists:read"}, 3, 5),
      spec("get_list", http::verb::get, "/api/lists/{id}", {"lists:read"}),
      spec("create_list", http::verb::post, "/api/lists", {"lists:write"}, 10, 150, "list"),
      spec("update_list", http::verb::patch, "/api/lists/{id}", {"lists:write"}, 10, 150, "list"),
      spec("delete_list", http::verb::delete_, "/api/lists/{id}", {"lists:write"}),
      spec("add_profiles_to_list", http::verb::post, "/api/lists/{id}/relationships/profiles", {"lists:write"}),
      spec("get_profiles_for_list", http::verb::get, "/api/lists/{id}/profiles", {"lists:read", "profiles:read"}),
      spec("get_lists_for_profile", http::verb::get, "/api/profiles/{id}/lists", {"lists:read", "profiles:read"}),
      spec("create_profile", http::verb::post, "/api/profiles", {"profiles:write"}, 10, 150, "profile"),
      spec("get_campaigns", http::verb::get, "/api/campaigns", {"campaigns:read"}),
  };
  WallTime now = WallTime{} + std::chrono::hours(24 * 365 * 56);
  ResourceStore store;
  SandboxApi api{tools, SandboxAccount{.private_key = "pk_s", .public_key = "pub", .scopes = {"lists:write", "profiles:write"}},
                 [this] { return now; }, store};

  SandboxResponse send(std::string method, std::string target, std::string body = {},
                       std::map<std::string, std::string> headers = {}) {
    SandboxRequest request{std::move(method), std::move(target), {}, std::move(body)};
    request.headers = {{"authorization", "Klaviyo-API-Key pk_s"}, {"revision", "2026-07-15"},
                       {"content-type", "application/vnd.api+json"}};
    for (auto& [k, v] : headers) request.headers[k] = v;
    return api.handle(request, "http://127.0.0.1:1");
  }
  json::object doc(const SandboxResponse& r) { return json::parse(r.body).as_object(); }
  std::string error_code(const SandboxResponse& r) { return std::string(doc(r).at("errors").at(0).at("code").as_string()); }
  std::string create(const std::string& name) {
    const auto r = send("POST", "/api/lists", R"({"data":{"type":"list","attributes":{"name":")" + name + R"("}}})");
    REQUIRE(r.status == 201);
    return std::string(doc(r).at("data").at("id").as_string());
  }
};

}  // namespace

TEST_CASE("sandbox API refuses what Klaviyo refuses, with Klaviyo's error documents") {
  Fixture f;
  CHECK(f.send("GET", "/api/lists", {}, {{"authorization", ""}}).status == 401);
  CHECK(f.send("GET", "/api/lists", {}, {{"authorization", "Klaviyo-API-Key wrong"}}).status == 401);
  const auto no_revision = f.send("GET", "/api/lists", {}, {{"revision", ""}});
  CHECK(no_revision.status == 400);
  CHECK(f.send("GET", "/api/lists", {}, {{"revision", "yesterday"}}).status == 400);
  CHECK(f.send("POST", "/api/lists", R"({"data":{}})", {{"content-type", "text/plain"}}).status == 415);
  CHECK(f.send("POST", "/api/lists", "{not json").status == 400);
  const auto forbidden = f.send("GET", "/api/campaigns");
  CHECK(forbidden.status == 403);
  CHECK(f.error_code(forbidden) == "permission_denied");
  CHECK(f.send("GET", "/api/nothing-here").status == 404);
  CHECK(f.send("PUT", "/api/lists").status == 405);
  CHECK(f.send("GET", "/api/lists/NoSuch").status == 404);
  CHECK(f.send("POST", "/api/lists", R"({"data":{"type":"campaign","attributes":{}}})").status == 409);
}

TEST_CASE("sandbox API enforces fixed windows per endpoint, with Retry-After") {
  Fixture f;  // get_lists: 3/s, 5/min
  f.now += 100ms;
  for (int i = 0; i < 3; ++i) CHECK(f.send("GET", "/api/lists").status == 200);
  const auto throttled = f.send("GET", "/api/lists");
  CHECK(throttled.status == 429);
  CHECK(f.error_code(throttled) == "throttled");
  bool retry_after = false;
  for (const auto& [name, value] : throttled.headers) retry_after |= name == "Retry-After" && value == "1";
  CHECK(retry_after);
  CHECK(f.send("GET", "/api/lists/x").status == 404);  // another endpoint, its own bucket
  f.now += 1s;  // the next fixed second
  CHECK(f.send("GET", "/api/lists").status == 200);
  CHECK(f.send("GET", "/api/lists").status == 200);
  CHECK(f.send("GET", "/api/lists").status == 429);  // the minute's 5 are spent
}

TEST_CASE("sandbox API creates, reads, lists with filter, sort and cursor paging, updates and deletes") {
  Fixture f;
  std::vector<std::string> ids;
  for (const char* name : {"Charlie", "Alpha", "Bravo"}) {
    ids.push_back(f.create(name));
    f.now += 1s;
  }
  const auto got = f.doc(f.send("GET", "/api/lists/" + ids[1]));
  CHECK(got.at("data").at("attributes").at("name") == "Alpha");
  CHECK(got.at("data").at("attributes").at("opt_in_process") == "single_opt_in");  // Klaviyo's default

  const auto sorted = f.doc(f.send("GET", "/api/lists?sort=name&page%5Bsize%5D=2"));
  REQUIRE(sorted.at("data").as_array().size() == 2);
  CHECK(sorted.at("data").at(0).at("attributes").at("name") == "Alpha");
  const std::string next(sorted.at("links").at("next").as_string());
  const auto second = f.doc(f.send("GET", next.substr(next.find("/api/"))));
  REQUIRE(second.at("data").as_array().size() == 1);
  CHECK(second.at("data").at(0).at("attributes").at("name") == "Charlie");
  CHECK(second.at("links").at("next").is_null());

  const auto filtered = f.doc(f.send("GET", "/api/lists?filter=equals(name,%22Bravo%22)"));
  CHECK(filtered.at("data").as_array().size() == 1);
  f.now += 1s;  // get_lists takes 3 a second
  CHECK(f.send("GET", "/api/lists?filter=bogus(name").status == 400);
  CHECK(f.send("GET", "/api/lists?page%5Bcursor%5D=forged").status == 400);
  const auto fields = f.doc(f.send("GET", "/api/lists/" + ids[0] + "?fields%5Blist%5D=name"));
  CHECK(fields.at("data").at("attributes").as_object().size() == 1);

  const auto patched = f.send("PATCH", "/api/lists/" + ids[0],
                              R"({"data":{"type":"list","id":")" + ids[0] + R"(","attributes":{"name":"Delta"}}})");
  CHECK(patched.status == 200);
  CHECK(f.doc(patched).at("data").at("attributes").at("name") == "Delta");
  CHECK(f.doc(patched).at("data").at("attributes").at("opt_in_process") == "single_opt_in");  // merged, not replaced
  CHECK(f.send("DELETE", "/api/lists/" + ids[0]).status == 204);
  CHECK(f.send("GET", "/api/lists/" + ids[0]).status == 404);
}

TEST_CASE("sandbox API links profiles to a list and reads the link from both sides") {
  Fixture f;
  const std::string list = f.create("Members");
  const auto profile = f.send("POST", "/api/profiles", R"({"data":{"type":"profile","attributes":{"email":"a@example.com"}}})");
  REQUIRE(profile.status == 201);
  const std::string id(f.doc(profile).at("data").at("id").as_string());
  const auto dup = f.send("POST", "/api/profiles", R"({"data":{"type":"profile","attributes":{"email":"A@example.com"}}})");
  CHECK(dup.status == 409);
  CHECK(f.doc(dup).at("errors").at(0).at("meta").at("duplicate_profile_id") == json::value(id));

  CHECK(f.send("POST", "/api/lists/" + list + "/relationships/profiles", R"({"data":[{"type":"profile","id":"nobody"}]})").status == 404);
  CHECK(f.send("POST", "/api/lists/" + list + "/relationships/profiles",
               R"({"data":[{"type":"profile","id":")" + id + R"("}]})").status == 204);
  const auto members = f.doc(f.send("GET", "/api/lists/" + list + "/profiles"));
  REQUIRE(members.at("data").as_array().size() == 1);
  CHECK(members.at("data").at(0).at("attributes").at("email") == "a@example.com");
  const auto lists = f.doc(f.send("GET", "/api/profiles/" + id + "/lists"));
  REQUIRE(lists.at("data").as_array().size() == 1);
  CHECK(lists.at("data").at(0).at("id") == json::value(list));
}

TEST_CASE("filters read Klaviyo's operators over attributes, ids and relationships") {
  const Resource event = json::parse(R"({"type":"event","id":"e1","attributes":{"datetime":"2024-05-01T10:00:00+00:00",
      "value":5,"tags":["a","b"]},"relationships":{"metric":{"data":{"type":"metric","id":"M1"}}}})").as_object();
  auto matches = [&](std::string_view f) {
    auto parsed = ResourceFilter::parse(f);
    REQUIRE(std::holds_alternative<ResourceFilter>(parsed));
    return std::get<ResourceFilter>(parsed).matches(event);
  };
  CHECK(matches("equals(metric_id,\"M1\")"));
  CHECK(matches("greater-or-equal(datetime,2024-05-01T10:00:00Z)"));
  CHECK_FALSE(matches("less-than(datetime,2024-01-01)"));
  CHECK(matches("and(greater-than(value,4),contains(tags,\"b\"),any(id,[\"e0\",\"e1\"]))"));
  CHECK(matches("or(equals(value,1),not(equals(value,1)))"));
  CHECK(std::holds_alternative<std::string>(ResourceFilter::parse("frobnicate(value,1)")));
  CHECK(std::holds_alternative<std::string>(ResourceFilter::parse("equals(value,")));
}

TEST_CASE("fixed windows start on whole seconds and minutes") {
  FixedWindows windows;
  const WindowLimits limits{.per_second = 2, .per_minute = 3};
  CHECK(windows.admit("k", limits, 900ms).admitted);
  CHECK(windows.admit("k", limits, 950ms).admitted);
  const auto full = windows.admit("k", limits, 990ms);
  CHECK_FALSE(full.admitted);
  CHECK(full.retry_after_seconds == 1);
  CHECK(windows.admit("k", limits, 1001ms).admitted);  // a new second, 10 ms later
  const auto minute = windows.admit("k", limits, 1002ms);
  CHECK_FALSE(minute.admitted);
  CHECK(minute.retry_after_seconds == 59);
}

TEST_CASE("jobs go queued, processing, complete over the sandbox clock") {
  auto tool = std::make_shared<ToolSpec>();
  tool->body.kind = BodySpec::Kind::resource;
  tool->body.type = "thing-job";
  tool->job = JobSpec{.status_attribute = "status", .running = {"processing", "queued"}, .completed_counter = "done",
                      .total_counter = "total", .failed_counter = "failed"};
  const JobTable table({tool});
  ResourceStore store;
  const WallTime start{};
  store.put(make_job(table, "thing-job", "j1", 10, 2, start));
  int completions = 0;
  auto at = [&](std::chrono::milliseconds t) {
    advance_jobs(store, table, start + t, [&](Resource&) { ++completions; });
    return store.find("thing-job", "j1")->at("attributes").as_object();
  };
  CHECK(at(100ms).at("status") == "queued");
  const auto middle = at(1750ms);
  CHECK(middle.at("status") == "processing");
  CHECK(middle.at("done").to_number<int>() == 4);
  const auto end = at(3s);
  CHECK(end.at("status") == "complete");
  CHECK(end.at("done").to_number<int>() == 8);
  CHECK(end.at("failed").to_number<int>() == 2);
  at(10s);
  CHECK(completions == 1);
}

TEST_CASE("templates render context values and defaults") {
  const json::object context{{"first_name", "Ada"}, {"event", json::object{{"OrderId", "42"}}}};
  CHECK(render_template_text("Hi {{ first_name }}, order {{event.OrderId}}", context) == "Hi Ada, order 42");
  CHECK(render_template_text("Hi {{ last_name|default:\"friend\" }}!", context) == "Hi friend!");
  CHECK(render_template_text("{{ person.first_name }} {{ unclosed", context) == "Ada {{ unclosed");
}

}  // namespace kmcp::sandbox
