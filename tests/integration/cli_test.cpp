// The binary's command line: help, version, and refusals of bad flags.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/integration/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {
BinaryRun run(std::vector<std::string> args, Env env = {}) { return run_binary(std::move(args), std::move(env)); }
}  // namespace

TEST_CASE("--help names every flag and the environment variables, and no secret") {
  auto r = run({"--help"}, {{"KLAVIYO_API_KEY", "pk_secret_never_shown"}});
  CHECK(r.status == 0);
  for (const char* word : {"--stdio", "--http", "--api-key", "--base-url", "--revision", "--ca-file",
                           "--rate-margin-ms", "--max-upstream-connections", "KLAVIYO_API_KEY", "KLAVIYO_BASE_URL",
                           "KLAVIYO_REVISION", "KLAVIYO_MCP_RATE_MARGIN_MS", "KLAVIYO_MCP_MAX_UPSTREAM_CONNECTIONS",
                           "--shutdown-grace", "KLAVIYO_MCP_SHUTDOWN_GRACE", "--toolsets", "--tools", "--exclude-tools",
                           "--read-only", "--hide-customer-content", "KLAVIYO_MCP_TOOLSETS", "KLAVIYO_MCP_READ_ONLY",
                           "KLAVIYO_MCP_HIDE_CUSTOMER_CONTENT", "--redis", "KLAVIYO_MCP_REDIS", "--redis-fallback-replicas",
                           "KLAVIYO_MCP_REDIS_FALLBACK_REPLICAS", "--rate-limit-scale", "KLAVIYO_MCP_RATE_LIMIT_SCALE",
                           "--threads", "KLAVIYO_MCP_THREADS"})
    CHECK_MESSAGE(r.out.find(word) != std::string::npos, word);
  CHECK(r.out.find("pk_secret_never_shown") == std::string::npos);
  CHECK(r.err.find("pk_secret_never_shown") == std::string::npos);
}

TEST_CASE("--version prints the product and version") {
  auto r = run({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.find("klaviyo-mcp") != std::string::npos);
}

TEST_CASE("bad flags and values are refused with exit code 2") {
  CHECK(run({"--no-such-flag"}).status == 2);
  CHECK(run({"--http", "localhost:notaport"}).status == 2);
  CHECK(run({"--stdio", "--http", "127.0.0.1:0"}).status == 2);
  CHECK(run({"--log-level", "loud"}).status == 2);
  CHECK(run({"--rate-margin-ms", "1001"}).status == 2);
  CHECK(run({"--rate-margin-ms", "-1"}).status == 2);
  CHECK(run({}, {{"KLAVIYO_MCP_RATE_MARGIN_MS", "soon"}}).status == 2);
  CHECK(run({"--max-upstream-connections", "0"}).status == 2);
  CHECK(run({}, {{"KLAVIYO_MCP_MAX_UPSTREAM_CONNECTIONS", "none"}}).status == 2);
}

TEST_CASE("--rate-margin-ms takes 0 to 1000, also from KLAVIYO_MCP_RATE_MARGIN_MS") {
  // stdin is closed at once: a run that accepted its flags serves nothing and exits 0.
  CHECK(run({"--rate-margin-ms", "0"}).status == 0);
  CHECK(run({"--rate-margin-ms", "1000"}).status == 0);
  CHECK(run({}, {{"KLAVIYO_MCP_RATE_MARGIN_MS", "250"}}).status == 0);
}

TEST_CASE("--threads takes 0 (one per core) to 256, also from KLAVIYO_MCP_THREADS") {
  CHECK(run({"--threads", "1"}).status == 0);
  CHECK(run({}, {{"KLAVIYO_MCP_THREADS", "0"}}).status == 0);
  CHECK(run({"--threads", "-1"}).status == 2);
  CHECK(run({"--threads", "257"}).status == 2);
  CHECK(run({}, {{"KLAVIYO_MCP_THREADS", "many"}}).status == 2);
}

TEST_CASE("--rate-limit-scale takes 0 to 10, also from KLAVIYO_MCP_RATE_LIMIT_SCALE") {
  CHECK(run({"--rate-limit-scale", "0"}).status == 0);
  CHECK(run({"--rate-limit-scale", "2.5"}).status == 0);
  CHECK(run({}, {{"KLAVIYO_MCP_RATE_LIMIT_SCALE", "0.5"}}).status == 0);
  const auto too_big = run({"--rate-limit-scale", "11"});
  CHECK(too_big.status == 2);
  CHECK(too_big.err.find("--rate-limit-scale") != std::string::npos);
  CHECK(run({"--rate-limit-scale", "-1"}).status == 2);
  CHECK(run({}, {{"KLAVIYO_MCP_RATE_LIMIT_SCALE", "fast"}}).status == 2);
}

TEST_CASE("unknown toolsets and tools are refused at startup, naming the valid ones or close matches") {
  auto toolset = run({"--toolsets", "core,profile"});
  CHECK(toolset.status == 2);
  CHECK(toolset.err.find("--toolsets (KLAVIYO_MCP_TOOLSETS): unknown toolset 'profile' (the toolsets are core, all, "
                         "accounts, campaigns") != std::string::npos);
  auto tool = run({"--tools", "get_profils"});
  CHECK(tool.status == 2);
  CHECK(tool.err.find("--tools (KLAVIYO_MCP_TOOLS): unknown tool 'get_profils' (did you mean get_profile or "
                      "get_profiles?)") != std::string::npos);
  auto excluded = run({}, {{"KLAVIYO_MCP_EXCLUDE_TOOLS", "lists"}});
  CHECK(excluded.status == 2);
  CHECK(excluded.err.find("unknown tool 'lists' ('lists' is a toolset: name it in --toolsets") != std::string::npos);
  auto empty = run({"--toolsets", " , "});
  CHECK(empty.status == 2);
  CHECK(empty.err.find("--toolsets: name at least one toolset") != std::string::npos);
  CHECK(run({"--read-only=maybe"}).status == 2);
}

namespace {

// Writes `text` as a config file in `dir` and returns its path.
std::string config_file(const TempDir& dir, const std::string& text) {
  const auto path = dir.path() / "klaviyo-mcp.toml";
  std::ofstream(path) << text;
  return path.string();
}

bool lists(const BinaryRun& r, const std::string& tool) { return r.out.find("\"" + tool + "\"") != std::string::npos; }

}  // namespace

TEST_CASE("--config: settings from a file; a flag wins over it, and it wins over the environment") {
  TempDir dir;
  const std::string file = config_file(dir, "# tools\ntoolsets = \"lists\"\nrate-margin-ms = 10\n");
  auto from_file = run({"--config", file, "tools", "list", "--json"});
  REQUIRE(from_file.status == 0);
  CHECK(lists(from_file, "get_lists"));
  CHECK_FALSE(lists(from_file, "get_profiles"));

  auto flag_wins = run({"--config", file, "--toolsets", "profiles", "tools", "list", "--json"});
  CHECK(lists(flag_wins, "get_profiles"));
  CHECK_FALSE(lists(flag_wins, "get_lists"));

  auto over_env = run({"tools", "list", "--json"}, {{"KLAVIYO_MCP_CONFIG", file}, {"KLAVIYO_MCP_TOOLSETS", "profiles"}});
  CHECK(lists(over_env, "get_lists"));
  CHECK_FALSE(lists(over_env, "get_profiles"));

  // The tool switches are settings like any other: read-only wins there too.
  auto read_only = run({"--config", config_file(dir, "toolsets = \"lists\"\nread-only = true\n"), "tools", "list", "--json"});
  CHECK(lists(read_only, "get_lists"));
  CHECK_FALSE(lists(read_only, "create_list"));
}

TEST_CASE("--config: an unknown key or a bad value is refused at startup, naming the line") {
  TempDir dir;
  auto unknown = run({"--config", config_file(dir, "toolsets = \"core\"\n\nrate-margn-ms = 10\n")});
  CHECK(unknown.status == 2);
  CHECK_MESSAGE(unknown.err.find("klaviyo-mcp.toml:3: ") != std::string::npos, unknown.err);
  CHECK(unknown.err.find("rate-margn-ms") != std::string::npos);

  auto bad = run({"--config", config_file(dir, "# margin\nrate-margin-ms = 5000\n")});
  CHECK(bad.status == 2);
  CHECK_MESSAGE(bad.err.find("klaviyo-mcp.toml:2: ") != std::string::npos, bad.err);

  CHECK(run({"--config", (dir.path() / "missing.toml").string()}).status == 2);
}

TEST_CASE("the example config in config/ is accepted as it is") {
  CHECK(run({"--config", std::string(KMCP_SOURCE_DIR) + "/config/klaviyo-mcp.toml", "tools", "list"}).status == 0);
}

TEST_CASE("--redis (or KLAVIYO_MCP_REDIS, or the config file) takes a redis:// URL; a bad one exits 2 saying why") {
  const auto bad = run({"--redis", "http://:hunter2@cache:6379"});
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--redis: the scheme must be redis:// or rediss://") != std::string::npos);
  CHECK(bad.err.find("hunter2") == std::string::npos);
  CHECK(run({}, {{"KLAVIYO_MCP_REDIS", "redis://cache:6379/x"}}).status == 2);
  CHECK(run({"--redis-fallback-replicas", "0"}).status == 2);
  CHECK(run({}, {{"KLAVIYO_MCP_REDIS_FALLBACK_REPLICAS", "many"}}).status == 2);

  TempDir dir;
  const auto file = (dir.path() / "kmcp.toml").string();
  std::ofstream(file) << "redis = \"redis://cache:notaport\"\n";
  CHECK(run({"--config", file}).status == 2);

  // A good URL is accepted; Redis is reached only when state is needed (stdin closes at once).
  const auto good = run({"--redis", "rediss://kmcp:pw@127.0.0.1:1/2", "--redis-fallback-replicas", "3"});
  CHECK(good.status == 0);
  CHECK(good.err.find("\"redis\":\"127.0.0.1:1\"") != std::string::npos);
  CHECK(good.err.find("pw@") == std::string::npos);
}
