#pragma once
// What one load run measured, whichever transport carried it.
#include <cstdint>
#include <string>
#include <vector>

namespace kmcp::bench {

// The MCP request every client of a run sends over and over.
struct RequestKind {
  std::string method;       // "tools/list" or "tools/call"
  std::string params_json;  // its params, serialized ("" for none)
  // The request with JSON-RPC id `id`, serialized.
  std::string body(std::uint64_t id) const;
};

struct LoadOutcome {
  std::string problem;       // non-empty: the run could not be made (setup failed)
  std::uint64_t ok = 0;      // replies inside the measured span that were results
  std::uint64_t failed = 0;  // the others (errors, isError results, transport faults)
  std::string first_failure;
  std::vector<std::uint32_t> latencies_us;  // of the ok replies
  double seconds = 0;                       // the measured span
  double per_second() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

// Whether a reply body answers the request successfully: a result, and not a tool error.
bool is_success(const std::string& body);

}  // namespace kmcp::bench
