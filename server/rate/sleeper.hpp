#pragma once
// How a rate-limited call lets time pass. The limiter computes moments on its Clock and a
// Sleeper waits for them: asio timers in production, simulated time in tests that run on a
// ManualClock.
#include <boost/system/error_code.hpp>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"

namespace kmcp {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits for `until`; ends early with operation_aborted when the awaiting coroutine's
  // cancellation slot fires. Several coroutines may sleep at once.
  virtual asio::awaitable<boost::system::error_code> sleep_until(SteadyTime until) = 0;
};

}  // namespace kmcp
