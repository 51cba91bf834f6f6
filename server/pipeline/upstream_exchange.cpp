#include "server/pipeline/upstream_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/pipeline/klaviyo_errors.hpp"
#include "server/pipeline/upstream_failure_error.hpp"

namespace kmcp {
namespace {

constexpr double kSteps = 2;  // rate budget, send; the pipeline reports the last step, done

bool is_cancelled(const asio::cancellation_state& state) { return state.cancelled() != asio::cancellation_type::none; }

void report(const ProgressReporter& progress, double step, std::string message) {
  if (progress) progress(step, kSteps, std::move(message));
}

}  // namespace

ToolError cancelled_error() { return ToolError{"cancelled", "The call was cancelled."}; }

asio::awaitable<boost::system::result<UpstreamResponse, ToolError>> exchange(const ExchangeDeps& deps,
                                                                            const ToolSpec& spec,
                                                                            const PreparedCall& call,
                                                                            SteadyTime deadline,
                                                                            const ProgressReporter& progress) {
  // Checked before every co_await: awaiting anything after a cancellation would throw instead.
  asio::cancellation_state state = co_await asio::this_coro::cancellation_state;

  // Progress values must only grow, so the retry reports steps between 1 and 2.
  double send_step = 1;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (is_cancelled(state)) co_return cancelled_error();
    if (attempt == 0) report(progress, 0, "waiting for rate budget");
    if (auto refused = co_await deps.limiter.acquire(call.rate_account, call.buckets, deadline)) co_return *refused;

    if (is_cancelled(state)) co_return cancelled_error();
    report(progress, send_step, attempt == 0 ? "request sent" : "request sent again");
    UpstreamResult sent = co_await deps.upstream.send(call.request, deadline);
    if (is_cancelled(state)) co_return cancelled_error();
    if (!sent) co_return map_upstream_failure(spec, sent.error());
    if (sent->status != 429 || attempt == 1) co_return std::move(*sent);

    // 429: nobody draws from these buckets before Retry-After; retry once if that fits.
    const auto wait = retry_after(*sent);
    deps.limiter.penalize(call.rate_account, call.buckets, wait);
    if (deps.clock.now() + wait > deadline) co_return std::move(*sent);
    report(progress, 1.25, "rate limited by Klaviyo; retrying in " + std::to_string(wait.count()) + " s");
    asio::steady_timer timer(co_await asio::this_coro::executor, wait);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || is_cancelled(state)) co_return cancelled_error();
    send_step = 1.5;
  }
  co_return cancelled_error();  // not reached: the loop returns on its second pass
}

}  // namespace kmcp
