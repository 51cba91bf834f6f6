#include "server/mcp/call_timeout.hpp"

#include <algorithm>
#include <cmath>

namespace kmcp {
namespace {

// The value as JSON text, shortened: an error echoes it, whatever its size.
std::string shown(const json::value& value) {
  std::string text = json::serialize(value);
  constexpr std::size_t kMax = 40;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

}  // namespace

boost::system::result<std::chrono::milliseconds, std::string> call_timeout(const json::object& params,
                                                                           std::chrono::milliseconds server_default) {
  const json::value* meta = params.if_contains("_meta");
  if (!meta || !meta->is_object()) return server_default;
  const json::value* given = meta->get_object().if_contains(kTimeoutMetaKey);
  if (!given) return server_default;

  const std::string rule = "_meta[\"" + std::string(kTimeoutMetaKey) +
                           "\"] must be a number of seconds greater than 0 and at most " +
                           std::to_string(static_cast<int>(kMaxCallTimeoutSeconds));
  if (!given->is_number()) return rule + ", not " + shown(*given);
  const double seconds = given->to_number<double>();
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > kMaxCallTimeoutSeconds)
    return rule + ", not " + shown(*given);
  // At least a millisecond: any positive value is a deadline, however short.
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(seconds * 1000)));
}

}  // namespace kmcp
