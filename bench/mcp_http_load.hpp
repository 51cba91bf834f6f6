#pragma once
// A load client for the benchmark: one Streamable HTTP session with the server, then many
// tools/call requests at once, each on its own connection (HTTP/1.1 has one request in flight
// per connection), all on one thread with coroutines.
#include <chrono>
#include <string>
#include <vector>

namespace kmcp::bench {

struct CallRecord {
  std::chrono::nanoseconds done{0};  // from the moment the calls were sent (connections open)
  bool ok = false;                   // a result with isError false
  std::string problem;               // otherwise: what came back instead
};

struct LoadPlan {
  std::string tool;  // called with no arguments
  int calls = 0;
  // Called first, one call after another, on a bucket of its own: one call's latency with
  // nothing in the way.
  std::string warm_up_tool;
  int warm_ups = 0;
  std::chrono::seconds timeout{60};  // of each call
};

struct LoadRun {
  std::string setup_problem;  // non-empty: the session or a warm-up failed, no call was made
  std::vector<std::chrono::nanoseconds> warm_ups;  // each warm-up call's time
  std::vector<CallRecord> calls;
};

// Opens a session with the server at http://127.0.0.1:`port`/mcp, makes the warm-up calls,
// opens a connection per call, then sends every call of the plan at once and waits for every
// reply.
LoadRun call_concurrently(unsigned short port, const LoadPlan& plan);

}  // namespace kmcp::bench
