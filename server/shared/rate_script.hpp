#pragma once
// The shared rate buckets in Redis: one Lua script checks every window of every bucket a call
// names and charges them all, or none and says how long to wait. Redis runs a script alone, so
// replicas never interleave between the check and the charge, and the script reads Redis's
// clock (TIME), so replicas' clocks never meet in one window.
//
// Keys, per account and bucket: kmcp:{ACCOUNT}:rate:BUCKET:1s, :1m, :1d (sorted sets of
// admission times in microseconds, member unique per admission) and :block (set with a TTL
// after a 429). The hash tag {ACCOUNT} puts all keys of an account in one Redis Cluster slot,
// as a script's keys must be.
#include <boost/system/result.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "server/rate/rate_limits.hpp"
#include "server/rate/sliding_window_bucket.hpp"
#include "server/redis/redis_reply.hpp"

namespace kmcp {

// The script's source.
const std::string& rate_script_source();

// A key of `account`'s bucket `bucket`; `part` is 1s, 1m, 1d or block.
std::string rate_key(const std::string& account, const std::string& bucket, std::string_view part);

// KEYS and ARGV for one acquisition: four keys per bucket; the margin, the admission's member
// name, then per bucket its three limits (0 = not enforced).
struct RateScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
};
RateScriptCall rate_script_call(const std::string& account, const std::vector<BucketRef>& buckets,
                                std::chrono::microseconds margin, const std::string& member);

// What the script decided: admitted, or the wait and which bucket's which limit decides it.
struct RateDecision {
  bool admitted = false;
  std::chrono::microseconds wait{0};
  std::size_t bucket = 0;  // index into the call's buckets
  LimitKind cause = LimitKind::per_second;
};
// The script's reply, or what is wrong with it (an error reply, an unexpected shape).
boost::system::result<RateDecision, std::string> decode_rate_decision(const RedisReply& reply, std::size_t buckets);

}  // namespace kmcp
