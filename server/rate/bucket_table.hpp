#pragma once
// The limiter's shared state and its admission rule, without I/O: buckets by (account, key)
// and, per bucket, the calls waiting on it in arrival order. Callers read the time and do the
// waiting themselves. Thread-safe; the lock is only ever held inside one of these calls.
//
// The rule: a call goes when every bucket it names admits it now and its going pushes no
// earlier waiter past its planned moment (so arrival order is kept, yet a call on a bucket
// with spare room is not held up by a waiter stuck on another bucket). Otherwise it plans the
// earliest moment it could go behind those waiters, and is refused when that lies past its
// deadline.
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server/core/clock.hpp"
#include "server/rate/rate_limits.hpp"
#include "server/rate/sliding_window_bucket.hpp"

namespace kmcp {

// What holds a call back: the moment it may go, and the bucket and limit that decide it.
struct Holdup {
  SteadyTime until;
  LimitKind cause = LimitKind::per_second;
  std::string bucket;
  WindowLimits limits;
};

class BucketTable {
  struct Entry;

 public:
  // One call's place in line. It must outlive its last step() or leave().
  class Ticket {
   public:
    Ticket() = default;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

   private:
    friend class BucketTable;
    std::vector<Entry*> entries_;
    SteadyTime planned_{};
    bool queued_ = false;
  };

  enum class Outcome { admitted, wait, refused };
  struct Step {
    Outcome outcome;
    Holdup holdup;  // for wait and refused: until when, and why
  };

  // `margin` lengthens every window of every bucket (see SlidingWindowBucket).
  explicit BucketTable(std::chrono::nanoseconds margin = std::chrono::nanoseconds::zero()) : margin_(margin) {}
  BucketTable(const BucketTable&) = delete;
  BucketTable& operator=(const BucketTable&) = delete;

  // Binds `ticket` to the buckets of `account` named in `buckets`, creating each with its
  // limits the first time its key is seen. A key named twice counts once.
  void open(Ticket& ticket, const std::string& account, const std::vector<BucketRef>& buckets);

  // Decides the call at `now`. Admitted: every bucket is charged and the ticket leaves the
  // line. Wait: the ticket holds its place until holdup.until, then steps again. Refused
  // (holdup.until lies past `deadline`): nothing is charged and the ticket leaves the line.
  Step step(Ticket& ticket, SteadyTime now, SteadyTime deadline);

  // Gives up the ticket's place without charging anything. Safe to repeat.
  void leave(Ticket& ticket);

  // Nobody draws from these buckets before `until`.
  void block_until(const std::string& account, const std::vector<BucketRef>& buckets,
                   SteadyTime until);
  // Takes back the charge of a call admitted at `admitted_at` that Klaviyo refused (429).
  void refund(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime admitted_at);
  // Moves the charge of a call admitted (or last restamped) at `charged_at` to `now`, when its
  // request is written (see SlidingWindowBucket::restamp).
  void restamp(const std::string& account, const std::vector<BucketRef>& buckets, SteadyTime charged_at,
               SteadyTime now);

  // Klaviyo's report on `bucket` of `account`, learned at `now` (see SlidingWindowBucket::learn).
  // Waiters planned before it find out when they next step.
  void learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report, SteadyTime now);

 private:
  struct Entry {
    std::string key;
    SlidingWindowBucket bucket;
    std::deque<Ticket*> queue;  // waiting calls, in arrival order
  };

  // Planned moments of the calls ahead of `ticket` on `entry` (all of them when not queued).
  static std::vector<SteadyTime> planned_ahead(const Entry& entry, const Ticket& ticket);
  Entry& entry_locked(const std::string& account, const BucketRef& ref);
  void dequeue_locked(Ticket& ticket);

  const std::chrono::nanoseconds margin_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Entry> entries_;  // node-based: Entry* stay valid
};

}  // namespace kmcp
