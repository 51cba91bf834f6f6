#include "server/core/logger.hpp"

#include <array>
#include <chrono>
#include <ctime>

namespace kmcp {
namespace {
constexpr std::array<std::string_view, 8> kNames = {"debug", "info", "notice", "warning",
                                                     "error", "critical", "alert", "emergency"};

std::string utc_timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}
}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<LogLevel>(i);
  if (name == "warn") return LogLevel::warning;
  return std::nullopt;
}

std::string_view to_string(LogLevel level) { return kNames[static_cast<std::size_t>(level)]; }

void Logger::log(LogLevel level, std::string_view event, json::object fields) {
  if (!enabled(level)) return;
  json::object line;
  line["ts"] = utc_timestamp();
  line["level"] = to_string(level);
  line["event"] = event;
  for (auto& [k, v] : fields) line[k] = std::move(v);
  std::string text = json::serialize(line);
  redactor_.redact(text);
  text.push_back('\n');
  std::lock_guard lock(mutex_);
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  out_->flush();
}

}  // namespace kmcp
