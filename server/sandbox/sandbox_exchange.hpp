#pragma once
// One HTTP exchange with the simulated Klaviyo, without sockets: what the listener read, and
// what it will write. The API logic works on these alone, so tests drive it directly.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp::sandbox {

struct SandboxRequest {
  std::string method;                          // "GET"
  std::string target;                          // as sent: "/api/lists?page%5Bsize%5D=2"
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_case_name) const {
    const auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct SandboxResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // empty: no body (202, 204)
};

// A JSON:API document answer.
SandboxResponse document_response(unsigned status, const json::value& document);

// Klaviyo's error document: {"errors":[{id, status, code, title, detail, source}]}.
SandboxResponse error_response(unsigned status, std::string code, std::string title, std::string detail,
                               std::string pointer = {}, json::object meta = {});

}  // namespace kmcp::sandbox
