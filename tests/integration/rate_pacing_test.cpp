// Pacing against a Klaviyo-like upstream: the real binary, bursts of concurrent calls that need
// several of Klaviyo's fixed 1-second windows, at a random phase of those windows. Not one call
// may meet a 429 (a retried 429 would still succeed, so the fake's count is what is checked).
//
// Why this does not flake on a loaded machine: the limiter keeps every sliding span of 1 s +
// margin within the burst (10), so each call is admitted at least 1.05 s after the call ten
// places before it. Two such calls land in one fixed window only if the earlier one reaches
// the fake more than the margin (50 ms) later, counted from its admission, than the later one
// does; and even then only when a window boundary falls within that excess. A burst here is 10 small calls over
// loopback (a few ms apart), so it takes a stall of over 50 ms in the middle of a burst, at the
// one moment in a second where the boundary lies. Without the margin a delay difference of a
// single millisecond would do.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"
#include "tests/support/klaviyo_windows.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

// The margin the argument above relies on, stated rather than inherited from the default.
const std::vector<std::string> kPacingArgs{"--rate-margin-ms", "50"};

struct Burst {
  std::string tool;
  int calls = 0;
};

// Sends every call of every burst at once (interleaved), then waits for all of them; each must
// succeed.
void run_concurrently(StdioServer& server, const std::vector<Burst>& bursts) {
  std::vector<std::pair<std::string, std::int64_t>> sent;
  const int most = std::max_element(bursts.begin(), bursts.end(), [](const Burst& a, const Burst& b) {
                     return a.calls < b.calls;
                   })->calls;
  for (int i = 0; i < most; ++i) {
    for (const Burst& burst : bursts) {
      if (i >= burst.calls) continue;
      sent.emplace_back(burst.tool, server.send_request("tools/call", {{"name", burst.tool}, {"arguments", json::object{}}}));
    }
  }
  // A named pair, not a structured binding: clang 14 cannot capture bindings in doctest's lambdas.
  for (const auto& call : sent) {
    const std::string& tool = call.first;
    const std::int64_t id = call.second;
    const auto response = server.wait_response(id, 20s);
    REQUIRE_MESSAGE(response.has_value(), "no reply to " << tool << " #" << id << "; stderr:\n"
                                                         << server.process().stderr_text());
    REQUIRE_MESSAGE(response->contains("result"), json::serialize(*response));
    CHECK_MESSAGE(response->at("result").at("isError") == false, json::serialize(*response));
  }
}

}  // namespace

TEST_CASE("a burst needing four of Klaviyo's 1-second windows meets no 429 at a random phase") {
  FakeUpstream upstream;
  KlaviyoWindows klaviyo({.routes = {{"GET", "/api/metrics", klaviyo_tiers::M, "get_metrics"}}});
  INFO("Klaviyo-like windows: ", klaviyo.describe());
  upstream.set_handler(klaviyo.handler());
  StdioServer server(server_env(upstream.base_url()), kPacingArgs);
  server.initialize();

  run_concurrently(server, {{"get_metrics", 35}});  // 10/s: 4 windows, 3 boundaries

  CHECK(klaviyo.totals().rejected == 0);
  CHECK(klaviyo.totals().admitted == 35);
}

TEST_CASE("two tools sharing no bucket pace side by side, neither waiting for the other") {
  // Both in the default (core) toolset: get_metrics 10/s, get_flows 3/s; three bursts each.
  FakeUpstream upstream;
  KlaviyoWindows klaviyo({.routes = {{"GET", "/api/metrics", klaviyo_tiers::M, "get_metrics"},
                                     {"GET", "/api/flows", klaviyo_tiers::S, "get_flows"}}});
  INFO("Klaviyo-like windows: ", klaviyo.describe());
  upstream.set_handler(klaviyo.handler());
  StdioServer server(server_env(upstream.base_url()), kPacingArgs);
  server.initialize();

  run_concurrently(server, {{"get_metrics", 25}, {"get_flows", 8}});

  CHECK(klaviyo.totals().rejected == 0);
  CHECK(klaviyo.totals("get_metrics").admitted == 25);
  CHECK(klaviyo.totals("get_flows").admitted == 8);
  // Each tool's first burst goes at once: the first 13 calls to reach Klaviyo are 10 of one and
  // 3 of the other, ahead of either tool's second burst a second later. Had one tool queued
  // behind the other's buckets, its first calls would come after the other's second burst.
  const auto requests = upstream.requests();
  REQUIRE(requests.size() == 33);
  const auto first_metrics = std::count_if(requests.begin(), requests.begin() + 13,
                                           [](const RecordedRequest& r) { return r.path == "/api/metrics"; });
  CHECK(first_metrics == 10);
}

TEST_CASE("--rate-limit-scale 0 turns our pacing off, yet Klaviyo's 429s are still waited out") {
  FakeUpstream upstream;
  KlaviyoWindows klaviyo({.routes = {{"GET", "/api/metrics", klaviyo_tiers::M, "get_metrics"}}});
  INFO("Klaviyo-like windows: ", klaviyo.describe());
  upstream.set_handler(klaviyo.handler());
  StdioServer server(server_env(upstream.base_url()), {"--rate-limit-scale", "0"});
  server.initialize();

  run_concurrently(server, {{"get_metrics", 25}});  // 10/s: paced, this would meet no 429

  // Unpaced, the burst overran the 1-second window; each refused call waited for Retry-After
  // and went again, so every call still succeeded.
  CHECK(klaviyo.totals().rejected > 0);
  CHECK(klaviyo.totals().admitted == 25);
}
