#pragma once
// Load over stdio: one session (stdio has one client), `window` requests in flight, the next
// written as soon as one is answered.
#include <chrono>

#include "bench/load_outcome.hpp"
#include "tests/support/subprocess.hpp"

namespace kmcp::bench {

// initialize and notifications/initialized on a server started on stdio; what went wrong, or "".
std::string open_stdio_session(Subprocess& server);

struct StdioPlan {
  RequestKind request;
  int window = 1;
  std::chrono::milliseconds warm_up{500};
  std::chrono::milliseconds measure{3000};
};

// Needs an open session (open_stdio_session). Leaves no request unanswered.
LoadOutcome run_stdio_load(Subprocess& server, const StdioPlan& plan);

}  // namespace kmcp::bench
