#include "tests/integration/http_client.hpp"

#include <doctest/doctest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <sstream>

namespace kmcp::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::vector<boost::json::object> HttpReply::messages() const {
  std::vector<boost::json::object> out;
  if (header("content-type").rfind("text/event-stream", 0) == 0) {
    std::istringstream lines(body);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind("data:", 0) != 0) continue;
      std::string data = line.substr(5);
      if (!data.empty() && data.front() == ' ') data.erase(0, 1);
      if (data.empty()) continue;  // priming events carry no message
      out.push_back(boost::json::parse(data).as_object());
    }
  } else if (!body.empty()) {
    out.push_back(boost::json::parse(body).as_object());
  }
  return out;
}

namespace {

using Parser = http::response_parser<http::string_body>;

asio::ip::tcp::endpoint loopback(unsigned short port) {
  return asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port);
}

http::request<http::string_body> make_request(unsigned short port, const std::string& method, const std::string& target,
                                              const std::map<std::string, std::string>& headers,
                                              const std::string& body) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.body() = body;
    req.prepare_payload();
  }
  return req;
}

HttpReply to_reply(const http::response<http::string_body>& res) {
  HttpReply reply;
  reply.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = res.body();
  return reply;
}

// A parser for responses up to 64 MB (a whole tools/list is well under that).
struct LargeParser : Parser {
  LargeParser() { body_limit(64 * 1024 * 1024); }
};

}  // namespace

HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, const std::string& body,
                       std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.connect(loopback(port));
  http::write(stream, make_request(port, method, target, headers, body));

  beast::flat_buffer buffer;
  LargeParser parser;
  beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  if (ec && ec != http::error::end_of_stream) throw beast::system_error(ec);
  HttpReply reply = to_reply(parser.get());
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return reply;
}

// Asynchronous operations under the stream's deadline: beast's timeouts do not apply to
// synchronous ones.
struct KeptConnection::Impl {
  explicit Impl(unsigned short port) : port(port), stream(io) {}

  template <class Initiate>
  beast::error_code run(Initiate initiate, std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    beast::error_code result;
    stream.expires_after(timeout);
    initiate([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }
  void write(const std::string& method, const std::map<std::string, std::string>& headers, const std::string& body) {
    http::request<http::string_body> req = make_request(port, method, "/mcp", headers, body);
    const auto ec = run([&](auto handler) { http::async_write(stream, req, handler); });
    if (ec) throw beast::system_error(ec);
  }

  unsigned short port;
  asio::io_context io;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

KeptConnection::KeptConnection(unsigned short port) : impl_(std::make_unique<Impl>(port)) {
  const auto ec = impl_->run([&](auto handler) { impl_->stream.async_connect(loopback(port), handler); });
  if (ec) throw beast::system_error(ec);
}

KeptConnection::~KeptConnection() = default;

HttpReply KeptConnection::exchange(const std::string& method, const std::map<std::string, std::string>& headers,
                                   const std::string& body) {
  impl_->write(method, headers, body);
  LargeParser parser;
  const auto ec = impl_->run([&](auto handler) { http::async_read(impl_->stream, impl_->buffer, parser, handler); });
  if (ec) throw beast::system_error(ec);
  return to_reply(parser.get());
}

HttpReply KeptConnection::open_stream(const std::map<std::string, std::string>& headers) {
  impl_->write("GET", headers, {});
  LargeParser parser;
  const auto ec =
      impl_->run([&](auto handler) { http::async_read_header(impl_->stream, impl_->buffer, parser, handler); });
  if (ec) throw beast::system_error(ec);
  return to_reply(parser.get());
}

bool KeptConnection::closed_by_server(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  char bytes[1024];
  for (;;) {  // past whatever the server still sends (the end of a stream)
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const auto ec =
        impl_->run([&](auto handler) { impl_->stream.async_read_some(asio::buffer(bytes), handler); }, left);
    if (ec) return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
}

bool connection_refused(unsigned short port) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  beast::error_code ec;
  socket.connect(loopback(port), ec);  // loopback: refused or accepted at once
  return ec == asio::error::connection_refused;
}

std::map<std::string, std::string> mcp_headers(const std::string& session_id) {
  std::map<std::string, std::string> h{{"Content-Type", "application/json"},
                                       {"Accept", "application/json, text/event-stream"}};
  if (!session_id.empty()) {
    h["Mcp-Session-Id"] = session_id;
    h["MCP-Protocol-Version"] = "2025-11-25";
  }
  return h;
}

const std::string kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

std::string open_session(unsigned short port) {
  auto r = http_request(port, "POST", "/mcp", mcp_headers(), kInitialize);
  REQUIRE(r.status == 200);
  auto id = r.header("mcp-session-id");
  REQUIRE_FALSE(id.empty());
  auto initialized = http_request(port, "POST", "/mcp", mcp_headers(id),
                                  R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  CHECK(initialized.status == 202);
  return id;
}

}  // namespace kmcp::test
