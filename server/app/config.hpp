#pragma once
// Everything the command line and environment decide, parsed once at startup.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "server/app/cli_command.hpp"
#include "server/core/credentials.hpp"
#include "server/core/logger.hpp"
#include "server/redis/redis_url.hpp"
#include "server/transport/bearer_tokens.hpp"
#include "server/transport/http_transport.hpp"
#include "server/registry/tool_selection.hpp"

namespace kmcp {

struct Config {
  CliCommand command;  // serve (the default), or a helper subcommand
  enum class Mode { stdio, http };
  Mode mode = Mode::stdio;
  std::string http_host = "127.0.0.1";
  unsigned short http_port = 8080;
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_hosts;
  // HTTP clients' bearer tokens (KLAVIYO_MCP_HTTP_TOKEN, --http-token-file); required off loopback.
  std::shared_ptr<const BearerTokens> http_tokens;
  // The HTTP listener's limits and deadlines (its other fields are set from the ones above).
  HttpOptions http;

  std::string api_key;       // KLAVIYO_API_KEY
  std::string public_key;    // KLAVIYO_PUBLIC_KEY
  std::string oauth_token;   // KLAVIYO_OAUTH_TOKEN: the default account's OAuth access token
  // Every account by label: "default" from the keys above (when any is set), then --account's.
  std::vector<AccountCredentials> accounts;
  std::string default_account = "default";  // what stdio and token-less HTTP requests act for
  std::string base_url = "https://a.klaviyo.com";
  std::string revision = "2026-07-15";
  std::string ca_file;
  std::string upload_dir;    // KLAVIYO_UPLOAD_DIR: file_path arguments read only under it
  std::size_t max_upstream_connections = 64;  // KLAVIYO_MCP_MAX_UPSTREAM_CONNECTIONS
  std::chrono::milliseconds call_timeout{60000};
  std::chrono::milliseconds rate_margin{50};  // KLAVIYO_MCP_RATE_MARGIN_MS: added to every rate window
  // KLAVIYO_MCP_RATE_LIMIT_SCALE: Klaviyo's published limits times this; 0 = no pacing of ours.
  double rate_limit_scale = 1;
  std::chrono::milliseconds shutdown_grace{10000};  // KLAVIYO_MCP_SHUTDOWN_GRACE
  std::chrono::milliseconds job_poll_interval{1000};  // first wait between job polls (grows to 5x)
  bool confirm_destructive = true;  // false: --no-confirm / KLAVIYO_MCP_NO_CONFIRM
  bool conformance_fixtures = false;  // --conformance-fixtures: the MCP conformance suite's fixtures
  std::size_t max_result_chars = 20000;  // KLAVIYO_MCP_MAX_RESULT_CHARS: text budget of one tool result
  LogLevel log_level = LogLevel::info;
  // KLAVIYO_MCP_THREADS: HTTP's io threads; 0 = one per core the machine has (a container's CPU
  // limit is not seen, hence the flag).
  int threads = 0;
  // --sandbox: serve a simulated Klaviyo account on loopback instead of calling Klaviyo.
  bool sandbox = false;
  std::string sandbox_state;  // --sandbox-state FILE: keep that account between runs (SQLite)
  // Replicas: rate buckets, sessions and confirmation tokens shared in Redis (KLAVIYO_MCP_REDIS);
  // none: all in this process's memory.
  std::optional<RedisEndpoint> redis;
  int redis_fallback_replicas = 1;  // KLAVIYO_MCP_REDIS_FALLBACK_REPLICAS: 1/N of a limit without Redis
  std::string redis_ca_file;        // KLAVIYO_MCP_REDIS_CA_FILE, else ca_file, for rediss://
  std::chrono::milliseconds redis_timeout{250};  // KLAVIYO_MCP_REDIS_TIMEOUT_MS: one command's deadline
  // The exposed tools by name; checked against the registry at startup.
  ToolSelection tool_selection{.toolsets = {std::string(kCoreToolset)}};
};

// Parses argv and the environment. Returns the config, or an exit code when the process should
// stop now (--help, --version: 0; a bad flag or value: 2, message already on stderr).
struct ParseOutcome {
  std::optional<Config> config;
  int exit_code = 0;
};
ParseOutcome parse_command_line(int argc, char** argv);

}  // namespace kmcp
