#include "bench/stdio_load.hpp"

#include <boost/json.hpp>
#include <exception>
#include <unordered_map>

namespace kmcp::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
constexpr auto kReplyTimeout = std::chrono::seconds(30);

// The reply's JSON-RPC id, or -1 for a notification or a line that is not JSON-RPC.
long long reply_id(const std::string& line) {
  try {
    const json::value message = json::parse(line);
    const json::value* id = message.as_object().if_contains("id");
    return id && id->is_int64() ? id->as_int64() : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

std::string open_stdio_session(Subprocess& server) {
  const std::string initialize =
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
      R"("capabilities":{},"clientInfo":{"name":"bench_mcp_throughput","version":"1"}}})";
  if (!server.write_line(initialize)) return "initialize: the server does not read stdin";
  for (;;) {
    auto line = server.read_line(kReplyTimeout);
    if (!line) return "initialize: no reply";
    if (reply_id(*line) == 0) break;
  }
  if (!server.write_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"))
    return "notifications/initialized: the server does not read stdin";
  return "";
}

LoadOutcome run_stdio_load(Subprocess& server, const StdioPlan& plan) {
  LoadOutcome out;
  out.seconds = std::chrono::duration<double>(plan.measure).count();
  std::unordered_map<long long, Clock::time_point> in_flight;
  std::uint64_t next_id = 1;
  const auto start = Clock::now() + plan.warm_up;
  const auto end = start + plan.measure;
  const auto send = [&] {
    in_flight.emplace(static_cast<long long>(next_id), Clock::now());
    return server.write_line(plan.request.body(next_id++));
  };
  for (int i = 0; i < plan.window; ++i)
    if (!send()) {
      out.problem = "the server stopped reading stdin";
      return out;
    }
  while (!in_flight.empty()) {
    auto line = server.read_line(kReplyTimeout);
    if (!line) {
      out.problem = "no reply in 30 s";
      return out;
    }
    const long long id = reply_id(*line);
    auto it = in_flight.find(id);
    if (it == in_flight.end()) continue;  // a notification
    const auto done = Clock::now();
    const auto sent = it->second;
    in_flight.erase(it);
    if (done >= start && done <= end) {
      if (is_success(*line)) {
        ++out.ok;
        out.latencies_us.push_back(
            static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(done - sent).count()));
      } else {
        ++out.failed;
        if (out.first_failure.empty()) out.first_failure = line->substr(0, 300);
      }
    }
    if (done < end && !send()) {
      out.problem = "the server stopped reading stdin";
      return out;
    }
  }
  return out;
}

}  // namespace kmcp::bench
