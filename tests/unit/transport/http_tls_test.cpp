// The HTTP listener over TLS: the MCP endpoint answers through the handshake with the configured
// certificate, streams work, and a client speaking plain HTTP to it is dropped without harm.
#include <doctest/doctest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>

#include "server/transport/tls_server_context.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"
#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
namespace {

namespace ssl = asio::ssl;
namespace beast = boost::beast;
using test::Request;
using test::Response;

// The certificate files, and a client context that trusts only their CA.
struct TlsFiles {
  TlsFiles() : pem(generate_test_certificates()), client(ssl::context::tls_client) {
    std::ofstream(certificate()) << pem.server_certificate_pem;
    std::ofstream(private_key()) << pem.server_private_key_pem;
    client.add_certificate_authority(asio::buffer(pem.ca_certificate_pem));
    client.set_verify_mode(ssl::verify_peer);
  }
  std::string certificate() const { return (dir.path() / "server.pem").string(); }
  std::string private_key() const { return (dir.path() / "server.key").string(); }
  HttpOptions options() const {
    HttpOptions o;
    o.tls_certificate_file = certificate();
    o.tls_private_key_file = private_key();
    return o;
  }
  TempDir dir;
  TestCertificates pem;
  ssl::context client;
};

// A verifying HTTPS client on one connection, each step bounded.
class TlsConnection {
 public:
  TlsConnection(asio::io_context& io, unsigned short port, ssl::context& context) : io_(io), stream_(io, context) {
    stream_.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    handshake_error = test::run_on(io_, connect(port)).value_or(asio::error::timed_out);
  }
  Response exchange(const Request& request) {
    auto reply = test::run_on(io_, round_trip(request));
    REQUIRE(reply.has_value());
    return std::move(*reply);
  }
  // Status and headers only (an event stream does not end).
  Response head(const Request& request) {
    auto reply = test::run_on(io_, read_head(request));
    REQUIRE(reply.has_value());
    return std::move(*reply);
  }
  boost::system::error_code handshake_error;

 private:
  asio::awaitable<boost::system::error_code> connect(unsigned short port) {
    auto [ec] = co_await beast::get_lowest_layer(stream_).async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return ec;
    auto [shake] = co_await stream_.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
    co_return shake;
  }
  asio::awaitable<Response> round_trip(Request request) {
    co_await test::http::async_write(stream_, request, asio::use_awaitable);
    Response response;
    co_await test::http::async_read(stream_, buffer_, response, asio::use_awaitable);
    co_return response;
  }
  asio::awaitable<Response> read_head(Request request) {
    co_await test::http::async_write(stream_, request, asio::use_awaitable);
    test::http::response_parser<test::http::string_body> parser;
    co_await test::http::async_read_header(stream_, buffer_, parser, asio::use_awaitable);
    Response response;
    response.base() = parser.get().base();
    co_return response;
  }
  asio::io_context& io_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

std::string open_session(TlsConnection& connection, test::HttpHarness& h) {
  Response init = connection.exchange(h.post(test::initialize_request(1)));
  REQUIRE(init.result_int() == 200);
  const std::string session(init["Mcp-Session-Id"]);
  CHECK(connection.exchange(h.post(test::notification_text("notifications/initialized"), session)).result_int() == 202);
  return session;
}

}  // namespace

TEST_CASE("tls: the MCP endpoint answers over HTTPS with the configured certificate, and says so when listening") {
  TlsFiles files;
  test::HttpHarness h(files.options());
  CHECK(h.log_text.str().find("\"tls\":true") != std::string::npos);
  TlsConnection connection(h.client, h.port, files.client);
  REQUIRE_FALSE(connection.handshake_error);
  const std::string session = open_session(connection, h);
  Response pong = connection.exchange(h.post(test::request_text(2, "ping"), session));
  CHECK(pong.result_int() == 200);
  CHECK(test::body_json(pong).at("id") == 2);
  // A tool call whose answer streams (progress first, then the result) over the same connection.
  Response streamed = connection.exchange(h.post(test::call_text(3, "progress", json::value("p-1")), session));
  CHECK(streamed.result_int() == 200);
  CHECK(streamed[test::http::field::content_type] == "text/event-stream");
  const auto events = test::sse_messages(streamed.body());
  REQUIRE(events.size() >= 2);
  CHECK(events.back().at("id") == 3);
}

TEST_CASE("tls: a GET event stream opens over HTTPS") {
  TlsFiles files;
  test::HttpHarness h(files.options());
  TlsConnection setup(h.client, h.port, files.client);
  REQUIRE_FALSE(setup.handshake_error);
  const std::string session = open_session(setup, h);
  TlsConnection stream(h.client, h.port, files.client);
  REQUIRE_FALSE(stream.handshake_error);
  Response head = stream.head(test::mcp_get(h.port, session));
  CHECK(head.result_int() == 200);
  CHECK(head[test::http::field::content_type] == "text/event-stream");
}

TEST_CASE("tls: plain HTTP to the TLS port is dropped, a client that does not trust the certificate fails, "
          "and HTTPS still works after") {
  TlsFiles files;
  test::HttpHarness h(files.options());
  test::TestConnection plain(h.client, h.port);
  plain.write(h.post(test::initialize_request(1)));
  CHECK(plain.closed_by_server());

  ssl::context untrusting(ssl::context::tls_client);
  untrusting.set_verify_mode(ssl::verify_peer);
  TlsConnection refused(h.client, h.port, untrusting);
  CHECK(refused.handshake_error);

  TlsConnection connection(h.client, h.port, files.client);
  REQUIRE_FALSE(connection.handshake_error);
  open_session(connection, h);
}

TEST_CASE("tls: unreadable or mismatched certificate files are refused with the file named") {
  TlsFiles files;
  const std::string missing = (files.dir.path() / "missing.pem").string();
  CHECK_THROWS_WITH_AS(make_tls_server_context(missing, files.private_key()),
                       doctest::Contains("missing.pem"), std::runtime_error);
  CHECK_THROWS_WITH_AS(make_tls_server_context(files.certificate(), files.certificate()),
                       doctest::Contains("private key"), std::runtime_error);
  const std::string ca = (files.dir.path() / "ca.pem").string();
  std::ofstream(ca) << files.pem.ca_certificate_pem;
  CHECK_THROWS_WITH_AS(make_tls_server_context(ca, files.private_key()), doctest::Contains("mismatch"),
                       std::runtime_error);
  CHECK_NOTHROW(make_tls_server_context(files.certificate(), files.private_key()));
}

}  // namespace kmcp
