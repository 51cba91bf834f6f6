#pragma once
// One sliding window: no span of `length` may hold more than `limit` admissions. Deciding the
// next admission needs only the last `limit` admission times, so that is all it keeps (a ring).
#include <chrono>
#include <cstddef>
#include <vector>

#include "server/core/clock.hpp"

namespace kmcp {

class SlidingWindowLog {
 public:
  // A limit of zero or less leaves the window unenforced.
  SlidingWindowLog(std::chrono::nanoseconds length, int limit);

  bool enforced() const { return !ring_.empty(); }
  std::chrono::nanoseconds length() const { return length_; }
  std::size_t limit() const { return ring_.size(); }
  std::size_t size() const { return size_; }

  // The admission `back` places before the newest one (0 = newest). Requires back < size().
  SteadyTime recent(std::size_t back) const;

  // Admissions must be recorded in time order; once full, the oldest is forgotten.
  void record(SteadyTime at);

 private:
  std::chrono::nanoseconds length_;
  std::vector<SteadyTime> ring_;
  std::size_t next_ = 0;  // the slot the next record takes: the oldest one once full
  std::size_t size_ = 0;
};

}  // namespace kmcp
