#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "server/app/account_specs.hpp"
#include "server/app/cli_command_options.hpp"
#include "server/app/config.hpp"
#include "server/app/config_file_lines.hpp"
#include "server/app/tool_selection_options.hpp"
#include "server/transport/tls_server_context.hpp"

namespace kmcp {
namespace {

// "HOST:PORT", ":PORT" or "PORT"; the host defaults to loopback.
bool parse_host_port(const std::string& text, Config& config) {
  std::string host = "127.0.0.1";
  std::string port = text;
  if (auto colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || end != port.data() + port.size() || value > 65535) return false;
  config.http_host = host;
  config.http_port = static_cast<unsigned short>(value);
  return true;
}

std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::string> env_value(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The accounts, the default one and the HTTP tokens, once the flags are read. An error names
// the setting to fix; nothing in it is a secret.
std::optional<std::string> settle_accounts(Config& config, const std::vector<std::string>& account_specs,
                                           const std::string& default_account, const std::string& token_file) {
  if (!config.api_key.empty() || !config.oauth_token.empty() || !config.public_key.empty()) {
    AccountCredentials account;
    account.account = "default";
    account.private_key = config.api_key;
    account.oauth_token = config.oauth_token;
    account.public_key = config.public_key;
    config.accounts.push_back(std::move(account));
  }
  for (const auto& spec : account_specs) {
    auto account = parse_account_spec(spec, env_value, read_whole_file);
    if (!account) return account.error();
    for (const auto& known : config.accounts)
      if (known.account == account->account)
        return "--account " + known.account + ": that account is configured twice" +
               (known.account == "default" ? " (\"default\" is the one KLAVIYO_API_KEY sets)" : "");
    config.accounts.push_back(std::move(*account));
  }
  // With no credentials at all, "default" stands empty: a call then names the variable to set.
  if (config.accounts.empty()) config.accounts.push_back(AccountCredentials{});
  const auto configured = [&](const std::string& name) {
    return std::any_of(config.accounts.begin(), config.accounts.end(),
                       [&](const AccountCredentials& a) { return a.account == name; });
  };
  if (!default_account.empty()) {
    if (!configured(default_account))
      return "--default-account: no account named '" + default_account + "' is configured (see --account)";
    config.default_account = default_account;
  } else if (!configured("default") && !config.accounts.empty()) {
    config.default_account = config.accounts.front().account;
  }

  BearerTokens tokens;
  if (!token_file.empty()) {
    auto text = read_whole_file(token_file);
    if (!text) return "--http-token-file: cannot read " + token_file;
    auto parsed = BearerTokens::parse(*text, token_file);
    if (!parsed) return parsed.error();
    tokens = std::move(*parsed);
  }
  if (auto token = env_value("KLAVIYO_MCP_HTTP_TOKEN"); token && !token->empty()) {
    if (token->size() < 16) return "KLAVIYO_MCP_HTTP_TOKEN: a token must be at least 16 characters";
    tokens.add(*token, "env-token");
  }
  for (const auto& name : tokens.named_accounts())
    if (!configured(name) && !(name == "default" && config.default_account == "default"))
      return "--http-token-file: a token names account '" + name + "', which is not configured (see --account)";
  if (config.mode == Config::Mode::http && tokens.empty() && !is_loopback_host(config.http_host))
    return "--http " + config.http_host + ": listening beyond loopback needs client authentication; set "
           "KLAVIYO_MCP_HTTP_TOKEN or --http-token-file";
  if (!tokens.empty()) config.http_tokens = std::make_shared<const BearerTokens>(std::move(tokens));

  const auto& tls = config.http;
  if (tls.tls_certificate_file.empty() != tls.tls_private_key_file.empty())
    return tls.tls_certificate_file.empty() ? "--tls-key needs --tls-cert (the certificate chain it belongs to)"
                                            : "--tls-cert needs --tls-key (the certificate's private key)";
  if (!tls.tls_certificate_file.empty()) {
    if (config.mode != Config::Mode::http) return "--tls-cert and --tls-key apply to --http only";
    try {  // loaded now so a bad file is reported before anything starts
      make_tls_server_context(tls.tls_certificate_file, tls.tls_private_key_file);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
  }
  return std::nullopt;
}

}  // namespace

ParseOutcome parse_command_line(int argc, char** argv) {
  Config config;
  CLI::App app{"klaviyo-mcp: a Model Context Protocol server for the Klaviyo API.", "klaviyo-mcp"};
  app.set_version_flag("--version", std::string("klaviyo-mcp ") + KMCP_VERSION);
  // One precedence rule: a flag wins over the config file, which wins over an environment
  // variable, which wins over the default. Keys are the long flag names without "--".
  // KLAVIYO_MCP_CONFIG names the file when --config does not: CLI11 reads the config file before
  // it looks at variables, so the variable is passed as the default file (which must exist).
  const char* config_from_env = std::getenv("KLAVIYO_MCP_CONFIG");
  const std::string env_config = config_from_env ? config_from_env : "";
  app.set_config("--config", env_config,
                 "Read settings from this file: one 'flag-name = value' per line (see config/); also "
                 "KLAVIYO_MCP_CONFIG",
                 !env_config.empty());
  app.allow_config_extras(CLI::config_extras_mode::error);

  bool stdio = false;
  std::string http;
  std::string log_level = "info";
  double call_timeout_seconds = 60;
  int rate_margin_ms = 50;
  double shutdown_grace_seconds = 10;

  auto* stdio_opt = app.add_flag("--stdio", stdio, "Serve MCP over stdin/stdout (the default)");
  auto* http_opt = app.add_option("--http", http, "Serve MCP over Streamable HTTP on HOST:PORT (host defaults to 127.0.0.1)");
  stdio_opt->excludes(http_opt);
  app.add_option("--api-key", config.api_key, "Klaviyo private API key")->envname("KLAVIYO_API_KEY");
  app.add_option("--oauth-token", config.oauth_token,
                 "OAuth access token for the default account, instead of a private key")
      ->envname("KLAVIYO_OAUTH_TOKEN");
  std::vector<std::string> account_specs;
  app.add_option("--account", account_specs,
                 "A named account: NAME=key-env:VAR, key-file:PATH, oauth-env:VAR or oauth-file:PATH, then "
                 "optionally ,public-key:ID; repeatable");
  std::string default_account;
  app.add_option("--default-account", default_account,
                 "The account stdio and requests without X-Klaviyo-Account act for (default: 'default', else "
                 "the first --account)")
      ->envname("KLAVIYO_MCP_DEFAULT_ACCOUNT");
  std::string token_file;
  app.add_option("--http-token-file", token_file,
                 "HTTP clients' bearer tokens, one 'TOKEN [ACCOUNT,...]' per line; with KLAVIYO_MCP_HTTP_TOKEN, "
                 "required off loopback")
      ->envname("KLAVIYO_MCP_HTTP_TOKEN_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", config.http.tls_certificate_file,
                 "Serve HTTPS: the certificate chain (PEM), with --tls-key")
      ->envname("KLAVIYO_MCP_TLS_CERT")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", config.http.tls_private_key_file, "The private key (PEM) of --tls-cert")
      ->envname("KLAVIYO_MCP_TLS_KEY")
      ->check(CLI::ExistingFile);
  double header_timeout_s = 10, body_timeout_s = 30, idle_timeout_s = 60;
  app.add_option("--max-connections", config.http.max_connections, "Most open HTTP connections; beyond, 503")
      ->envname("KLAVIYO_MCP_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--max-in-flight", config.http.max_in_flight, "Most HTTP requests answered at once; beyond, 503")
      ->envname("KLAVIYO_MCP_MAX_IN_FLIGHT")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--max-streams-per-session", config.http.max_streams_per_session,
                 "Most SSE streams (streamed POST replies and the GET stream) open at once on one session; beyond, 503")
      ->envname("KLAVIYO_MCP_MAX_STREAMS_PER_SESSION")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--max-body-bytes", config.http.max_body_bytes, "Largest HTTP request body; beyond, 413")
      ->envname("KLAVIYO_MCP_MAX_BODY_BYTES")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--max-header-bytes", config.http.max_header_bytes, "Largest HTTP request head; beyond, 431")
      ->envname("KLAVIYO_MCP_MAX_HEADER_BYTES")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--header-timeout", header_timeout_s, "Seconds a client has to send a request's headers")
      ->envname("KLAVIYO_MCP_HEADER_TIMEOUT")
      ->check(CLI::Range(0.05, 3600.0))
      ->capture_default_str();
  app.add_option("--body-timeout", body_timeout_s, "Seconds a client has to send a request's body")
      ->envname("KLAVIYO_MCP_BODY_TIMEOUT")
      ->check(CLI::Range(0.05, 3600.0))
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout_s, "Seconds an idle keep-alive connection stays open")
      ->envname("KLAVIYO_MCP_IDLE_TIMEOUT")
      ->check(CLI::Range(0.05, 86400.0))
      ->capture_default_str();
  app.add_option("--public-key", config.public_key, "Klaviyo public key (company id) for client-side operations")
      ->envname("KLAVIYO_PUBLIC_KEY");
  auto* base_url_opt = app.add_option("--base-url", config.base_url, "Klaviyo API base URL")
                          ->envname("KLAVIYO_BASE_URL")
                          ->capture_default_str();
  app.add_flag("--sandbox", config.sandbox,
               "Act on a simulated Klaviyo account served in-process on loopback (seeded store; no real "
               "account, key or customer is touched); every result says so")
      ->envname("KLAVIYO_MCP_SANDBOX")
      ->excludes(base_url_opt);
  app.add_option("--sandbox-state", config.sandbox_state,
                 "With --sandbox: keep the simulated account in this SQLite file between runs")
      ->envname("KLAVIYO_MCP_SANDBOX_STATE");
  app.add_option("--revision", config.revision, "Klaviyo API revision header")
      ->envname("KLAVIYO_REVISION")
      ->capture_default_str();
  app.add_option("--ca-file", config.ca_file, "Extra CA certificate (PEM) to trust for the Klaviyo API")
      ->envname("KLAVIYO_CA_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--upload-dir", config.upload_dir,
                 "Directory whose files upload tools may read (file_path); unset: only base64 content")
      ->envname("KLAVIYO_UPLOAD_DIR")
      ->check(CLI::ExistingDirectory);
  app.add_option("--max-upstream-connections", config.max_upstream_connections,
                 "Most connections to the Klaviyo API open at once; further calls wait for one")
      ->envname("KLAVIYO_MCP_MAX_UPSTREAM_CONNECTIONS")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--call-timeout", call_timeout_seconds, "Default deadline of one tool call, in seconds")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--rate-margin-ms", rate_margin_ms,
                 "Added to every rate-limit window, in ms, so network jitter cannot crowd Klaviyo's windows")
      ->envname("KLAVIYO_MCP_RATE_MARGIN_MS")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app.add_option("--threads", config.threads,
                 "Threads serving HTTP (0: one per core); set it to a container's CPU limit, which the "
                 "server cannot see")
      ->envname("KLAVIYO_MCP_THREADS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  app.add_option("--rate-limit-scale", config.rate_limit_scale,
                 "Pace at Klaviyo's published rate limits times this factor (0-10): above 1 for a raised "
                 "quota, below 1 for a key other clients share; 0 turns our pacing off (benchmarks), leaving "
                 "only Klaviyo's 429s")
      ->envname("KLAVIYO_MCP_RATE_LIMIT_SCALE")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  app.add_option("--shutdown-grace", shutdown_grace_seconds,
                 "On SIGTERM/SIGINT, how long calls under way may finish before they are cancelled, in seconds")
      ->envname("KLAVIYO_MCP_SHUTDOWN_GRACE")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  std::string redis_url;
  int redis_timeout_ms = 250;
  app.add_option("--redis", redis_url,
                 "Share rate limits, sessions and confirmation tokens with other replicas through Redis at "
                 "redis://[[USER]:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS)")
      ->envname("KLAVIYO_MCP_REDIS");
  app.add_option("--redis-fallback-replicas", config.redis_fallback_replicas,
                 "While Redis cannot be reached, each replica paces calls at 1/N of Klaviyo's limits: N replicas")
      ->envname("KLAVIYO_MCP_REDIS_FALLBACK_REPLICAS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--redis-ca-file", config.redis_ca_file,
                 "Extra CA certificate (PEM) to trust for rediss:// (default: --ca-file's)")
      ->envname("KLAVIYO_MCP_REDIS_CA_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--redis-timeout-ms", redis_timeout_ms,
                 "Deadline of one Redis command, in ms; past it a call uses this replica's own state")
      ->envname("KLAVIYO_MCP_REDIS_TIMEOUT_MS")
      ->check(CLI::Range(1, 60000))
      ->capture_default_str();
  bool no_confirm = false;
  app.add_flag("--no-confirm", no_confirm,
               "Run destructive tools at once, without asking the human (for trusted automations)")
      ->envname("KLAVIYO_MCP_NO_CONFIRM");
  app.add_flag("--conformance-fixtures", config.conformance_fixtures,
               "Also serve the MCP conformance suite's fixture tools, resources and prompts (for testing)");
  app.add_option("--max-result-chars", config.max_result_chars,
                 "Most characters of one tool result; longer lists are cut at a record, with a notice and a cursor")
      ->envname("KLAVIYO_MCP_MAX_RESULT_CHARS")
      ->check(CLI::Range(std::size_t{1000}, std::size_t{10'000'000}))
      ->capture_default_str();
  // Hidden: lets tests wait for scripted jobs without waiting seconds.
  int job_poll_interval_ms = 1000;
  app.add_option("--job-poll-interval-ms", job_poll_interval_ms)->check(CLI::Range(1, 60000))->group("");
  app.add_option("--log-level", log_level, "debug, info, notice, warning, error")
      ->envname("KLAVIYO_MCP_LOG_LEVEL")
      ->capture_default_str();
  app.add_option("--allowed-origin", config.allowed_origins,
                 "Extra Origin allowed over HTTP (loopback origins always are); repeatable");
  app.add_option("--allowed-host", config.allowed_hosts,
                 "Extra Host header value allowed over HTTP (loopback always is); repeatable");
  ToolSelectionFlags tool_flags;
  add_tool_selection_options(app, tool_flags);
  add_cli_commands(app, config.command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A setting from the config file that is refused: say on which line it stands.
    const auto* config_opt = app.get_config_ptr();
    const std::string file = config_opt->count() > 0 ? config_opt->as<std::string>() : env_config;
    if (e.get_exit_code() != 0 && !file.empty()) {
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      std::string message = locate_config_error(e.what(), file, config_key_lines(text.str()));
      if (message.find("not able to parse") != std::string::npos)
        message += " (an unknown setting: keys are the long flag names without \"--\"; see --help)";
      std::cerr << message << "\n";
      return {std::nullopt, 2};
    }
    // Help and version go to stdout; errors to stderr, with exit code 2.
    int code = app.exit(e);
    return {std::nullopt, code == 0 ? 0 : 2};
  }

  if (!http.empty()) {
    config.mode = Config::Mode::http;
    if (!parse_host_port(http, config)) {
      std::cerr << "--http: expected HOST:PORT, :PORT or PORT, got '" << http << "'\n";
      return {std::nullopt, 2};
    }
  }
  if (config.command.kind != CliCommand::Kind::serve && (stdio || !http.empty())) {
    std::cerr << "--stdio and --http choose how to serve MCP; the tools and call commands serve nothing\n";
    return {std::nullopt, 2};
  }
  auto level = parse_log_level(log_level);
  if (!level) {
    std::cerr << "--log-level: expected one of debug, info, notice, warning, error; got '" << log_level << "'\n";
    return {std::nullopt, 2};
  }
  config.log_level = *level;
  if (!redis_url.empty()) {
    auto endpoint = parse_redis_url(redis_url);
    if (!endpoint) {
      std::cerr << "--redis: " << endpoint.error() << "\n";
      return {std::nullopt, 2};
    }
    config.redis = std::move(*endpoint);
  }
  if (config.redis_ca_file.empty()) config.redis_ca_file = config.ca_file;
  config.redis_timeout = std::chrono::milliseconds(redis_timeout_ms);
  apply_listing_scope(config.command, tool_flags);
  auto selection = parse_tool_selection(tool_flags);
  if (!selection.selection) {
    std::cerr << selection.error << "\n";
    return {std::nullopt, 2};
  }
  config.tool_selection = std::move(*selection.selection);
  config.call_timeout = std::chrono::milliseconds(static_cast<long long>(call_timeout_seconds * 1000));
  config.rate_margin = std::chrono::milliseconds(rate_margin_ms);
  config.shutdown_grace = std::chrono::milliseconds(static_cast<long long>(shutdown_grace_seconds * 1000));
  config.job_poll_interval = std::chrono::milliseconds(job_poll_interval_ms);
  config.confirm_destructive = !no_confirm;
  const auto ms = [](double seconds) { return std::chrono::milliseconds(static_cast<long long>(seconds * 1000)); };
  config.http.header_timeout = ms(header_timeout_s);
  config.http.body_timeout = ms(body_timeout_s);
  config.http.idle_timeout = ms(idle_timeout_s);
  if (!config.sandbox_state.empty() && !config.sandbox) {
    std::cerr << "--sandbox-state keeps the sandbox's account: it needs --sandbox\n";
    return {std::nullopt, 2};
  }
  if (auto error = settle_accounts(config, account_specs, default_account, token_file)) {
    std::cerr << *error << "\n";
    return {std::nullopt, 2};
  }
  return {std::move(config), 0};
}

}  // namespace kmcp
