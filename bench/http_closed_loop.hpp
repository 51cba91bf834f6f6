#pragma once
// Closed-loop load over Streamable HTTP: N sessions, each on its own keep-alive connection with
// one request in flight, sending the next as soon as the last is answered, all on one thread
// with coroutines. Only replies that arrive inside the measured span count.
#include <chrono>

#include "bench/load_outcome.hpp"

namespace kmcp::bench {

struct ClosedLoopPlan {
  unsigned short port = 0;  // the server at http://127.0.0.1:PORT/mcp
  int sessions = 1;
  RequestKind request;
  std::chrono::milliseconds warm_up{500};  // load before the measured span, not counted
  std::chrono::milliseconds measure{3000};
};

LoadOutcome run_http_closed_loop(const ClosedLoopPlan& plan);

}  // namespace kmcp::bench
