#pragma once
// A blocking HTTP/1.1 client for tests: one request per connection, whole response read
// (an SSE response is read until the server ends it).
#include <chrono>
#include <map>
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

// The headers an MCP client sends on a POST, plus the session when given.
std::map<std::string, std::string> mcp_headers(const std::string& session_id = {});

}  // namespace kmcp::test
