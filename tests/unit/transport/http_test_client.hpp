#pragma once
// A small Beast client for the HTTP transport tests, run on the test's own io_context with
// bounded waits: fresh-connection exchanges, and a kept connection for streams.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string>

#include "server/core/json.hpp"

namespace kmcp::test {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A POST to /mcp as a well-behaved client sends it (Host, Content-Type, Accept; with a
// session: Mcp-Session-Id and MCP-Protocol-Version).
Request mcp_post(unsigned short port, std::string body, std::string_view session = {});
// A GET (Accept: text/event-stream) or DELETE to /mcp for `session`.
Request mcp_get(unsigned short port, std::string_view session);
Request mcp_delete(unsigned short port, std::string_view session);

json::object body_json(const Response& response);
// The "data:" payloads of an SSE body, in order.
std::vector<json::object> sse_messages(std::string_view body);

class TestConnection {
 public:
  TestConnection(asio::io_context& io, unsigned short port);  // connects (bounded)
  void write(const Request& request);
  void write_raw(std::string_view bytes);
  Response read();                    // a whole response
  // Only the status line and headers; read_rest() then completes the body.
  const http::response_parser<http::string_body>& read_header();
  Response read_rest();
  Response exchange(const Request& request) {
    write(request);
    return read();
  }
  // Whether the server closed the connection (EOF, after anything it still sent) within the bound.
  bool closed_by_server();
  void close();

 private:
  asio::io_context& io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

// Whether a connection to `port` is refused (nobody listens), within the bound.
bool connection_refused(asio::io_context& io, unsigned short port);

// One request on a fresh connection.
Response send_once(asio::io_context& io, unsigned short port, const Request& request);

}  // namespace kmcp::test
