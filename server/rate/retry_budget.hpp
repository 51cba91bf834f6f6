#pragma once
// A process-wide allowance for retries after faults (5xx, resets, timeouts), so an outage does
// not turn into a retry storm: retries may add at most `ratio` of the first attempts made in the
// last `window`, plus a small floor so a quiet process can still retry. 429 retries do not draw
// on it: they wait out Retry-After and the rate buckets instead. Thread-safe.
#include <chrono>
#include <deque>
#include <mutex>

#include "server/core/clock.hpp"

namespace kmcp {

struct RetryBudgetOptions {
  double ratio = 0.2;                      // retries per first attempt
  int floor_per_second = 5;                // retries always allowed per second of window
  std::chrono::seconds window{10};
};

class RetryBudget {
 public:
  explicit RetryBudget(const Clock& clock, RetryBudgetOptions options = {});

  // Every first attempt of an upstream request.
  void record_attempt();
  // Asks for one retry now: true (and spent) when the budget allows it.
  bool try_spend();

 private:
  void expire_locked(SteadyTime now);

  const Clock& clock_;
  const RetryBudgetOptions options_;
  std::mutex mutex_;
  std::deque<SteadyTime> attempts_;
  std::deque<SteadyTime> retries_;
};

}  // namespace kmcp
