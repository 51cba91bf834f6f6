#include "tests/integration/http_client.hpp"

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

HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, const std::string& body,
                       std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));

  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.body() = body;
    req.prepare_payload();
  }
  http::write(stream, req);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  if (ec && ec != http::error::end_of_stream) throw beast::system_error(ec);

  HttpReply reply;
  auto& res = parser.get();
  reply.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = res.body();
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return reply;
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

}  // namespace kmcp::test
