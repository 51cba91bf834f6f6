// Named accounts, the default one and HTTP tokens, as the command line settles them.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "server/app/account_specs.hpp"
#include "server/app/config.hpp"
#include "tests/unit/app/parse_args.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace kmcp {
namespace {

ParseOutcome parse(std::vector<std::string> args) { return test::parse_args(std::move(args)); }

const EnvLookup kEnv = [](const std::string& name) -> std::optional<std::string> {
  if (name == "ACME_KEY") return "pk_acme_secret\n";
  if (name == "EMPTY") return "";
  return std::nullopt;
};
const FileReader kFiles = [](const std::string& path) -> std::optional<std::string> {
  if (path == "/secrets/globex") return "  oauth-globex-token  \n";
  return std::nullopt;
};

// Sets an environment variable for one scope.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name); }
  const char* name;
};

}  // namespace

TEST_CASE("account specs: keys and OAuth tokens from variables or files, with a public key") {
  auto acme = parse_account_spec("acme=key-env:ACME_KEY,public-key:AbC123", kEnv, kFiles);
  REQUIRE(acme.has_value());
  CHECK(acme->account == "acme");
  CHECK(acme->private_key == "pk_acme_secret");
  CHECK(acme->public_key == "AbC123");
  auto globex = parse_account_spec("globex=oauth-file:/secrets/globex", kEnv, kFiles);
  REQUIRE(globex.has_value());
  CHECK(globex->oauth_token == "oauth-globex-token");
  CHECK(globex->private_key.empty());
}

TEST_CASE("account specs: each mistake is named, and no secret is in the message") {
  const auto error = [](std::string_view spec) {
    auto r = parse_account_spec(spec, kEnv, kFiles);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().find("pk_acme_secret") == std::string::npos);
    return r.error();
  };
  CHECK(error("acme").find("NAME=") != std::string::npos);
  CHECK(error("ac me=key-env:ACME_KEY").find("not a valid account name") != std::string::npos);
  CHECK(error("acme=key-env:MISSING").find("MISSING is not set") != std::string::npos);
  CHECK(error("acme=key-env:EMPTY").find("empty") != std::string::npos);
  CHECK(error("acme=key-file:/nowhere").find("cannot read /nowhere") != std::string::npos);
  CHECK(error("acme=pk_acme_secret").find("unknown part") != std::string::npos);
  CHECK(error("acme=key-env:ACME_KEY,oauth-file:/secrets/globex").find("not several") != std::string::npos);
  CHECK(error("acme=").find("no key") != std::string::npos);
}

TEST_CASE("accounts: KLAVIYO_API_KEY is 'default'; --account adds others; --default-account picks one") {
  ScopedEnv key("ACME_KEY_FOR_TEST", "pk_acme");
  auto r = parse({"--api-key", "pk_default", "--account", "acme=key-env:ACME_KEY_FOR_TEST"});
  REQUIRE(r.config);
  REQUIRE(r.config->accounts.size() == 2);
  CHECK(r.config->accounts[0].account == "default");
  CHECK(r.config->accounts[1].private_key == "pk_acme");
  CHECK(r.config->default_account == "default");

  auto only_named = parse({"--account", "acme=key-env:ACME_KEY_FOR_TEST"});
  REQUIRE(only_named.config);
  CHECK(only_named.config->default_account == "acme");

  auto picked = parse({"--api-key", "pk_default", "--account", "acme=key-env:ACME_KEY_FOR_TEST", "--default-account",
                       "acme"});
  REQUIRE(picked.config);
  CHECK(picked.config->default_account == "acme");

  CHECK(parse({"--default-account", "initech"}).exit_code == 2);
  CHECK(parse({"--account", "acme=key-env:ACME_KEY_FOR_TEST", "--account", "acme=key-env:ACME_KEY_FOR_TEST"})
            .exit_code == 2);
  CHECK(parse({"--api-key", "pk_default", "--account", "default=key-env:ACME_KEY_FOR_TEST"}).exit_code == 2);
  // No credentials at all: an empty default account, so a call names the variable to set.
  auto none = parse({});
  REQUIRE(none.config);
  REQUIRE(none.config->accounts.size() == 1);
  CHECK_FALSE(none.config->accounts[0].has_private());
}

TEST_CASE("http tokens: required beyond loopback; from KLAVIYO_MCP_HTTP_TOKEN or a file naming known accounts") {
  CHECK(parse({"--http", "0.0.0.0:8080"}).exit_code == 2);
  CHECK(parse({"--http", "127.0.0.1:8080"}).config);
  CHECK(parse({"--http", "localhost:8080"}).config);
  {
    ScopedEnv token("KLAVIYO_MCP_HTTP_TOKEN", "0123456789abcdef-token");
    auto open = parse({"--http", "0.0.0.0:8080"});
    REQUIRE(open.config);
    REQUIRE(open.config->http_tokens);
    CHECK(open.config->http_tokens->check("Bearer 0123456789abcdef-token"));
  }
  {
    ScopedEnv token("KLAVIYO_MCP_HTTP_TOKEN", "short");
    CHECK(parse({"--http", "0.0.0.0:8080"}).exit_code == 2);
  }
  TempDir dir;
  const auto file = dir.path() / "tokens";
  std::ofstream(file) << "0123456789abcdef-token acme\n";
  CHECK(parse({"--http", "0.0.0.0:8080", "--http-token-file", file.string()}).exit_code == 2);  // no acme
  ScopedEnv key("ACME_KEY_FOR_TEST", "pk_acme");
  auto mapped = parse({"--http", "0.0.0.0:8080", "--http-token-file", file.string(), "--account",
                       "acme=key-env:ACME_KEY_FOR_TEST"});
  REQUIRE(mapped.config);
  const TokenGrant* grant = mapped.config->http_tokens->check("Bearer 0123456789abcdef-token");
  REQUIRE(grant);
  CHECK(grant->accounts == std::vector<std::string>{"acme"});
}

TEST_CASE("http limits come from flags and variables, refusing nonsense") {
  auto r = parse({"--max-connections", "10", "--max-in-flight", "5", "--header-timeout", "2.5"});
  REQUIRE(r.config);
  CHECK(r.config->http.max_connections == 10);
  CHECK(r.config->http.max_in_flight == 5);
  CHECK(r.config->http.header_timeout == std::chrono::milliseconds(2500));
  CHECK(parse({"--max-connections", "0"}).exit_code == 2);
  CHECK(parse({"--idle-timeout", "-1"}).exit_code == 2);
}

TEST_CASE("tls: --tls-cert and --tls-key come together, for --http, and bad files stop the start") {
  TempDir dir;
  const TestCertificates pem = generate_test_certificates();
  const auto cert = dir.path() / "cert.pem", key = dir.path() / "key.pem", wrong = dir.path() / "ca.pem";
  std::ofstream(cert) << pem.server_certificate_pem;
  std::ofstream(key) << pem.server_private_key_pem;
  std::ofstream(wrong) << pem.ca_certificate_pem;
  auto served = parse({"--http", "127.0.0.1:8443", "--tls-cert", cert.string(), "--tls-key", key.string()});
  REQUIRE(served.config);
  CHECK(served.config->http.tls_certificate_file == cert.string());
  CHECK(served.config->http.tls_private_key_file == key.string());
  CHECK(parse({"--http", "127.0.0.1:8443", "--tls-cert", cert.string()}).exit_code == 2);
  CHECK(parse({"--http", "127.0.0.1:8443", "--tls-key", key.string()}).exit_code == 2);
  CHECK(parse({"--stdio", "--tls-cert", cert.string(), "--tls-key", key.string()}).exit_code == 2);
  CHECK(parse({"--http", "127.0.0.1:8443", "--tls-cert", cert.string(), "--tls-key", (dir.path() / "none").string()})
            .exit_code == 2);
  // A key that is no key, and a certificate that is not the key's.
  CHECK(parse({"--http", "127.0.0.1:8443", "--tls-cert", cert.string(), "--tls-key", cert.string()}).exit_code == 2);
  CHECK(parse({"--http", "127.0.0.1:8443", "--tls-cert", wrong.string(), "--tls-key", key.string()}).exit_code == 2);
  {
    ScopedEnv c("KLAVIYO_MCP_TLS_CERT", cert.string().c_str());
    ScopedEnv k("KLAVIYO_MCP_TLS_KEY", key.string().c_str());
    auto from_env = parse({"--http", "127.0.0.1:8443"});
    REQUIRE(from_env.config);
    CHECK(from_env.config->http.tls_certificate_file == cert.string());
  }
}

}  // namespace kmcp
