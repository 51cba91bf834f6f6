#include "server/shared/rate_script.hpp"

#include <algorithm>

namespace kmcp {
namespace {

// KEYS: per bucket 1s, 1m, 1d, block. ARGV: margin (us), member, per bucket three limits.
// Returns {1} when admitted (every window charged), else {0, wait_us, bucket (1-based),
// window (1 = second, 2 = minute, 3 = day, 4 = Retry-After block)}.
constexpr const char* kSource = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local margin = tonumber(ARGV[1])
local member = ARGV[2]
local lengths = {1000000, 60000000, 86400000000}
local buckets = #KEYS / 4
local wait, wait_bucket, wait_window = 0, 0, 0
for b = 0, buckets - 1 do
  local blocked = redis.call('PTTL', KEYS[b * 4 + 4])
  if blocked > 0 and blocked * 1000 > wait then
    wait, wait_bucket, wait_window = blocked * 1000, b + 1, 4
  end
  for w = 1, 3 do
    local limit = tonumber(ARGV[2 + b * 3 + w])
    if limit > 0 then
      local key = KEYS[b * 4 + w]
      local length = lengths[w] + margin
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - length)
      local count = redis.call('ZCARD', key)
      if count >= limit then
        -- the window admits one more once its (count - limit + 1) oldest have left it
        local leaving = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
        local left_at = tonumber(leaving[2]) + length - now
        if left_at > wait then wait, wait_bucket, wait_window = left_at, b + 1, w end
      end
    end
  end
end
if wait > 0 then return {0, wait, wait_bucket, wait_window} end
for b = 0, buckets - 1 do
  for w = 1, 3 do
    if tonumber(ARGV[2 + b * 3 + w]) > 0 then
      local key = KEYS[b * 4 + w]
      redis.call('ZADD', key, now, member)
      redis.call('PEXPIRE', key, math.floor((lengths[w] + margin) / 1000) + 1000)
    end
  end
end
return {1}
)lua";

}  // namespace

const std::string& rate_script_source() {
  static const std::string source(kSource);
  return source;
}

std::string rate_key(const std::string& account, const std::string& bucket, std::string_view part) {
  return "kmcp:{" + account + "}:rate:" + bucket + ":" + std::string(part);
}

RateScriptCall rate_script_call(const std::string& account, const std::vector<BucketRef>& buckets,
                                std::chrono::microseconds margin, const std::string& member) {
  RateScriptCall call;
  call.args = {std::to_string(margin.count()), member};
  for (const auto& bucket : buckets) {
    for (const std::string_view part : {"1s", "1m", "1d", "block"}) call.keys.push_back(rate_key(account, bucket.key, part));
    call.args.push_back(std::to_string(std::max(0, bucket.limits.per_second)));
    call.args.push_back(std::to_string(std::max(0, bucket.limits.per_minute)));
    call.args.push_back(std::to_string(std::max(0, bucket.limits.per_day.value_or(0))));
  }
  return call;
}

boost::system::result<RateDecision, std::string> decode_rate_decision(const RedisReply& reply, std::size_t buckets) {
  if (reply.is_error()) return "Redis refused the rate script: " + reply.text;
  const auto& items = reply.elements;
  const auto integer = [&items](std::size_t i) { return items[i].type == RedisReply::Type::integer; };
  if (reply.type != RedisReply::Type::array || items.empty() || !integer(0))
    return std::string("unexpected reply to the rate script");
  if (items[0].integer == 1) return RateDecision{.admitted = true};
  if (items.size() != 4 || !integer(1) || !integer(2) || !integer(3) || items[1].integer <= 0 ||
      items[2].integer < 1 || static_cast<std::size_t>(items[2].integer) > buckets || items[3].integer < 1 ||
      items[3].integer > 4)
    return std::string("unexpected reply to the rate script");
  static constexpr LimitKind kCauses[] = {LimitKind::per_second, LimitKind::per_minute, LimitKind::per_day,
                                          LimitKind::retry_after};
  return RateDecision{.admitted = false,
                      .wait = std::chrono::microseconds(items[1].integer),
                      .bucket = static_cast<std::size_t>(items[2].integer - 1),
                      .cause = kCauses[items[3].integer - 1]};
}

}  // namespace kmcp
