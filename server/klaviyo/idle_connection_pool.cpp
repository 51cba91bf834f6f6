#include "server/klaviyo/idle_connection_pool.hpp"

namespace kmcp {

std::unique_ptr<UpstreamConnection> IdleConnectionPool::take() {
  for (;;) {
    std::unique_ptr<UpstreamConnection> candidate;
    {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) return nullptr;
      candidate = std::move(idle_.back());
      idle_.pop_back();
    }
    // The health check is a syscall: done outside the lock. A connection that fails it is
    // closed here, by going out of scope.
    if (candidate->idle_and_healthy()) return candidate;
  }
}

void IdleConnectionPool::give(std::unique_ptr<UpstreamConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (idle_.size() < capacity_) {
      idle_.push_back(std::move(connection));
      return;
    }
  }
  // Pool full: `connection` closes as it goes out of scope, outside the lock.
}

std::size_t IdleConnectionPool::size() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

}  // namespace kmcp
