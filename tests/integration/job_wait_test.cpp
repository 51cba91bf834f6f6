// `wait` on job-starting tools through the real binary over stdio: the server polls the fake's
// scripted job, sends progress, returns the final job (with its failed items), gives up at the
// wait timeout, and stops polling when the call is cancelled.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

const std::string kJobs = "/api/profile-bulk-import-jobs";

std::string job_body(std::string_view status, int completed, int total, int failed = 0) {
  return json::serialize(json::object{
      {"data", json::object{{"type", "profile-bulk-import-job"},
                            {"id", "JOB1"},
                            {"attributes", json::object{{"status", status},
                                                        {"completed_count", completed},
                                                        {"total_count", total},
                                                        {"failed_count", failed}}}}}});
}

// A bulk import job that is queued when started and answers polls from `statuses` in turn
// (the last one repeats), each poll completing one more of `total` items.
void script_job(FakeUpstream& upstream, std::atomic<int>& polls, std::vector<std::string> statuses, int total = 3) {
  upstream.set_handler([&polls, statuses, total](const RecordedRequest& r) {
    if (r.method == "POST" && r.path == kJobs) return ScriptedResponse::json(202, job_body("queued", 0, total));
    if (r.method == "GET" && r.path == kJobs + "/JOB1/import-errors")
      return ScriptedResponse::json(
          200, R"({"data":[{"type":"import-error","id":"E1","attributes":{"code":"invalid","detail":"bad phone"}}]})");
    if (r.method == "GET" && r.path == kJobs + "/JOB1") {
      const int n = polls++;
      const auto& status = statuses[std::min<std::size_t>(n, statuses.size() - 1)];
      const int completed = std::min(n + 1, total);
      return ScriptedResponse::json(200, job_body(status, completed, total, status == "complete" ? 1 : 0));
    }
    return ScriptedResponse::json(404, R"({"errors":[{"status":"404","code":"not_found","detail":"no"}]})");
  });
}

json::object import_args(json::object extra) {
  json::object args{{"profiles", json::array{json::object{{"email", "ada@example.com"}}}}};
  for (auto& [k, v] : extra) args[k] = v;
  return args;
}

// bulk_import_profiles is outside the default core set.
const std::vector<std::string> kFast = {"--job-poll-interval-ms", "20", "--toolsets", "all"};

std::size_t requests_to(const FakeUpstream& upstream, const std::string& path) {
  std::size_t n = 0;
  for (const auto& r : upstream.requests()) n += r.path == path;
  return n;
}

}  // namespace

TEST_CASE("wait polls the job to its end, with progress, and returns the final job and its failed items") {
  FakeUpstream upstream;
  std::atomic<int> polls{0};
  script_job(upstream, polls, {"processing", "processing", "complete"});
  StdioServer server(server_env(upstream.base_url()), kFast);
  server.initialize();

  auto result = server.call_tool("bulk_import_profiles", import_args({{"wait", true}, {"wait_timeout_seconds", 30}}),
                                 {{"progressToken", "job-1"}});
  REQUIRE(result.at("isError") == false);
  const auto& job = result.at("structuredContent").as_object();
  CHECK(job.at("job").at("id") == "JOB1");
  CHECK(job.at("job").at("status") == "complete");
  CHECK(job.at("data").at("completed_count") == 3);
  CHECK(job.at("still_running") == false);
  REQUIRE(job.at("item_errors").as_array().size() == 1);
  CHECK(job.at("item_errors").at(0).at("detail") == "bad phone");
  CHECK(polls == 3);

  // The start request carries Klaviyo's body only.
  const auto requests = upstream.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests.front().method == "POST");
  CHECK(requests.front().body.find("wait") == std::string::npos);

  std::vector<double> progress;
  for (auto& n : server.notifications)
    if (n.at("method") == "notifications/progress") {
      CHECK(n.at("params").at("progressToken") == "job-1");
      progress.push_back(n.at("params").at("progress").to_number<double>());
      if (progress.size() > 1) CHECK(n.at("params").at("total") == 3);
    }
  REQUIRE(progress.size() >= 3);
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  CHECK(progress.back() == 3);
}

TEST_CASE("without wait the start call answers at once with the queued job") {
  FakeUpstream upstream;
  std::atomic<int> polls{0};
  script_job(upstream, polls, {"complete"});
  StdioServer server(server_env(upstream.base_url()), kFast);
  server.initialize();
  auto result = server.call_tool("bulk_import_profiles", import_args({}));
  REQUIRE(result.at("isError") == false);
  CHECK(result.at("structuredContent").at("job").at("status") == "queued");
  CHECK_FALSE(result.at("structuredContent").as_object().contains("still_running"));
  CHECK(polls == 0);
}

TEST_CASE("past wait_timeout_seconds the answer is the running job and how to check it later") {
  FakeUpstream upstream;
  std::atomic<int> polls{0};
  script_job(upstream, polls, {"processing"}, 1000);
  StdioServer server(server_env(upstream.base_url()), kFast);
  server.initialize();
  auto result = server.call_tool("bulk_import_profiles", import_args({{"wait", true}, {"wait_timeout_seconds", 1}}));
  REQUIRE(result.at("isError") == false);
  const auto& job = result.at("structuredContent").as_object();
  CHECK(job.at("still_running") == true);
  CHECK(job.at("job").at("status") == "processing");
  CHECK(job.at("check_later") ==
        json::object{{"tool", "get_bulk_import_profiles_job"}, {"arguments", json::object{{"job_id", "JOB1"}}}});
  CHECK(polls >= 1);
}

TEST_CASE("notifications/cancelled during a wait stops the polling; no poll reaches Klaviyo after it") {
  FakeUpstream upstream;
  std::atomic<int> polls{0};
  script_job(upstream, polls, {"processing"}, 1000);
  StdioServer server(server_env(upstream.base_url()), kFast);
  server.initialize();
  auto id = server.send_request("tools/call", {{"name", "bulk_import_profiles"},
                                               {"arguments", import_args({{"wait", true}})},
                                               {"_meta", {{"progressToken", "job-2"}}}});
  REQUIRE(upstream.wait_for_requests(3, 10s));  // the start and two polls
  server.notify("notifications/cancelled", {{"requestId", id}, {"reason", "user gave up"}});
  CHECK(server.request("ping").contains("result"));  // handled after the cancellation
  const auto polled_when_cancelled = requests_to(upstream, kJobs + "/JOB1");
  // The poll interval is at most 100 ms here: a still-running wait would poll several times.
  std::this_thread::sleep_for(600ms);
  CHECK(requests_to(upstream, kJobs + "/JOB1") <= polled_when_cancelled + 1);  // one may have been under way
  CHECK_FALSE(server.wait_response(id, 200ms).has_value());
}
