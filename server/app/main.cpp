// The composition root: every component is built here, once, and passed to what needs it.
#include <algorithm>
#include <csignal>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "server/app/config.hpp"
#include "server/app/tool_selection_options.hpp"
#include "server/core/clock.hpp"
#include "server/core/logger.hpp"
#include "server/klaviyo/beast_upstream_client.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/pipeline/tool_pipeline.hpp"
#include "server/pipeline/tool_routes.hpp"
#include "server/rate/rate_limiter.hpp"
#include "server/rate/retry_budget.hpp"
#include "server/rate/timer_sleeper.hpp"
#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_registry.hpp"
#include "server/registry/tool_selection.hpp"
#include "server/transport/http_transport.hpp"
#include "server/transport/stdio_transport.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp {
namespace {

std::map<std::string, AccountCredentials> accounts_from(const Config& config) {
  AccountCredentials account;
  account.account = "default";
  account.private_key = config.api_key;
  account.public_key = config.public_key;
  return {{account.account, account}};
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

// Runs `transport` until it returns (end of input, or after a signal).
template <class Transport>
void serve(asio::io_context& io, Transport& transport, Logger& logger, std::size_t threads) {
  // The signal set is not thread-safe: its waits and its cancellation share one strand.
  auto control = asio::make_strand(io);
  asio::signal_set signals(control, SIGINT, SIGTERM);
  asio::co_spawn(control, relay_signals(signals, transport, logger), [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  asio::co_spawn(io, transport.run(), asio::bind_executor(control, [&](std::exception_ptr error) {
                   signals.cancel();
                   if (error) std::rethrow_exception(error);
                 }));
  std::vector<std::jthread> pool;
  for (std::size_t i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
}

int run(const Config& config) {
  Logger logger(std::cerr, config.log_level);
  try {
    SystemClock clock;
    const HookTable hooks = make_standard_hooks();
    const ToolRegistry registry = ToolRegistry::load(embedded_specs(), hooks);
    // An unknown toolset or tool name is a usage error, like a bad flag.
    const auto exposure = select_tools(*ToolExposure::everything(registry), config.tool_selection, false,
                                       operator_selection_labels());
    if (!exposure) {
      std::cerr << exposure.error() << "\n";
      return 2;
    }

    // stdio serves one client: one thread. HTTP serves many: one thread per core.
    const std::size_t threads =
        config.mode == Config::Mode::stdio ? 1 : std::max(2u, std::thread::hardware_concurrency());
    asio::io_context io(static_cast<int>(threads));

    UpstreamOptions upstream_options;
    upstream_options.base_url = config.base_url;
    upstream_options.ca_file = config.ca_file;
    upstream_options.max_connections = config.max_upstream_connections;
    BeastUpstreamClient upstream(io.get_executor(), upstream_options);
    RateLimiter limiter(io.get_executor(), clock, RateLimiterOptions{.margin = config.rate_margin});
    TimerSleeper backoff_sleeper(io.get_executor(), clock);
    RetryBudget retry_budget(clock);  // one for the process: an outage must not become a retry storm
    SystemRandom random;
    ToolPipeline pipeline(PipelineDeps{
        .hooks = hooks,
        .limiter = limiter,
        .upstream = upstream,
        .accounts = accounts_from(config),
        .revision = config.revision,
        .user_agent = std::string("klaviyo-mcp/") + KMCP_VERSION,
        .logger = logger,
        .clock = clock,
        .sleeper = backoff_sleeper,
        .retry_budget = retry_budget,
        .random = random,
        .upload_dir = config.upload_dir,
        .routes = ToolRoutes(registry.tools()),
        .job_polling = JobPollOptions{.first_interval = config.job_poll_interval,
                                      .max_interval = config.job_poll_interval * 5},
    });
    DispatcherOptions dispatcher_options;
    dispatcher_options.call_timeout = config.call_timeout;
    dispatcher_options.exposure = *exposure;
    Dispatcher dispatcher(registry, pipeline, logger, clock, dispatcher_options);

    logger.info("starting", {{"version", KMCP_VERSION},
                             {"mode", config.mode == Config::Mode::stdio ? "stdio" : "http"},
                             {"tools", registry.tools().size()},
                             {"exposed_tools", (*exposure)->listed().size()},
                             {"read_only", config.tool_selection.read_only},
                             {"base_url", config.base_url},
                             {"api_key_set", !config.api_key.empty()}});

    if (config.mode == Config::Mode::stdio) {
      StdioOptions stdio;
      stdio.shutdown_grace = config.shutdown_grace;
      StdioTransport transport(io.get_executor(), dispatcher, logger, stdio);
      serve(io, transport, logger, threads);
    } else {
      HttpOptions http;
      http.host = config.http_host;
      http.port = config.http_port;
      http.allowed_origins = config.allowed_origins;
      http.allowed_hosts = config.allowed_hosts;
      http.shutdown_grace = config.shutdown_grace;
      HttpTransport transport(io.get_executor(), dispatcher, logger, http);
      transport.listen();
      serve(io, transport, logger, threads);
    }
    return 0;  // the transport logged "stopped"
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
