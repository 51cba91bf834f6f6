#include "server/rate/sliding_window_log.hpp"

#include <cassert>

namespace kmcp {

SlidingWindowLog::SlidingWindowLog(std::chrono::nanoseconds length, int limit)
    : length_(length), ring_(limit > 0 ? static_cast<std::size_t>(limit) : 0) {}

SteadyTime SlidingWindowLog::recent(std::size_t back) const {
  assert(back < size_);
  return ring_[(next_ + ring_.size() - 1 - back) % ring_.size()];
}

void SlidingWindowLog::record(SteadyTime at) {
  if (ring_.empty()) return;
  ring_[next_] = at;
  next_ = (next_ + 1) % ring_.size();
  if (size_ < ring_.size()) ++size_;
}

std::optional<SteadyTime> SlidingWindowLog::remove_latest_at_or_before(SteadyTime at) {
  const std::size_t n = ring_.size();
  for (std::size_t back = 0; back < size_; ++back) {
    if (recent(back) > at) continue;
    const SteadyTime removed = recent(back);
    // Shift the newer admissions one place back, over the removed one.
    for (std::size_t b = back; b > 0; --b) ring_[(next_ + n - 1 - b) % n] = ring_[(next_ + n - b) % n];
    next_ = (next_ + n - 1) % n;
    --size_;
    return removed;
  }
  return std::nullopt;
}

}  // namespace kmcp
