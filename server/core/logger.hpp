#pragma once
// Structured logs: one JSON object per line on the given stream (stderr in production; never
// stdout, which belongs to the protocol in stdio mode). Control characters are escaped by the
// JSON serializer, so a hostile value cannot forge a log line.
#include <mutex>
#include <ostream>
#include <optional>
#include <string_view>

#include "server/core/json.hpp"
#include "server/core/secret_redactor.hpp"

namespace kmcp {

// RFC 5424 severities, the same names MCP's logging/setLevel uses.
enum class LogLevel { debug, info, notice, warning, error, critical, alert, emergency };

std::optional<LogLevel> parse_log_level(std::string_view name);
std::string_view to_string(LogLevel level);

class Logger {
 public:
  Logger(std::ostream& out, LogLevel min_level, SecretRedactor redactor = {})
      : out_(&out), min_(min_level), redactor_(std::move(redactor)) {}

  bool enabled(LogLevel level) const { return level >= min_; }
  void log(LogLevel level, std::string_view event, json::object fields = {});

  void debug(std::string_view event, json::object fields = {}) { log(LogLevel::debug, event, std::move(fields)); }
  void info(std::string_view event, json::object fields = {}) { log(LogLevel::info, event, std::move(fields)); }
  void warn(std::string_view event, json::object fields = {}) { log(LogLevel::warning, event, std::move(fields)); }
  void error(std::string_view event, json::object fields = {}) { log(LogLevel::error, event, std::move(fields)); }

 private:
  std::ostream* out_;
  LogLevel min_;
  const SecretRedactor redactor_;  // no line carries a key out
  std::mutex mutex_;
};

}  // namespace kmcp
