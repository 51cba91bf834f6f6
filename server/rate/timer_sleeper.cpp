#include "server/rate/timer_sleeper.hpp"

#include <boost/asio/as_tuple.hpp>

namespace kmcp {

asio::awaitable<boost::system::error_code> TimerSleeper::sleep_until(SteadyTime until) {
  asio::steady_timer timer(executor_);
  // A span, not an expiry: the injected clock need not be steady_clock.
  timer.expires_after(until - clock_.now());
  // as_tuple keeps cancellation a value; the timer still picks up the coroutine's slot.
  const auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

}  // namespace kmcp
