#pragma once
// Simulated time for async tests on a ManualClock: a sleeper parks until run() finds the
// io_context idle, moves the clock to the earliest parked moment and wakes whoever is due
// then, in the order they parked. No real waiting.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/channel.hpp>

#include <algorithm>
#include <list>
#include <optional>

#include "server/core/clock.hpp"
#include "server/rate/sleeper.hpp"

namespace kmcp::test {

class SimulatedSleeper final : public Sleeper {
 public:
  SimulatedSleeper(asio::io_context& io, ManualClock& clock) : io_(io), clock_(clock) {}

  asio::awaitable<boost::system::error_code> sleep_until(SteadyTime until) override {
    const auto it = parked_.emplace(parked_.end(), until, io_.get_executor());
    const auto [ec] = co_await it->wake.async_receive(asio::as_tuple(asio::use_awaitable));
    parked_.erase(it);
    co_return ec;
  }

  // Runs `io` on simulated time until nothing is ready and nobody sleeps. Returns how many
  // times the clock moved; gives up (returns nullopt) after `max_steps` moves.
  std::optional<int> run(int max_steps = 100'000) {
    for (int steps = 0;; ++steps) {
      io_.restart();
      io_.poll();
      const auto due = std::min_element(parked_.begin(), parked_.end(),
                                        [](const Parked& a, const Parked& b) {
                                          return !a.woken && (b.woken || a.until < b.until);
                                        });
      if (due == parked_.end() || due->woken) return steps;
      if (steps == max_steps) return std::nullopt;
      clock_.set(std::max(clock_.now(), due->until));
      for (Parked& p : parked_) {
        if (!p.woken && p.until <= clock_.now()) {
          p.woken = true;
          p.wake.try_send(boost::system::error_code{});
        }
      }
    }
  }

 private:
  struct Parked {
    Parked(SteadyTime u, asio::any_io_executor ex) : until(u), wake(std::move(ex), 1) {}
    SteadyTime until;
    asio::experimental::channel<void(boost::system::error_code)> wake;
    bool woken = false;
  };

  asio::io_context& io_;
  ManualClock& clock_;
  std::list<Parked> parked_;  // in parking order
};

}  // namespace kmcp::test
