#pragma once
// A ToolPipeline wired to a scripted upstream and a real rate limiter, for the pipeline's tests.
#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <sstream>

#include "server/core/server_metrics.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/pipeline/tool_pipeline.hpp"
#include "server/rate/local_rate_limiter.hpp"
#include "server/rate/retry_budget.hpp"
#include "server/rate/timer_sleeper.hpp"
#include "tests/unit/pipeline/test_specs.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::test {

using namespace std::chrono_literals;


// Records every request and answers from a script; `hang` makes it wait (bounded) until the
// call is cancelled, like a Klaviyo that never answers.
class ScriptedKlaviyo final : public UpstreamClient {
 public:
  explicit ScriptedKlaviyo(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  asio::awaitable<UpstreamResult> send(UpstreamRequest request, SteadyTime, WriteHook on_write) override {
    if (on_write) on_write();
    requests.push_back(std::move(request));
    if (hang) {
      asio::steady_timer timer(executor_, 5s);
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      co_return UpstreamFailure{ec ? UpstreamFailure::Kind::cancelled : UpstreamFailure::Kind::timeout, true,
                                "scripted hang"};
    }
    if (script.empty()) co_return UpstreamFailure{UpstreamFailure::Kind::protocol, false, "script exhausted"};
    UpstreamResult next = std::move(script.front());
    script.pop_front();
    co_return next;
  }

  void answer(unsigned status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    UpstreamResponse response;
    response.status = status;
    response.body = std::move(body);
    for (auto& [name, value] : headers) response.headers.set(name, value);
    script.push_back(std::move(response));
  }

  std::vector<UpstreamRequest> requests;
  std::deque<UpstreamResult> script;
  bool hang = false;

 private:
  asio::any_io_executor executor_;
};

// One test hook: at most settings.max items in settings.arg.
inline HookTable make_test_hooks() {
  HookTable hooks;
  hooks.add("max_items", PreconditionHook{
                             [](const json::object& args, const json::object& settings) -> std::optional<ToolError> {
                               std::string arg(settings.at("arg").as_string());
                               auto it = args.find(arg);
                               if (it == args.end() || !it->value().is_array()) return std::nullopt;
                               if (it->value().as_array().size() <= std::size_t(settings.at("max").as_int64()))
                                 return std::nullopt;
                               return ToolError{"precondition", arg + " has too many items; split the call",
                                                json::object{{"argument", arg}}};
                             },
                             [](const json::object&, const json::object&) { return std::optional<std::string>(); }});
  return hooks;
}

inline std::map<std::string, AccountCredentials> accounts_with(std::string private_key, std::string public_key = "") {
  AccountCredentials account;
  account.account = "default";
  account.private_key = std::move(private_key);
  account.public_key = std::move(public_key);
  return {{"default", account}};
}

inline std::string header(const UpstreamRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "<absent>";
}

struct Progress {
  double progress;
  std::optional<double> total;
  std::string message;
};

struct Harness {
  explicit Harness(std::map<std::string, AccountCredentials> accounts = accounts_with("pk_secret_test_key"),
                   std::size_t max_result_chars = 20000, bool confirm_destructive = true)
      : pipeline(PipelineDeps{.hooks = hooks,
                              .limiter = limiter,
                              .upstream = upstream,
                              .accounts = std::move(accounts),
                              .metrics = &metrics,
                              .revision = "2026-07-15",
                              .user_agent = "klaviyo-mcp/test",
                              .logger = logger,
                              .clock = clock,
                              .sleeper = sleeper,
                              .retry_budget = retry_budget,
                              .random = random,
                              .base_url = "https://a.klaviyo.com",
                              .confirm_destructive = confirm_destructive,
                              .max_result_chars = max_result_chars}) {
    metric::declare_server_metrics(metrics);
  }

  CallContext context(std::chrono::milliseconds budget = 10s) {
    CallContext ctx;
    ctx.deadline = clock.now() + budget;
    return ctx;
  }

  json::object call(const ToolSpec& spec, std::string_view args) { return call(spec, args, context()); }

  json::object call(const ToolSpec& spec, std::string_view args, CallContext ctx) {
    std::optional<json::object> out;
    asio::co_spawn(io, pipeline.call(spec, parse_object(args), std::move(ctx)),
                   [&](std::exception_ptr error, json::object result) {
                     if (error) std::rethrow_exception(error);
                     out = std::move(result);
                   });
    io.restart();
    io.run_for(10s);
    REQUIRE(out.has_value());
    return *out;
  }

  asio::io_context io;
  SystemClock clock;
  LocalRateLimiter limiter{io.get_executor(), clock};
  TimerSleeper sleeper{io.get_executor(), clock};
  RetryBudget retry_budget{clock};
  SystemRandom random;
  ScriptedKlaviyo upstream{io.get_executor()};
  HookTable hooks = make_test_hooks();
  std::ostringstream log_lines;
  Logger logger{log_lines, LogLevel::debug};
  Metrics metrics;  // declared in the constructor, before any call records
  ToolPipeline pipeline;
};

inline json::object error_of(const json::object& result) {
  REQUIRE(result.at("isError") == true);
  return result.at("_meta").at("klaviyo-mcp/error").as_object();
}

inline std::string message_of(const json::object& error) { return std::string(error.at("message").as_string()); }

}  // namespace kmcp::test
