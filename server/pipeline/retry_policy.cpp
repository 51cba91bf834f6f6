#include "server/pipeline/retry_policy.hpp"

#include <algorithm>

#include "server/pipeline/unique_id.hpp"

namespace kmcp {

bool safe_to_repeat(const ToolSpec& spec) {
  using boost::beast::http::verb;
  switch (spec.method) {
    case verb::get:
    case verb::head:
    case verb::delete_:
    case verb::put:
    case verb::patch:
      return true;
    case verb::post:
      return spec.annotations.idempotent || !unique_id_argument(spec).empty();
    default:
      return false;
  }
}

bool is_transient_status(unsigned status) { return status >= 500 && status <= 599 && status != 501 && status != 505; }

bool is_transient_failure(UpstreamFailure::Kind kind) {
  using Kind = UpstreamFailure::Kind;
  return kind == Kind::connect || kind == Kind::timeout || kind == Kind::reset || kind == Kind::protocol;
}

std::chrono::nanoseconds backoff_ceiling(const RetryOptions& options, int retry) {
  const std::chrono::nanoseconds cap = options.backoff_cap;
  std::chrono::nanoseconds ceiling = options.backoff_base;
  for (int i = 0; i < retry && ceiling < cap; ++i) ceiling *= 2;
  return std::min(ceiling, cap);
}

std::chrono::nanoseconds backoff_delay(const RetryOptions& options, int retry, RandomSource& random) {
  const auto ceiling = backoff_ceiling(options, retry).count();
  if (ceiling <= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(uniform_up_to(random, static_cast<std::uint64_t>(ceiling)));
}

SteadyTime attempt_deadline(const RetryOptions& options, SteadyTime now, SteadyTime deadline, bool may_retry) {
  if (!may_retry || now >= deadline) return deadline;
  const std::chrono::nanoseconds left = deadline - now;
  const std::chrono::nanoseconds share = std::max<std::chrono::nanoseconds>(left / 2, options.min_attempt_time);
  return share >= left ? deadline : now + share;
}

}  // namespace kmcp
