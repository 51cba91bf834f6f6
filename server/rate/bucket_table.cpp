#include "server/rate/bucket_table.hpp"

#include <algorithm>

namespace kmcp {

BucketTable::Entry& BucketTable::entry_locked(const std::string& account, const BucketRef& ref) {
  auto key = std::make_pair(account, ref.key);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    it = entries_.emplace(std::move(key), Entry{ref.key, SlidingWindowBucket(ref.limits, margin_), {}}).first;
  }
  return it->second;
}

void BucketTable::open(Ticket& ticket, const std::string& account,
                       const std::vector<BucketRef>& buckets) {
  const std::lock_guard lock(mutex_);
  ticket.entries_.clear();
  for (const BucketRef& ref : buckets) {
    Entry* entry = &entry_locked(account, ref);
    if (std::find(ticket.entries_.begin(), ticket.entries_.end(), entry) == ticket.entries_.end()) {
      ticket.entries_.push_back(entry);
    }
  }
}

BucketTable::Step BucketTable::step(Ticket& ticket, SteadyTime now, SteadyTime deadline) {
  const std::lock_guard lock(mutex_);
  bool go = true;
  Holdup holdup{now};
  for (Entry* entry : ticket.entries_) {
    const std::vector<SteadyTime> ahead = planned_ahead(*entry, ticket);
    if (go && !entry->bucket.admits_now_without_delaying(now, ahead)) go = false;
    const Admission a = entry->bucket.earliest_admission(now, ahead);
    if (a.at > holdup.until) holdup = {a.at, a.cause, entry->key, entry->bucket.limits()};
  }
  if (go) {
    for (Entry* entry : ticket.entries_) entry->bucket.charge(now);
    dequeue_locked(ticket);
    return {Outcome::admitted, {}};
  }
  // Not admitted means holdup.until > now: had every replay ended at `now`, the call would
  // have fitted in ahead of the others too.
  if (holdup.until > deadline) {
    dequeue_locked(ticket);
    return {Outcome::refused, std::move(holdup)};
  }
  if (!ticket.queued_) {
    for (Entry* entry : ticket.entries_) entry->queue.push_back(&ticket);
    ticket.queued_ = true;
  }
  ticket.planned_ = holdup.until;
  return {Outcome::wait, std::move(holdup)};
}

std::vector<SteadyTime> BucketTable::planned_ahead(const Entry& entry, const Ticket& ticket) {
  std::vector<SteadyTime> out;
  for (const Ticket* t : entry.queue) {
    if (t == &ticket) break;
    out.push_back(t->planned_);
  }
  return out;
}

void BucketTable::leave(Ticket& ticket) {
  const std::lock_guard lock(mutex_);
  dequeue_locked(ticket);
}

void BucketTable::dequeue_locked(Ticket& ticket) {
  if (!ticket.queued_) return;
  for (Entry* entry : ticket.entries_) std::erase(entry->queue, &ticket);
  ticket.queued_ = false;
}

void BucketTable::block_until(const std::string& account, const std::vector<BucketRef>& buckets,
                              SteadyTime until) {
  const std::lock_guard lock(mutex_);
  for (const BucketRef& ref : buckets) entry_locked(account, ref).bucket.block_until(until);
}

void BucketTable::refund(const std::string& account, const std::vector<BucketRef>& buckets,
                         SteadyTime admitted_at) {
  const std::lock_guard lock(mutex_);
  for (const BucketRef& ref : buckets) entry_locked(account, ref).bucket.refund(admitted_at);
}

void BucketTable::restamp(const std::string& account, const std::vector<BucketRef>& buckets,
                          SteadyTime charged_at, SteadyTime now) {
  const std::lock_guard lock(mutex_);
  for (const BucketRef& ref : buckets) entry_locked(account, ref).bucket.restamp(charged_at, now);
}

void BucketTable::learn(const std::string& account, const BucketRef& bucket, const QuotaReport& report,
                        SteadyTime now) {
  const std::lock_guard lock(mutex_);
  entry_locked(account, bucket).bucket.learn(report, now);
}

}  // namespace kmcp
