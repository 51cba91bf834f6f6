#pragma once
// One sliding window: no span of `length` may hold more than `limit` admissions. Deciding the
// next admission needs only the last `limit` admission times, so that is all it keeps (a ring).
#include <chrono>
#include <cstddef>
#include <optional>
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

  // Forgets the newest admission at or before `at` (Klaviyo refused that call, so it did not
  // count it). Returns the time removed, or nothing when none is that old. Forgetting never
  // loses an admission that still matters: one that fell out of a full ring lies a whole
  // window before the newest, or the window would have held more than its limit.
  std::optional<SteadyTime> remove_latest_at_or_before(SteadyTime at);

 private:
  std::chrono::nanoseconds length_;
  std::vector<SteadyTime> ring_;
  std::size_t next_ = 0;  // the slot the next record takes: the oldest one once full
  std::size_t size_ = 0;
};

}  // namespace kmcp
