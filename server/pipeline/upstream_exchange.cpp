#include "server/pipeline/upstream_exchange.hpp"

#include <boost/asio/this_coro.hpp>
#include <cmath>

#include "server/pipeline/klaviyo_errors.hpp"
#include "server/pipeline/quota_headers.hpp"
#include "server/core/server_metrics.hpp"
#include "server/pipeline/retry_stop.hpp"
#include "server/pipeline/upstream_failure_error.hpp"

namespace kmcp {
namespace {

using Result = boost::system::result<UpstreamResponse, ToolError>;

constexpr double kSteps = 2;  // rate budget, send; the pipeline reports the last step, done

bool is_cancelled(const asio::cancellation_state& state) { return state.cancelled() != asio::cancellation_type::none; }

void report(const ProgressReporter& progress, double step, std::string message) {
  if (progress) progress(step, kSteps, std::move(message));
}

// Progress must only grow: attempt n is reported at 2 - 2^-n (1, 1.5, 1.75, ...), the wait
// before the next one halfway between, and the pipeline's "done" at 2.
double send_step(int attempt) { return 2.0 - std::ldexp(1.0, -attempt); }
double wait_step(int attempt) { return (send_step(attempt) + send_step(attempt + 1)) / 2; }

std::string seconds_text(std::chrono::nanoseconds wait) {
  const long long tenths = (std::max<long long>(wait.count(), 0) + 99'999'999) / 100'000'000;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

ToolError cancelled_while_retrying_error() {
  return ToolError{"cancelled", "The call was cancelled while waiting to try again; nothing more was sent."};
}

// A fault: a 5xx answer or a transport failure. Exactly one of the two is set.
struct Fault {
  const UpstreamResponse* answer = nullptr;
  std::optional<UpstreamFailure> failure;

  bool maybe_sent() const { return answer || failure->maybe_sent; }
  bool transient() const { return answer ? is_transient_status(answer->status) : is_transient_failure(failure->kind); }
  std::string describe() const {
    if (answer) return "Klaviyo answered HTTP " + std::to_string(answer->status);
    return "no answer (" + std::string(to_string(failure->kind)) + ")";
  }
};

// The error for a fault that is not retried (further).
ToolError fault_error(const ToolSpec& spec, const Fault& fault, const ToolSpec* check_with) {
  if (!fault.answer) return map_upstream_failure(spec, *fault.failure, check_with);
  ToolError answered = map_klaviyo_error(spec, *fault.answer, "");
  if (safe_to_repeat(spec)) return answered;
  // Klaviyo may have done the create before failing: the same words as for a lost answer, with
  // Klaviyo's own error details kept.
  ToolError error = outcome_unknown_error(
      "Klaviyo answered HTTP " + std::to_string(fault.answer->status) + " (a server error) to this write", check_with);
  for (const auto& [key, value] : answered.details) error.details.emplace(key, value);
  return error;
}

// A 404 or 409 that answers a repeat after an attempt whose outcome is unknown may be that
// attempt's own doing (a DELETE that already deleted): said so, instead of a bare not_found.
std::optional<ToolError> repeat_side_effect(const ToolSpec& spec, const UpstreamResponse& answer) {
  if (answer.status != 404 && answer.status != 409) return std::nullopt;
  ToolError error = map_klaviyo_error(spec, answer, "");
  error.message += " This answers a repeat of the request: an earlier attempt may have reached Klaviyo before its "
                   "answer was lost, and may itself have done this change.";
  error.details["earlier_attempt_maybe_applied"] = true;
  return error;
}

struct AttemptFacts {
  bool safe;               // safe_to_repeat(spec)
  bool last;               // no attempt may follow
  bool ran_to_deadline;    // the attempt could use all the time up to the call's deadline
  int fault_retries;       // made so far
};

double seconds_between(SteadyTime from, SteadyTime to) { return std::chrono::duration<double>(to - from).count(); }

void count_sent(const ExchangeDeps& deps, const UpstreamResult& sent, SteadyTime from, SteadyTime to) {
  if (!deps.metrics) return;
  deps.metrics->add(metric::kUpstreamRequests, {{"status", sent ? std::to_string(sent->status) : "failed"}});
  deps.metrics->observe(metric::kUpstreamSeconds, {}, seconds_between(from, to));
  if (sent && sent->status == 429) deps.metrics->add(metric::kUpstreamRateLimited);
}

void count_retry(const ExchangeDeps& deps, std::string_view reason) {
  if (deps.metrics) deps.metrics->add(metric::kUpstreamRetries, {{"reason", std::string(reason)}});
}

// Whether to retry after `fault`, and after how long. Spends the retry budget when it says yes.
struct RetryPlan {
  std::optional<StopReason> stop;
  std::chrono::nanoseconds delay{0};
};

RetryPlan plan_retry(const ExchangeDeps& deps, const Fault& fault, const AttemptFacts& facts, SteadyTime now,
                     SteadyTime deadline) {
  if (!fault.transient()) return {StopReason::final_fault};
  if (fault.maybe_sent() && !facts.safe) return {StopReason::unsafe_to_repeat};
  const bool timed_out = fault.failure && fault.failure->kind == UpstreamFailure::Kind::timeout;
  if (now >= deadline || (timed_out && facts.ran_to_deadline)) return {StopReason::deadline_reached};
  if (facts.last) return {StopReason::attempts_used};
  const auto delay = backoff_delay(deps.options, facts.fault_retries, deps.random);
  if (now + delay >= deadline) return {StopReason::no_time_left};
  // Asked last: a retry that will not happen must not spend it.
  if (!deps.retry_budget.try_spend()) return {StopReason::retry_budget_spent};
  return {std::nullopt, delay};
}

void learn_from(const ExchangeDeps& deps, const PreparedCall& call, const UpstreamResponse& answer,
                SteadyTime charged_at) {
  if (call.buckets.empty() || !deps.learn) return;
  // The headers describe the endpoint's own window: its bucket comes first.
  if (auto quota = quota_report(answer, charged_at)) deps.learn(call.rate_account, call.buckets.front(), *quota);
}

}  // namespace

ToolError cancelled_error() { return ToolError{"cancelled", "The call was cancelled."}; }

asio::awaitable<Result> exchange(const ExchangeDeps& deps, const ToolSpec& spec, const PreparedCall& call,
                                 SteadyTime deadline, const ProgressReporter& progress) {
  // Checked before every co_await: awaiting anything after a cancellation would throw instead.
  asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
  const RetryOptions& options = deps.options;
  const bool safe = safe_to_repeat(spec);
  int fault_retries = 0;
  bool earlier_maybe_sent = false;  // an earlier attempt may have taken effect
  std::string last_fault;           // what made us retry, for a refusal that follows

  report(progress, 0, "waiting for rate budget");
  for (int attempt = 0;; ++attempt) {
    if (is_cancelled(state)) co_return attempt == 0 ? cancelled_error() : cancelled_while_retrying_error();
    // Every attempt is a request Klaviyo counts. After a 429 the buckets are blocked until
    // Retry-After, so this waits for the later of the two, or refuses saying when to retry.
    const SteadyTime asked_at = deps.clock.now();
    auto refused = co_await deps.limiter.acquire(call.rate_account, call.buckets, deadline);
    if (deps.metrics)
      deps.metrics->observe(metric::kRateLimitWaitSeconds, {}, seconds_between(asked_at, deps.clock.now()));
    if (refused) {
      if (attempt > 0 && refused->kind == "cancelled") co_return cancelled_while_retrying_error();
      if (!last_fault.empty()) {  // a fault retry that found no rate budget in time
        refused->message += " (The previous attempt failed: " + last_fault + ".)";
        refused->details["attempts"] = attempt;
      }
      co_return std::move(*refused);
    }
    const SteadyTime admitted_at = deps.clock.now();
    // Where the limiter holds this attempt's charge: moved to the moment the request is written,
    // which may come after a wait for a connection (the hook runs while we are suspended).
    SteadyTime charged_at = admitted_at;
    const WriteHook on_write = [&deps, &call, &charged_at] {
      charged_at = deps.limiter.restamp(call.rate_account, call.buckets, charged_at);
    };
    if (attempt == 0) deps.retry_budget.record_attempt();
    const bool last = attempt + 1 >= options.max_attempts;
    const SteadyTime attempt_end = attempt_deadline(options, admitted_at, deadline, safe && !last);

    if (is_cancelled(state)) co_return cancelled_error();
    report(progress, send_step(attempt),
           attempt == 0 ? "request sent" : "request sent again (attempt " + std::to_string(attempt + 1) + ")");
    const SteadyTime sent_at = deps.clock.now();
    UpstreamResult sent = co_await deps.upstream.send(call.request, attempt_end, on_write);
    count_sent(deps, sent, sent_at, deps.clock.now());
    if (is_cancelled(state)) {
      if (!sent && sent.error().kind == UpstreamFailure::Kind::cancelled) co_return map_upstream_failure(spec, sent.error());
      co_return cancelled_error();
    }

    Fault fault;
    if (sent) {
      if (sent->status == 429) {
        const auto wait = retry_after(*sent);
        deps.limiter.refund(call.rate_account, call.buckets, charged_at);
        co_await deps.limiter.penalize(call.rate_account, call.buckets, wait);
        if (last) co_return std::move(*sent);
        count_retry(deps, "rate_limited");
        report(progress, wait_step(attempt), "rate limited by Klaviyo; retrying after " + seconds_text(wait));
        continue;  // 429 retries do not spend the retry budget: they wait, they add no load
      }
      learn_from(deps, call, *sent, charged_at);
      if (!is_transient_status(sent->status)) {
        if (earlier_maybe_sent) {
          if (auto error = repeat_side_effect(spec, *sent)) co_return std::move(*error);
        }
        co_return std::move(*sent);
      }
      fault.answer = &*sent;
    } else {
      fault.failure = sent.error();
    }

    const SteadyTime now = deps.clock.now();
    const RetryPlan plan = plan_retry(deps, fault, AttemptFacts{safe, last, attempt_end == deadline, fault_retries},
                                      now, deadline);
    if (plan.stop) {
      ToolError error = fault_error(spec, fault, deps.routes.lister_of(spec));
      explain_stop(error, *plan.stop, attempt + 1, call.unique_id);
      co_return error;
    }

    earlier_maybe_sent = earlier_maybe_sent || fault.maybe_sent();
    last_fault = fault.describe();
    ++fault_retries;
    count_retry(deps, "fault");
    report(progress, wait_step(attempt), last_fault + "; retrying in " + seconds_text(plan.delay));
    if (is_cancelled(state)) co_return cancelled_while_retrying_error();
    // Nothing is charged while backing off: the next attempt acquires its rate budget after.
    if (const auto ec = co_await deps.sleeper.sleep_until(now + plan.delay)) co_return cancelled_while_retrying_error();
  }
}

}  // namespace kmcp
