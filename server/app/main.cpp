// The composition root: every component is built here, once, and passed to what needs it.
#include <algorithm>
#include <csignal>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "server/app/config.hpp"
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

// Runs `transport` until it returns or a signal asks it to stop.
template <class Transport>
void serve(asio::io_context& io, Transport& transport, std::size_t threads) {
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) transport.stop();
  });
  asio::co_spawn(io, transport.run(), [&](std::exception_ptr error) {
    signals.cancel();
    if (error) std::rethrow_exception(error);
  });
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
    });
    DispatcherOptions dispatcher_options;
    dispatcher_options.call_timeout = config.call_timeout;
    Dispatcher dispatcher(registry, pipeline, logger, clock, dispatcher_options);

    logger.info("starting", {{"version", KMCP_VERSION},
                             {"mode", config.mode == Config::Mode::stdio ? "stdio" : "http"},
                             {"tools", registry.tools().size()},
                             {"base_url", config.base_url},
                             {"api_key_set", !config.api_key.empty()}});

    if (config.mode == Config::Mode::stdio) {
      StdioTransport transport(io.get_executor(), dispatcher, logger, StdioOptions{});
      serve(io, transport, threads);
    } else {
      HttpOptions http;
      http.host = config.http_host;
      http.port = config.http_port;
      http.allowed_origins = config.allowed_origins;
      http.allowed_hosts = config.allowed_hosts;
      HttpTransport transport(io.get_executor(), dispatcher, logger, http);
      transport.listen();
      serve(io, transport, threads);
    }
    logger.info("stopped");
    return 0;
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
