#include "server/rate/local_rate_limiter.hpp"

#include <algorithm>

#include "server/rate/bucket_table.hpp"
#include "server/rate/rate_errors.hpp"
#include "server/rate/timer_sleeper.hpp"

namespace kmcp {
namespace {

// Gives up a ticket's place on every way out of acquire(), including a coroutine frame
// destroyed while suspended at shutdown.
class LeaveOnExit {
 public:
  LeaveOnExit(std::shared_ptr<BucketTable> table, BucketTable::Ticket& ticket)
      : table_(std::move(table)), ticket_(ticket) {}
  ~LeaveOnExit() { table_->leave(ticket_); }
  LeaveOnExit(const LeaveOnExit&) = delete;
  LeaveOnExit& operator=(const LeaveOnExit&) = delete;

 private:
  std::shared_ptr<BucketTable> table_;  // shared: a frame may outlive the limiter at shutdown
  BucketTable::Ticket& ticket_;
};

}  // namespace

struct LocalRateLimiter::Impl {
  const Clock& clock;
  std::unique_ptr<Sleeper> sleeper;
  std::shared_ptr<BucketTable> table;
};

LocalRateLimiter::LocalRateLimiter(asio::any_io_executor executor, const Clock& clock, RateLimiterOptions options)
    : LocalRateLimiter(clock, std::make_unique<TimerSleeper>(std::move(executor), clock), options) {}

LocalRateLimiter::LocalRateLimiter(const Clock& clock, std::unique_ptr<Sleeper> sleeper, RateLimiterOptions options)
    : impl_(std::make_unique<Impl>(Impl{clock, std::move(sleeper), std::make_shared<BucketTable>(options.margin)})) {}

LocalRateLimiter::~LocalRateLimiter() = default;

asio::awaitable<std::optional<ToolError>> LocalRateLimiter::acquire(
    const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime deadline) {
  const Clock& clock = impl_->clock;
  Sleeper& sleeper = *impl_->sleeper;
  BucketTable& table = *impl_->table;
  BucketTable::Ticket ticket;
  table.open(ticket, account, buckets);
  const LeaveOnExit leave(impl_->table, ticket);

  std::optional<SteadyTime> slept_from;  // set after a wait that should have moved the clock
  for (;;) {
    const SteadyTime now = clock.now();
    BucketTable::Step step = table.step(ticket, now, deadline);
    if (step.outcome == BucketTable::Outcome::admitted) co_return std::nullopt;
    if (step.outcome == BucketTable::Outcome::refused) {
      co_return rate_limited_error(step.holdup, now);
    }
    // Waited, yet the clock stood still (a ManualClock under real timers): waiting again
    // would never end, so the call is refused instead.
    if (slept_from == now) co_return rate_limited_error(step.holdup, now);

    // A cancellation that came while we were not suspended would make asio throw at the next
    // co_await; as an expected outcome it is returned as a value instead.
    const asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
    if (cancel.cancelled() != asio::cancellation_type::none) {
      co_return rate_wait_cancelled_error();
    }
    if (const auto ec = co_await sleeper.sleep_until(step.holdup.until)) {
      co_return rate_wait_cancelled_error();
    }
    slept_from = now;
  }
}

asio::awaitable<void> LocalRateLimiter::penalize(const std::string& account, const std::vector<BucketRef>& buckets,
                                                 std::chrono::milliseconds retry_after) {
  block(account, buckets, retry_after);
  co_return;
}

void LocalRateLimiter::block(const std::string& account, const std::vector<BucketRef>& buckets,
                             std::chrono::milliseconds retry_after) {
  impl_->table->block_until(account, buckets, impl_->clock.now() + retry_after);
}

void LocalRateLimiter::refund(const std::string& account, const std::vector<BucketRef>& buckets,
                         SteadyTime admitted_at) {
  impl_->table->refund(account, buckets, admitted_at);
}

SteadyTime LocalRateLimiter::restamp(const std::string& account, const std::vector<BucketRef>& buckets,
                               SteadyTime charged_at) {
  const SteadyTime now = impl_->clock.now();
  impl_->table->restamp(account, buckets, charged_at, now);
  return std::max(now, charged_at);
}

void LocalRateLimiter::learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report) {
  impl_->table->learn(account, bucket, report, impl_->clock.now());
}

}  // namespace kmcp
