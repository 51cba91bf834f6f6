#include "bench/load_outcome.hpp"

namespace kmcp::bench {

std::string RequestKind::body(std::uint64_t id) const {
  std::string out = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method + '"';
  if (!params_json.empty()) out += R"(,"params":)" + params_json;
  out += '}';
  return out;
}

bool is_success(const std::string& body) {
  // A substring test rather than a parse: the load generator shares the machine's cores with
  // the server it measures, so it does as little as it can per reply.
  return body.find("\"result\"") != std::string::npos && body.find("\"isError\":true") == std::string::npos;
}

}  // namespace kmcp::bench
