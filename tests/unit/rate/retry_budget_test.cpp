#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "server/rate/retry_budget.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;

int spend_all(RetryBudget& budget, int at_most = 10'000) {
  int granted = 0;
  while (granted < at_most && budget.try_spend()) ++granted;
  return granted;
}

TEST_CASE("a quiet process may still retry: the floor, per second of window") {
  ManualClock clock;
  RetryBudget defaults(clock);
  CHECK(spend_all(defaults) == 50);  // 5 per second over 10 s
  RetryBudget small(clock, RetryBudgetOptions{.ratio = 0.2, .floor_per_second = 1, .window = 3s});
  CHECK(spend_all(small) == 3);
}

TEST_CASE("retries add at most `ratio` of the first attempts in the window") {
  ManualClock clock;
  RetryBudget budget(clock, RetryBudgetOptions{.ratio = 0.2, .floor_per_second = 0, .window = 10s});
  CHECK_FALSE(budget.try_spend());
  for (int i = 0; i < 4; ++i) budget.record_attempt();
  CHECK_FALSE(budget.try_spend());  // 0.8 of a retry is none
  budget.record_attempt();
  CHECK(budget.try_spend());  // 5 attempts: exactly one
  CHECK_FALSE(budget.try_spend());
  for (int i = 0; i < 95; ++i) budget.record_attempt();
  CHECK(spend_all(budget) == 19);  // 100 attempts: 20 in all
}

TEST_CASE("a refused retry spends nothing") {
  ManualClock clock;
  RetryBudget budget(clock, RetryBudgetOptions{.ratio = 0.5, .floor_per_second = 0, .window = 10s});
  budget.record_attempt();
  for (int i = 0; i < 5; ++i) CHECK_FALSE(budget.try_spend());
  budget.record_attempt();
  CHECK(budget.try_spend());  // the refusals above did not use it up
}

TEST_CASE("attempts and retries leave the budget a full window after they were made") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  RetryBudget budget(clock, RetryBudgetOptions{.ratio = 1.0, .floor_per_second = 0, .window = 10s});
  for (int i = 0; i < 3; ++i) budget.record_attempt();
  clock.set(t0 + 4s);
  for (int i = 0; i < 2; ++i) budget.record_attempt();
  CHECK(spend_all(budget) == 5);

  // At t0+10s the first three attempts have left, and so have no retries yet: 2 - 5 < 0.
  clock.set(t0 + 10s);
  CHECK_FALSE(budget.try_spend());
  // A nanosecond before the retries leave, they still count; at t0+14s they and the last two
  // attempts are gone, and fresh attempts buy fresh retries.
  clock.set(t0 + 14s - 1ns);
  budget.record_attempt();
  CHECK_FALSE(budget.try_spend());
  clock.set(t0 + 14s);
  CHECK(budget.try_spend());  // the attempt made just before is still in the window
  CHECK_FALSE(budget.try_spend());
  clock.set(t0 + 24s);
  CHECK_FALSE(budget.try_spend());
}

TEST_CASE("an outage cannot multiply traffic: retries stay within the ratio over a long run") {
  ManualClock clock;
  const SteadyTime t0 = clock.now();
  const RetryBudgetOptions options{.ratio = 0.2, .floor_per_second = 1, .window = 10s};
  RetryBudget budget(clock, options);
  std::vector<SteadyTime> attempts, retries;
  // 50 first attempts a second for two minutes, every one failing and asking for a retry.
  for (int ms = 0; ms < 120'000; ms += 20) {
    clock.set(t0 + std::chrono::milliseconds(ms));
    budget.record_attempt();
    attempts.push_back(clock.now());
    if (budget.try_spend()) retries.push_back(clock.now());
  }
  // In every window, retries <= floor + ratio * attempts.
  for (std::size_t i = 0; i < retries.size(); ++i) {
    const SteadyTime end = retries[i];
    const auto in_window = [&](const std::vector<SteadyTime>& v) {
      return std::count_if(v.begin(), v.end(), [&](SteadyTime t) { return t > end - options.window && t <= end; });
    };
    CHECK(double(in_window(retries)) <= 10 + 0.2 * double(in_window(attempts)) + 1e-9);
  }
  CHECK(retries.size() > 1000);  // yet it did let retries through all along
}

TEST_CASE("concurrent callers never overspend") {
  ManualClock clock;
  RetryBudget budget(clock, RetryBudgetOptions{.ratio = 0.2, .floor_per_second = 2, .window = 10s});
  std::atomic<int> granted{0};
  {
    std::vector<std::jthread> threads;
    for (int n = 0; n < 4; ++n) {
      threads.emplace_back([&] {
        for (int i = 0; i < 250; ++i) {
          budget.record_attempt();
          if (budget.try_spend()) ++granted;
        }
      });
    }
  }
  // 1000 attempts in all: at most 20 + 200, and a caller at the end finds none left.
  CHECK(granted.load() <= 220);
  CHECK(granted.load() >= 20);
  CHECK(spend_all(budget) == 220 - granted.load());
}

}  // namespace
}  // namespace kmcp
