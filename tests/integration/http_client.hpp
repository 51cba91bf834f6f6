#pragma once
// A blocking HTTP/1.1 client for tests: one request per connection, whole response read
// (an SSE response is read until the server ends it); or a connection kept across requests.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace kmcp::test {

struct HttpReply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  // The JSON-RPC messages of the body: one for application/json, each `data:` for SSE.
  std::vector<boost::json::object> messages() const;
};

HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, const std::string& body = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(15));

// A connection the test keeps open (keep-alive, an event stream) to see what the server does
// with it. Every wait is bounded.
class KeptConnection {
 public:
  explicit KeptConnection(unsigned short port);  // connects; throws when refused
  ~KeptConnection();
  // One request and its whole response, leaving the connection open.
  HttpReply exchange(const std::string& method, const std::map<std::string, std::string>& headers,
                     const std::string& body = {});
  // One request and only the status line and headers of its response (an event stream).
  HttpReply open_stream(const std::map<std::string, std::string>& headers);
  // Whether the server closes the connection within `timeout`, after whatever it still sends.
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(15));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether connecting to `port` on 127.0.0.1 is refused (nothing listens there).
bool connection_refused(unsigned short port);

// The headers an MCP client sends on a POST, plus the session when given.
std::map<std::string, std::string> mcp_headers(const std::string& session_id = {});

// An initialize request (id 1), as a client's first POST.
extern const std::string kInitialize;
// initialize + notifications/initialized; returns the Mcp-Session-Id.
std::string open_session(unsigned short port);

}  // namespace kmcp::test
