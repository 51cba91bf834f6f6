// BeastUpstreamClient over HTTPS against the loopback FakeUpstream and its throwaway CA.
#include <doctest/doctest.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/fake_upstream.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/klaviyo/client_harness.hpp"

namespace kmcp::test {
namespace {

namespace http = boost::beast::http;

UpstreamOptions tls_options(const FakeUpstream& fake, bool trust_ca) {
  UpstreamOptions options;
  options.base_url = fake.base_url();
  if (trust_ca) options.ca_file = fake.ca_file();
  return options;
}

}  // namespace

TEST_CASE("https: headers and body arrive intact when the CA is trusted") {
  FakeUpstream fake({.tls = true});
  REQUIRE(fake.base_url().starts_with("https://127.0.0.1:"));
  REQUIRE_FALSE(fake.ca_file().empty());
  fake.enqueue(ScriptedResponse::json(200, R"({"data":{"type":"profile","id":"P1"}})"));
  ClientHarness harness(tls_options(fake, true));

  UpstreamRequest request;
  request.method = http::verb::patch;
  request.target = "/api/profiles/P1";
  request.headers = {{"Authorization", "Klaviyo-API-Key pk_tls"}, {"Content-Type", "application/vnd.api+json"}};
  request.body = R"({"data":{"type":"profile","id":"P1","attributes":{"first_name":"Ada"}}})";
  const auto result = harness.send(request);

  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(result->body == R"({"data":{"type":"profile","id":"P1"}})");
  const auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "PATCH");
  CHECK(requests[0].path == "/api/profiles/P1");
  CHECK(requests[0].header("authorization") == "Klaviyo-API-Key pk_tls");
  CHECK(requests[0].body == request.body);

  // Keep-alive works over TLS too.
  REQUIRE(harness.send(get_request("/api/lists")).has_value());
  CHECK(fake.connections_accepted() == 1);
}

TEST_CASE("https: new connections resume the TLS session of an earlier one") {
  FakeUpstream fake({.tls = true});
  UpstreamOptions options = tls_options(fake, true);
  options.max_idle_connections = 0;  // every call opens a new connection
  ClientHarness harness(options);
  for (int i = 0; i < 3; ++i) REQUIRE(harness.send(get_request("/api/lists")).has_value());
  CHECK(fake.connections_accepted() == 3);
  CHECK(fake.tls_sessions_resumed() == 2);
}

TEST_CASE("https: a resumed connection that breaks does not spoil the session for the next") {
  FakeUpstream fake({.tls = true});
  ClientHarness harness(tls_options(fake, true));
  REQUIRE(harness.send(get_request("/api/first")).has_value());
  ScriptedResponse drop;
  drop.reset_connection = true;
  fake.enqueue(drop);
  fake.enqueue(drop);  // the pooled connection, then the fresh one of the retry
  CHECK(harness.send(get_request("/api/broken")).has_error());
  REQUIRE(harness.send(get_request("/api/next")).has_value());
  CHECK(fake.connections_accepted() == 3);
  CHECK(fake.tls_sessions_resumed() == 2);
}

TEST_CASE("https: concurrent calls share the session cache and stay within max_connections") {
  FakeUpstream fake({.tls = true});
  UpstreamOptions options = tls_options(fake, true);
  options.max_connections = 4;
  ClientHarness harness(options, 2);
  std::vector<std::future<UpstreamResult>> calls;
  for (int i = 0; i < 12; ++i) calls.push_back(harness.start(get_request("/api/lists"), std::chrono::steady_clock::now() + 10s));
  for (auto& call : calls) {
    REQUIRE(call.wait_for(15s) == std::future_status::ready);
    CHECK(call.get().has_value());
  }
  CHECK(fake.peak_open_connections() <= 4);
  CHECK(fake.requests().size() == 12);
}

TEST_CASE("https: the host name is verified against the DNS SAN when connecting by name") {
  FakeUpstream fake({.tls = true});
  UpstreamOptions options;
  options.base_url = "https://localhost:" + std::to_string(fake.port());
  options.ca_file = fake.ca_file();
  ClientHarness harness(options);
  const auto result = harness.send(get_request("/api/accounts"));
  // localhost may resolve to ::1 first, where nothing listens: the client moves on to 127.0.0.1.
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(fake.requests().at(0).header("host") == "localhost:" + std::to_string(fake.port()));
}

TEST_CASE("https: without the CA the certificate is refused and nothing is sent") {
  FakeUpstream fake({.tls = true});
  ClientHarness harness(tls_options(fake, false));
  const auto result = harness.send(get_request("/api/lists"));
  REQUIRE(result.has_error());
  CHECK(result.error().kind == UpstreamFailure::Kind::tls);
  CHECK_FALSE(result.error().maybe_sent);
  CHECK(result.error().message.find("certificate verify failed") != std::string::npos);
  CHECK(fake.requests().empty());
}

TEST_CASE("https: a certificate for another address is refused even from a trusted CA") {
  FakeUpstream fake({.tls = true});
  // The IPv4-mapped IPv6 form reaches the same listener, but the certificate names only
  // 127.0.0.1 and localhost, so the host-name check must fail.
  UpstreamOptions options;
  options.base_url = "https://[::ffff:127.0.0.1]:" + std::to_string(fake.port());
  options.ca_file = fake.ca_file();
  ClientHarness harness(options);
  const auto result = harness.send(get_request("/api/lists"));
  REQUIRE(result.has_error());
  if (result.error().kind == UpstreamFailure::Kind::connect) {
    MESSAGE("IPv6 unavailable here; host-name mismatch not exercised: " << result.error().message);
    return;
  }
  CHECK(result.error().kind == UpstreamFailure::Kind::tls);
  CHECK_FALSE(result.error().maybe_sent);
  CHECK(fake.requests().empty());
}

TEST_CASE("a missing CA file is a startup error") {
  UpstreamOptions options;
  options.base_url = "https://127.0.0.1:1";
  options.ca_file = "no-such-dir/ca.pem";
  asio::io_context io;
  CHECK_THROWS_AS(BeastUpstreamClient(io.get_executor(), options), std::runtime_error);
}

TEST_CASE("a malformed base URL is a startup error") {
  asio::io_context io;
  for (const char* url : {"ftp://a.klaviyo.com", "a.klaviyo.com", "https://a.klaviyo.com/api", ""}) {
    UpstreamOptions options;
    options.base_url = url;
    CHECK_THROWS_AS(BeastUpstreamClient(io.get_executor(), options), std::runtime_error);
  }
}

}  // namespace kmcp::test

namespace kmcp::test {
namespace {

// The CA file's copy under its OpenSSL subject-hash name in `dir` ("1a2b3c4d.0").
void install_hashed(const std::string& ca_file, const std::filesystem::path& dir) {
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(ca_file.c_str(), "r"), std::fclose);
  REQUIRE(in);
  std::unique_ptr<X509, void (*)(X509*)> ca(PEM_read_X509(in.get(), nullptr, nullptr, nullptr), X509_free);
  REQUIRE(ca);
  char name[16];
  std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(ca.get()));
  std::filesystem::copy_file(ca_file, dir / name);
}

// Sets an environment variable for one test, putting back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("https: the system's CAs are read from their hashed directory when a handshake needs them") {
  FakeUpstream fake({.tls = true});
  TempDir certs("kmcp-hashed-cas");
  install_hashed(fake.ca_file(), certs.path());
  const ScopedEnv dir("SSL_CERT_DIR", certs.path().c_str());
  const ScopedEnv file("SSL_CERT_FILE", nullptr);
  ClientHarness harness(tls_options(fake, false));  // no --ca-file: only the "system" directory
  const auto result = harness.send(get_request("/api/lists"));
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
}

TEST_CASE("https: a hashed directory without the server's CA does not make it trusted") {
  FakeUpstream fake({.tls = true});
  FakeUpstream other({.tls = true});  // another throwaway CA
  TempDir certs("kmcp-hashed-cas");
  install_hashed(other.ca_file(), certs.path());
  const ScopedEnv dir("SSL_CERT_DIR", certs.path().c_str());
  const ScopedEnv file("SSL_CERT_FILE", nullptr);
  ClientHarness harness(tls_options(fake, false));
  CHECK_FALSE(harness.send(get_request("/api/lists")).has_value());
}

}  // namespace kmcp::test
