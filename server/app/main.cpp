// The composition root: every component is built here, once, and passed to what needs it.
#include <algorithm>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "server/app/call_command.hpp"
#include "server/app/config.hpp"
#include "server/app/tool_selection_options.hpp"
#include "server/app/tools_command.hpp"
#include "server/core/clock.hpp"
#include "server/core/logger.hpp"
#include "server/core/server_metrics.hpp"
#include "server/klaviyo/beast_upstream_client.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/pipeline/tool_pipeline.hpp"
#include "server/pipeline/tool_routes.hpp"
#include "server/pipeline/confirmation_tokens.hpp"
#include "server/rate/local_rate_limiter.hpp"
#include "server/rate/retry_budget.hpp"
#include "server/rate/scaled_rate_limiter.hpp"
#include "server/rate/timer_sleeper.hpp"
#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_registry.hpp"
#include "server/registry/tool_selection.hpp"
#include "server/sandbox/sandbox.hpp"
#include "server/redis/redis_client.hpp"
#include "server/shared/redis_confirmation_store.hpp"
#include "server/shared/redis_session_directory.hpp"
#include "server/shared/shared_rate_limiter.hpp"
#include "server/transport/http_transport.hpp"
#include "server/transport/stdio_transport.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp {
namespace {

std::map<std::string, AccountCredentials> accounts_from(const Config& config) {
  std::map<std::string, AccountCredentials> accounts;
  for (const auto& account : config.accounts) accounts.emplace(account.account, account);
  return accounts;
}

// Every secret the process holds, for the log and results to cut out.
SecretRedactor redactor_of(const Config& config) {
  std::vector<std::string> secrets;
  for (const auto& account : config.accounts) {
    secrets.push_back(account.private_key);
    secrets.push_back(account.oauth_token);
  }
  return SecretRedactor(std::move(secrets));
}

json::array account_labels(const Config& config) {
  json::array labels;
  for (const auto& account : config.accounts) labels.emplace_back(account.account);
  return labels;
}

// The first SIGINT/SIGTERM drains the transport (calls under way may finish within the grace
// period); any further one stops it at once. Ends when the signal set is cancelled.
template <class Transport>
asio::awaitable<void> relay_signals(asio::signal_set& signals, Transport& transport, Logger& logger) {
  for (bool first = true;; first = false) {
    auto [ec, number] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    logger.info("signal", {{"signal", number}, {"action", first ? "drain" : "stop"}});
    if (first) {
      transport.drain();
    } else {
      transport.stop();
    }
  }
}

// Runs `transport` until it returns (end of input, or after a signal); `stopped` then ends what
// else keeps the io_context busy (the Redis connection).
template <class Transport>
void serve(asio::io_context& io, Transport& transport, Logger& logger, std::size_t threads,
           const std::function<void()>& stopped) {
  // The signal set is not thread-safe: its waits and its cancellation share one strand.
  auto control = asio::make_strand(io);
  asio::signal_set signals(control, SIGINT, SIGTERM);
  asio::co_spawn(control, relay_signals(signals, transport, logger), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  asio::co_spawn(io, transport.run(), asio::bind_executor(control, [&](std::exception_ptr error) {
                   signals.cancel();
                   stopped();
                   if (error) std::rethrow_exception(error);
                 }));
  std::vector<std::jthread> pool;
  for (std::size_t i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
}

// The tools and the operator's choice among them: what serving, calling and the tools commands
// all start from. Built in place: the exposure points into the registry.
struct Catalog {
  HookTable hooks = make_standard_hooks();
  // The tests load these same specs compiling every schema; serving compiles a tool's on its
  // first call, which keeps the schemas of tools never called out of the cold start.
  ToolRegistry registry =
      ToolRegistry::load(embedded_specs(), hooks, ToolRegistry::SchemaCompilation::on_first_use);
  std::shared_ptr<const ToolExposure> exposure;
};

// With --redis: the state replicas share (rate buckets, confirmation tokens, sessions), each
// falling back to this process's own when Redis cannot be reached.
class SharedState {
 public:
  SharedState(const Config& config, asio::any_io_executor executor, const Clock& clock, LocalRateLimiter& fallback,
              Sleeper& sleeper, RandomSource& random, Metrics* metrics)
      : redis_(executor, RedisClientOptions{.endpoint = *config.redis, .ca_file = config.redis_ca_file}),
        limiter_(redis_, fallback, clock, sleeper,
                 SharedRateOptions{.margin = config.rate_margin,
                                   .redis_timeout = config.redis_timeout,
                                   .fallback_replicas = config.redis_fallback_replicas},
                 metrics),
        fallback_tokens_(clock, random),
        tokens_(redis_, fallback_tokens_, random, config.redis_timeout, metrics),
        sessions_(redis_, std::chrono::duration_cast<std::chrono::milliseconds>(config.http.session_idle_timeout),
                  config.redis_timeout, metrics) {}

  RateLimiter& limiter() { return limiter_; }
  ConfirmationStore& tokens() { return tokens_; }
  SessionDirectory& sessions() { return sessions_; }
  void close() { redis_.close(); }

 private:
  RedisClient redis_;
  SharedRateLimiter limiter_;
  ConfirmationTokens fallback_tokens_;
  RedisConfirmationStore tokens_;
  RedisSessionDirectory sessions_;
};

// Everything a tool call goes through, built the same way for the server and for `call`.
class CallStack {
 public:
  CallStack(const Config& config, const Catalog& catalog, asio::any_io_executor executor, const Clock& clock,
            Logger& logger, const SecretRedactor& redactor, Metrics* metrics = nullptr)
      : upstream_(executor, upstream_options(config)),
        // Alone, or the shared limiter's fallback (which hands it the limits already divided).
        limiter_(executor, clock, RateLimiterOptions{.margin = config.rate_margin}),
        backoff_sleeper_(executor, clock),
        retry_budget_(clock),
        shared_(config.redis ? std::make_unique<SharedState>(config, executor, clock, limiter_, backoff_sleeper_,
                                                             random_, metrics)
                             : nullptr),
        scaled_(shared_ ? shared_->limiter() : limiter_, config.rate_limit_scale),
        pipeline_(PipelineDeps{
            .hooks = catalog.hooks,
            .limiter = paced_by(config),
            .upstream = upstream_,
            .accounts = accounts_from(config),
            .redactor = &redactor,
            .metrics = metrics,
            .revision = config.revision,
            .user_agent = std::string("klaviyo-mcp/") + KMCP_VERSION,
            .logger = logger,
            .clock = clock,
            .sleeper = backoff_sleeper_,
            .retry_budget = retry_budget_,
            .random = random_,
            .upload_dir = config.upload_dir,
            .routes = ToolRoutes(catalog.registry.tools()),
            .job_polling = JobPollOptions{.first_interval = config.job_poll_interval,
                                          .max_interval = config.job_poll_interval * 5},
            .base_url = config.base_url,
            .confirm_destructive = config.confirm_destructive,
            .confirmations = shared_ ? &shared_->tokens() : nullptr,
            .max_result_chars = config.max_result_chars,
        }),
        dispatcher_(catalog.registry, pipeline_, logger, clock,
                    DispatcherOptions{.server_title = config.sandbox ? "Klaviyo (sandbox)" : "Klaviyo",
                                      .instructions = config.sandbox ? std::string(kSandboxNotice) : std::string(),
                                      .call_timeout = config.call_timeout,
                                      .exposure = catalog.exposure,
                                      .conformance_fixtures = config.conformance_fixtures,
                                      .default_account = config.default_account,
                                      .sandbox = config.sandbox}) {}

  Dispatcher& dispatcher() { return dispatcher_; }
  SessionDirectory* session_directory() { return shared_ ? &shared_->sessions() : nullptr; }
  // Ends the Redis connection (if any), whose reads would keep the io_context running.
  void close() {
    if (shared_) shared_->close();
  }

 private:
  RateLimiter& paced_by(const Config& config) {
    if (config.rate_limit_scale != 1) return scaled_;
    return shared_ ? shared_->limiter() : limiter_;
  }

  static UpstreamOptions upstream_options(const Config& config) {
    UpstreamOptions options;
    options.base_url = config.base_url;
    options.ca_file = config.ca_file;
    options.max_connections = config.max_upstream_connections;
    // Keep every connection the bound allows: a burst closed down to a few idle ones would pay
    // a new connect (and TLS handshake) per call on the next burst, a second later.
    options.max_idle_connections = config.max_upstream_connections;
    return options;
  }

  BeastUpstreamClient upstream_;
  LocalRateLimiter limiter_;
  TimerSleeper backoff_sleeper_;
  RetryBudget retry_budget_;  // one for the process: an outage must not become a retry storm
  SystemRandom random_;
  std::unique_ptr<SharedState> shared_;  // with --redis
  ScaledRateLimiter scaled_;             // used when --rate-limit-scale is not 1
  ToolPipeline pipeline_;
  Dispatcher dispatcher_;
};

int run_server(const Config& config, const Catalog& catalog, Logger& logger, const SecretRedactor& redactor) {
  SystemClock clock;
  // stdio serves one client: one thread. HTTP serves many: --threads, else one per core.
  const std::size_t threads = config.mode == Config::Mode::stdio ? 1
                              : config.threads > 0           ? static_cast<std::size_t>(config.threads)
                                                             : std::max(2u, std::thread::hardware_concurrency());
  asio::io_context io(static_cast<int>(threads));
  // Recorded in both modes; served at /metrics over HTTP.
  auto metrics = std::make_shared<Metrics>();
  metric::declare_server_metrics(*metrics);
  CallStack stack(config, catalog, io.get_executor(), clock, logger, redactor, metrics.get());

  logger.info("starting", {{"version", KMCP_VERSION},
                           {"mode", config.mode == Config::Mode::stdio ? "stdio" : "http"},
                           {"tools", catalog.registry.tools().size()},
                           {"exposed_tools", catalog.exposure->listed().size()},
                           {"read_only", config.tool_selection.read_only},
                           {"confirm_destructive", config.confirm_destructive},
                           {"base_url", config.base_url},
                           {"accounts", account_labels(config)},
                           {"default_account", config.default_account},
                           {"http_tokens", config.http_tokens ? config.http_tokens->size() : 0},
                           {"api_key_set", !config.api_key.empty()},
                           {"redis", config.redis ? config.redis->authority() : ""},
                           {"redis_fallback_replicas", config.redis_fallback_replicas},
                           {"rate_limit_scale", config.rate_limit_scale}});

  if (config.mode == Config::Mode::stdio) {
    StdioOptions stdio;
    stdio.shutdown_grace = config.shutdown_grace;
    StdioTransport transport(io.get_executor(), stack.dispatcher(), logger, stdio);
    serve(io, transport, logger, threads, [&stack] { stack.close(); });
  } else {
    HttpOptions http = config.http;  // limits and deadlines
    http.host = config.http_host;
    http.port = config.http_port;
    http.allowed_origins = config.allowed_origins;
    http.allowed_hosts = config.allowed_hosts;
    http.shutdown_grace = config.shutdown_grace;
    http.tokens = config.http_tokens;
    http.accounts.clear();
    for (const auto& account : config.accounts) http.accounts.push_back(account.account);
    if (http.accounts.empty()) http.accounts.push_back(config.default_account);
    http.default_account = config.default_account;
    http.metrics = metrics;
    http.session_directory = stack.session_directory();
    HttpTransport transport(io.get_executor(), stack.dispatcher(), logger, http);
    transport.listen();
    serve(io, transport, logger, threads, [&stack] { stack.close(); });
  }
  return 0;  // the transport logged "stopped"
}

// `call NAME --args JSON`: one call on one thread, through the server's own stack.
int run_call(const Config& config, const Catalog& catalog, Logger& logger, const SecretRedactor& redactor) {
  if (!catalog.registry.find(config.command.tool)) {
    std::cerr << unknown_tool_message(catalog.registry, config.command.tool) << "\n";
    return kCallMisused;
  }
  auto arguments = read_call_arguments(config.command.args, std::cin);
  if (!arguments) {
    std::cerr << arguments.error() << "\n";
    return kCallMisused;
  }
  SystemClock clock;
  asio::io_context io(1);
  CallStack stack(config, catalog, io.get_executor(), clock, logger, redactor);
  std::optional<json::object> reply;
  asio::co_spawn(io, call_once(stack.dispatcher(), config.command.tool, std::move(*arguments), std::cerr),
                 [&reply, &stack](std::exception_ptr error, std::optional<json::object> answer) {
                   stack.close();
                   if (error) std::rethrow_exception(error);
                   reply = std::move(answer);
                 });
  io.run();
  return print_call_reply(reply, std::cout, std::cerr);
}

// --sandbox: the simulated account, started before anything calls it, and every account of
// `config` pointed at it (with the key it accepts) instead of at Klaviyo.
std::unique_ptr<sandbox::Sandbox> start_sandbox(Config& config, const Catalog& catalog, Logger& logger) {
  SystemRandom random;
  char key[40];
  std::snprintf(key, sizeof key, "pk_sandbox_%016llx", static_cast<unsigned long long>(random.next()));
  auto started = std::make_unique<sandbox::Sandbox>(
      catalog.registry.tools(), sandbox::SandboxOptions{.state_file = config.sandbox_state, .private_key = key});
  const bool had_credentials = std::any_of(config.accounts.begin(), config.accounts.end(),
                                           [](const AccountCredentials& a) { return a.has_private(); });
  for (auto& account : config.accounts) {
    account.private_key = started->private_key();
    account.oauth_token.clear();
    account.public_key = started->public_key();
  }
  config.base_url = started->base_url();
  logger.info("sandbox", {{"base_url", config.base_url},
                            {"state_file", config.sandbox_state},
                            {"restored", started->restored()},
                            {"resources", started->resources()},
                            {"credentials_ignored", had_credentials}});
  return started;
}

int run(Config config) {
  const SecretRedactor redactor = redactor_of(config);
  Logger logger(std::cerr, config.log_level, redactor);
  try {
    Catalog catalog;
    // An unknown toolset or tool name is a usage error, like a bad flag.
    auto exposure = select_tools(*ToolExposure::everything(catalog.registry), config.tool_selection, false,
                                 operator_selection_labels());
    if (!exposure) {
      std::cerr << exposure.error() << "\n";
      return 2;
    }
    catalog.exposure = std::move(*exposure);

    std::unique_ptr<sandbox::Sandbox> sandbox;
    if (config.sandbox && (config.command.kind == CliCommand::Kind::serve || config.command.kind == CliCommand::Kind::call)) {
      try {
        sandbox = start_sandbox(config, catalog, logger);
      } catch (const std::runtime_error& e) {
        std::cerr << "--sandbox: " << e.what() << "\n";  // a state file that cannot be used
        return 2;
      }
    }

    switch (config.command.kind) {
      case CliCommand::Kind::serve: return run_server(config, catalog, logger, redactor);
      case CliCommand::Kind::call: return run_call(config, catalog, logger, redactor);
      default: return run_tools_command(config.command, *catalog.exposure, std::cout, std::cerr);
    }
  } catch (const std::exception& e) {
    logger.error("fatal", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace
}  // namespace kmcp

int main(int argc, char** argv) {
  // A peer that hangs up (stdout pipe, socket) must surface as a write error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  auto parsed = kmcp::parse_command_line(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  return kmcp::run(*parsed.config);
}
