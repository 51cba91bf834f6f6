#include "tests/unit/transport/http_test_client.hpp"

#include <doctest/doctest.h>

#include "tests/unit/transport/transport_harness.hpp"

namespace kmcp::test {

namespace beast = boost::beast;

namespace {
Request base(http::verb verb, unsigned short port) {
  Request request(verb, "/mcp", 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.keep_alive(true);
  return request;
}
void add_session(Request& request, std::string_view session) {
  if (session.empty()) return;
  request.set("Mcp-Session-Id", session);
  request.set("MCP-Protocol-Version", "2025-11-25");
}
}  // namespace

Request mcp_post(unsigned short port, std::string body, std::string_view session) {
  Request request = base(http::verb::post, port);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/json, text/event-stream");
  add_session(request, session);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

Request mcp_get(unsigned short port, std::string_view session) {
  Request request = base(http::verb::get, port);
  request.set(http::field::accept, "text/event-stream");
  add_session(request, session);
  return request;
}

Request mcp_delete(unsigned short port, std::string_view session) {
  Request request = base(http::verb::delete_, port);
  add_session(request, session);
  return request;
}

json::object body_json(const Response& response) {
  boost::system::error_code ec;
  json::value value = json::parse(response.body(), ec);
  REQUIRE_MESSAGE(!ec, "not JSON: " << response.body());
  REQUIRE(value.is_object());
  return value.as_object();
}

std::vector<json::object> sse_messages(std::string_view body) {
  std::vector<json::object> out;
  while (!body.empty()) {
    const auto end = body.find('\n');
    const std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    if (line.substr(0, 6) == "data: ") out.push_back(json::parse(line.substr(6)).as_object());
  }
  return out;
}

namespace {
asio::awaitable<boost::system::error_code> connect(beast::tcp_stream& stream, unsigned short port) {
  stream.expires_after(kBound);
  auto [ec] = co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                            asio::as_tuple(asio::use_awaitable));
  co_return ec;
}
}  // namespace

TestConnection::TestConnection(asio::io_context& io, unsigned short port) : io_(io), stream_(io) {
  REQUIRE(run_on(io_, connect(stream_, port)) == std::optional<boost::system::error_code>(boost::system::error_code{}));
}

bool connection_refused(asio::io_context& io, unsigned short port) {
  beast::tcp_stream stream(io);
  return run_on(io, connect(stream, port)) == std::optional<boost::system::error_code>(asio::error::connection_refused);
}

void TestConnection::write(const Request& request) {
  auto write = [&]() -> asio::awaitable<bool> {
    stream_.expires_after(kBound);
    auto [ec, n] = co_await http::async_write(stream_, request, asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  };
  REQUIRE(run_on(io_, write()) == std::optional<bool>(true));
}

void TestConnection::write_raw(std::string_view bytes) {
  auto write = [&]() -> asio::awaitable<bool> {
    stream_.expires_after(kBound);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(bytes), asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  };
  REQUIRE(run_on(io_, write()) == std::optional<bool>(true));
}

Response TestConnection::read() {
  parser_.reset();
  read_header();
  return read_rest();
}

const http::response_parser<http::string_body>& TestConnection::read_header() {
  parser_.emplace();
  parser_->body_limit(64 * 1024 * 1024);
  auto read = [&]() -> asio::awaitable<std::string> {
    stream_.expires_after(kBound);
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, *parser_, asio::as_tuple(asio::use_awaitable));
    co_return ec.message();
  };
  auto outcome = run_on(io_, read());
  REQUIRE(outcome.has_value());
  REQUIRE_MESSAGE(parser_->is_header_done(), "no response header: " << *outcome);
  return *parser_;
}

Response TestConnection::read_rest() {
  REQUIRE(parser_.has_value());
  auto read = [&]() -> asio::awaitable<std::string> {
    stream_.expires_after(kBound);
    auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, asio::as_tuple(asio::use_awaitable));
    co_return ec.message();
  };
  auto outcome = run_on(io_, read());
  REQUIRE(outcome.has_value());
  REQUIRE_MESSAGE(parser_->is_done(), "incomplete response: " << *outcome);
  Response response = parser_->release();
  parser_.reset();
  return response;
}

bool TestConnection::closed_by_server() {
  auto wait = [&]() -> asio::awaitable<bool> {
    stream_.expires_after(kBound);
    char bytes[1024];
    for (;;) {  // past what the server still sent (the end of a stream)
      auto [ec, n] = co_await stream_.async_read_some(asio::buffer(bytes), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return ec == asio::error::eof || ec == asio::error::connection_reset;
    }
  };
  return run_on(io_, wait()) == std::optional<bool>(true);
}

void TestConnection::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

Response send_once(asio::io_context& io, unsigned short port, const Request& request) {
  TestConnection connection(io, port);
  return connection.exchange(request);
}

}  // namespace kmcp::test
