#include "server/rate/retry_budget.hpp"

namespace kmcp {

RetryBudget::RetryBudget(const Clock& clock, RetryBudgetOptions options) : clock_(clock), options_(options) {}

void RetryBudget::record_attempt() {
  const std::lock_guard lock(mutex_);
  const SteadyTime now = clock_.now();  // read under the lock: the deques stay in time order
  expire_locked(now);
  attempts_.push_back(now);
}

bool RetryBudget::try_spend() {
  const std::lock_guard lock(mutex_);
  const SteadyTime now = clock_.now();  // read under the lock: the deques stay in time order
  expire_locked(now);
  const double floor = static_cast<double>(options_.floor_per_second) * static_cast<double>(options_.window.count());
  const double allowance = floor + options_.ratio * static_cast<double>(attempts_.size());
  // The epsilon keeps products like 0.2 * 5 from falling a hair short of a whole retry.
  if (static_cast<double>(retries_.size() + 1) > allowance + 1e-9) return false;
  retries_.push_back(now);
  return true;
}

void RetryBudget::expire_locked(SteadyTime now) {
  // Entries are in time order; one a full window old has left it.
  const SteadyTime oldest_kept = now - options_.window;
  while (!attempts_.empty() && attempts_.front() <= oldest_kept) attempts_.pop_front();
  while (!retries_.empty() && retries_.front() <= oldest_kept) retries_.pop_front();
}

}  // namespace kmcp
