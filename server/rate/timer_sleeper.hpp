#pragma once
// The production Sleeper: one asio steady_timer per wait, for the span the clock says is left.
#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/rate/sleeper.hpp"

namespace kmcp {

class TimerSleeper final : public Sleeper {
 public:
  TimerSleeper(asio::any_io_executor executor, const Clock& clock)
      : executor_(std::move(executor)), clock_(clock) {}

  asio::awaitable<boost::system::error_code> sleep_until(SteadyTime until) override;

 private:
  asio::any_io_executor executor_;
  const Clock& clock_;
};

}  // namespace kmcp
