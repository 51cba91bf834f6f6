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

}  // namespace kmcp
