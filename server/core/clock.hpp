#pragma once
// Time as a dependency: rate arithmetic and deadlines read a Clock, so tests inject a manual one.
#include <chrono>

namespace kmcp {

using SteadyTime = std::chrono::steady_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SteadyTime now() const = 0;
};

class SystemClock final : public Clock {
 public:
  SteadyTime now() const override { return std::chrono::steady_clock::now(); }
};

// For tests: time moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(SteadyTime start = SteadyTime{} + std::chrono::hours(1)) : now_(start) {}
  SteadyTime now() const override { return now_; }
  void advance(std::chrono::nanoseconds d) { now_ += d; }
  void set(SteadyTime t) { now_ = t; }

 private:
  SteadyTime now_;
};

}  // namespace kmcp
