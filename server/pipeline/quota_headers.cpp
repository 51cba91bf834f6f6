#include "server/pipeline/quota_headers.hpp"

#include <charconv>
#include <string_view>

namespace kmcp {
namespace {

constexpr long long kMaxRemaining = 1'000'000'000;
constexpr long long kMaxResetSeconds = 24 * 60 * 60;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<long long> whole_number(const UpstreamResponse& response, std::string_view name, long long max) {
  const auto it = response.headers.find(name);
  if (it == response.headers.end()) return std::nullopt;
  const std::string_view text = trimmed(it->value());
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;  // no sign
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

}  // namespace

std::optional<QuotaReport> quota_report(const UpstreamResponse& response, SteadyTime admitted_at) {
  const auto remaining = whole_number(response, "RateLimit-Remaining", kMaxRemaining);
  const auto reset = whole_number(response, "RateLimit-Reset", kMaxResetSeconds);
  if (!remaining || !reset) return std::nullopt;
  return QuotaReport{static_cast<int>(*remaining), std::chrono::seconds(*reset), admitted_at};
}

}  // namespace kmcp
