#pragma once
// The exchange on simulated time: a ManualClock, one SimulatedSleeper for the limiter's waits and
// the backoff, a scripted UpstreamClient that records what it was sent and when, a scripted
// random source (scripted_random.hpp) and a recorder of the quota reports handed to the limiter.
#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <variant>

#include "server/core/logger.hpp"
#include "server/pipeline/prepared_call.hpp"
#include "server/pipeline/upstream_exchange.hpp"
#include "server/rate/local_rate_limiter.hpp"
#include "server/rate/retry_budget.hpp"
#include "tests/support/simulated_sleeper.hpp"
#include "tests/unit/pipeline/retry_specs.hpp"
#include "tests/unit/pipeline/scripted_random.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

using namespace std::chrono_literals;
using ExchangeResult = boost::system::result<UpstreamResponse, ToolError>;

// Lets two owners share one SimulatedSleeper (the limiter takes its sleeper by unique_ptr).
class SharedSleeper final : public Sleeper {
 public:
  explicit SharedSleeper(Sleeper& inner) : inner_(inner) {}
  asio::awaitable<boost::system::error_code> sleep_until(SteadyTime until) override {
    co_return co_await inner_.sleep_until(until);
  }

 private:
  Sleeper& inner_;
};

// Never answers: waits (on simulated time) for the attempt's deadline, then times out.
struct Stall {};

class ScriptedUpstream final : public UpstreamClient {
 public:
  using Step = std::variant<UpstreamResponse, UpstreamFailure, Stall>;
  struct Sent {
    UpstreamRequest request;
    SteadyTime at;
    SteadyTime deadline;
  };

  ScriptedUpstream(Sleeper& sleeper, const Clock& clock) : sleeper_(sleeper), clock_(clock) {}

  asio::awaitable<UpstreamResult> send(UpstreamRequest request, SteadyTime deadline, WriteHook on_write) override {
    // Like a call that waits for a free connection before its request goes out.
    if (write_delay > std::chrono::nanoseconds::zero()) {
      if (co_await sleeper_.sleep_until(clock_.now() + write_delay))
        co_return UpstreamFailure{UpstreamFailure::Kind::cancelled, false, "the call was cancelled"};
    }
    if (on_write) on_write();
    sent.push_back({std::move(request), clock_.now(), deadline});
    if (script.empty()) co_return UpstreamFailure{UpstreamFailure::Kind::protocol, false, "script exhausted"};
    Step step = std::move(script.front());
    script.pop_front();
    if (auto* answer = std::get_if<UpstreamResponse>(&step)) co_return std::move(*answer);
    if (auto* failure = std::get_if<UpstreamFailure>(&step)) co_return std::move(*failure);
    if (co_await sleeper_.sleep_until(deadline))
      co_return UpstreamFailure{UpstreamFailure::Kind::cancelled, true, "the call was cancelled"};
    co_return UpstreamFailure{UpstreamFailure::Kind::timeout, true, "deadline exceeded"};
  }

  void answer(unsigned status, std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "") {
    UpstreamResponse response;
    response.status = status;
    response.body = std::move(body);
    for (auto& [name, value] : headers) response.headers.set(name, value);
    script.emplace_back(std::move(response));
  }
  void fail(UpstreamFailure::Kind kind, bool maybe_sent) {
    script.emplace_back(UpstreamFailure{kind, maybe_sent, "scripted " + std::string(to_string(kind))});
  }
  void stall() { script.emplace_back(Stall{}); }

  std::chrono::nanoseconds write_delay{0};  // simulated wait before each request is written

  std::deque<Step> script;
  std::vector<Sent> sent;

 private:
  Sleeper& sleeper_;
  const Clock& clock_;
};

struct Learned {
  std::string account;
  std::string bucket;
  QuotaReport report;
};

struct ExchangeHarness {
  ExchangeHarness() = default;
  explicit ExchangeHarness(RetryBudgetOptions budget_options) : budget(clock, budget_options) {}

  // Prepares the call as the pipeline does (unique_id included), then runs the exchange to the
  // end on simulated time. `cancel_when`: emit terminal cancellation once it holds.
  ExchangeResult run(const ToolSpec& spec, std::string_view args, std::chrono::milliseconds timeout = 60s,
                     const std::function<bool()>& cancel_when = {}) {
    started = clock.now();
    deadline = started + timeout;
    auto prepared = prepare_call(spec, parse_object(args), "default", pipeline_deps);
    REQUIRE(prepared.has_value());
    call = std::move(*prepared);
    std::optional<ExchangeResult> out;
    asio::cancellation_signal signal;
    // Named, not `{}`: exchange() keeps a reference to it, and runs after this statement ends.
    const ProgressReporter no_progress;
    asio::co_spawn(io, exchange(exchange_deps, spec, *call, deadline, no_progress),
                   asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr error, ExchangeResult result) {
                     if (error) std::rethrow_exception(error);
                     out = std::move(result);
                   }));
    if (cancel_when) {
      for (int i = 0; i < 1000 && !out && !cancel_when(); ++i) {
        io.restart();
        io.poll_one();
      }
      REQUIRE(cancel_when());
      REQUIRE_FALSE(out.has_value());
      signal.emit(asio::cancellation_type::terminal);
    }
    REQUIRE(sleeper.run().has_value());
    REQUIRE(out.has_value());
    return std::move(*out);
  }

  asio::io_context io;
  ManualClock clock;
  SimulatedSleeper sleeper{io, clock};
  LocalRateLimiter limiter{clock, std::make_unique<SharedSleeper>(sleeper)};
  ScriptedUpstream upstream{sleeper, clock};
  RetryBudget budget{clock};
  ScriptedRandom random;
  std::vector<Learned> learned;
  HookTable hooks;
  std::ostringstream log_lines;
  Logger logger{log_lines, LogLevel::debug};
  PipelineDeps pipeline_deps{.hooks = hooks,
                             .limiter = limiter,
                             .upstream = upstream,
                             .accounts = {{"default", AccountCredentials{"default", "pk_test", ""}}},
                             .logger = logger,
                             .clock = clock,
                             .sleeper = sleeper,
                             .retry_budget = budget,
                             .random = random,
                             .routes = {}};
  std::vector<std::shared_ptr<const ToolSpec>> known_tools{std::make_shared<ToolSpec>(get_lists_spec())};
  ToolRoutes routes{known_tools};
  ExchangeDeps exchange_deps{limiter, upstream, clock, sleeper, budget, random, routes, RetryOptions{},
                             [this](const std::string& account, const BucketRef& bucket, const QuotaReport& report) {
                               learned.push_back({account, bucket.key, report});
                             }};
  std::optional<PreparedCall> call;
  SteadyTime started{};
  SteadyTime deadline{};
};

}  // namespace kmcp::test
