#include "tests/support/klaviyo_windows.hpp"

#include <algorithm>
#include <iomanip>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <tuple>

namespace kmcp {
namespace {

using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr nanoseconds span_length(WindowSpan span) {
  return span == WindowSpan::second ? nanoseconds(seconds(1)) : nanoseconds(minutes(1));
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(std::move(current));
  return out;
}

bool matches(const KlaviyoRoute& route, const RecordedRequest& request) {
  if (route.method != request.method) return false;
  const auto pattern = segments(route.path);
  const auto actual = segments(request.path);
  if (pattern.size() != actual.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const bool placeholder = pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}';
    if (placeholder ? actual[i].empty() : pattern[i] != actual[i]) return false;
  }
  return true;
}

// Klaviyo counts per account: the private key, or the company id of a client-side call.
std::string account_of(const RecordedRequest& request) {
  if (auto key = request.header("authorization"); !key.empty()) return key;
  if (auto company = request.query_value("company_id"); !company.empty()) return "company_id=" + company;
  return "anonymous";
}

// Whole seconds, rounded up: a client that waits this long finds the window over.
long long ceil_seconds(nanoseconds d) {
  return std::chrono::ceil<seconds>(d).count();
}

ScriptedResponse throttled(long long retry_after) {
  ScriptedResponse response = ScriptedResponse::json(
      429, R"({"errors":[{"id":"fake-throttled","status":429,"code":"throttled",)"
           R"("title":"Request was throttled.","detail":"Request was throttled. Expected available in )" +
               std::to_string(retry_after) + R"( seconds.","source":{"pointer":"/data/"}}]})");
  response.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return response;
}

ScriptedResponse unrouted(const RecordedRequest& request) {
  return ScriptedResponse::json(
      404, R"({"errors":[{"status":404,"code":"not_found","title":"No Klaviyo-like route",)"
           R"("detail":"KlaviyoWindows has no route for )" + request.method + " " + request.path + R"("}]})");
}

}  // namespace

struct KlaviyoWindows::Impl {
  using TallyKey = std::tuple<std::string, std::string, WindowSpan, std::int64_t>;
  struct Count {
    int admitted = 0;
    int rejected = 0;
  };

  Impl(KlaviyoWindowsOptions opts, const Clock* injected)
      : options(std::move(opts)),
        clock(injected ? injected : &system_clock),
        seed(options.seed ? *options.seed : std::random_device{}()) {
    std::mt19937_64 draw(seed);
    phase = microseconds(std::uniform_int_distribution<std::int64_t>(0, 60'000'000 - 1)(draw));
    origin = clock->now() - phase;
  }

  ScriptedResponse handle(const RecordedRequest& request) {
    std::string endpoint;
    KlaviyoTier tier;
    const auto route = std::find_if(options.routes.begin(), options.routes.end(),
                                    [&](const KlaviyoRoute& r) { return matches(r, request); });
    if (route != options.routes.end()) {
      endpoint = route->key.empty() ? route->method + " " + route->path : route->key;
      tier = route->tier;
    } else if (options.default_tier) {
      endpoint = request.method + " " + request.path;
      tier = *options.default_tier;
    } else {
      return unrouted(request);
    }
    const std::string account = account_of(request);
    // A clock set before origin (only a ManualClock can be) reads as the first window.
    const nanoseconds since = std::max(clock->now() - origin, nanoseconds(0));
    const std::int64_t second = since / span_length(WindowSpan::second);
    const std::int64_t minute = since / span_length(WindowSpan::minute);
    const nanoseconds second_left = span_length(WindowSpan::second) * (second + 1) - since;
    const nanoseconds minute_left = span_length(WindowSpan::minute) * (minute + 1) - since;

    int remaining = 0;
    {
      const std::lock_guard lock(mutex);
      Count& in_second = counts[{account, endpoint, WindowSpan::second, second}];
      Count& in_minute = counts[{account, endpoint, WindowSpan::minute, minute}];
      CallTotals& endpoint_totals = totals[endpoint];
      const bool second_full = in_second.admitted >= tier.per_second;
      const bool minute_full = in_minute.admitted >= tier.per_minute;
      if (second_full || minute_full) {
        if (second_full) ++in_second.rejected;
        if (minute_full) ++in_minute.rejected;
        ++endpoint_totals.rejected;
        return throttled(ceil_seconds(minute_full ? minute_left : second_left));
      }
      ++in_second.admitted;
      ++in_minute.admitted;
      ++endpoint_totals.admitted;
      remaining = tier.per_minute - in_minute.admitted;
    }
    ScriptedResponse response = options.reply ? options.reply(request) : ScriptedResponse::json(200, R"({"data":[]})");
    response.headers.emplace_back("RateLimit-Limit", std::to_string(tier.per_minute));
    response.headers.emplace_back("RateLimit-Remaining", std::to_string(remaining));
    response.headers.emplace_back("RateLimit-Reset", std::to_string(ceil_seconds(minute_left)));
    return response;
  }

  const KlaviyoWindowsOptions options;
  SystemClock system_clock;
  const Clock* clock;
  std::uint64_t seed;
  microseconds phase{0};
  SteadyTime origin;

  mutable std::mutex mutex;
  std::map<TallyKey, Count> counts;
  std::map<std::string, CallTotals> totals;  // by endpoint
};

KlaviyoWindows::KlaviyoWindows(KlaviyoWindowsOptions options)
    : impl_(std::make_shared<Impl>(std::move(options), nullptr)) {}

KlaviyoWindows::KlaviyoWindows(KlaviyoWindowsOptions options, const Clock& clock)
    : impl_(std::make_shared<Impl>(std::move(options), &clock)) {}

KlaviyoWindows::~KlaviyoWindows() = default;

FakeUpstream::Handler KlaviyoWindows::handler() const {
  return [impl = impl_](const RecordedRequest& request) { return impl->handle(request); };
}

std::uint64_t KlaviyoWindows::seed() const { return impl_->seed; }

std::chrono::microseconds KlaviyoWindows::phase() const { return impl_->phase; }

SteadyTime KlaviyoWindows::origin() const { return impl_->origin; }

std::string KlaviyoWindows::describe() const {
  std::ostringstream out;
  out << "seed " << impl_->seed << ", phase " << std::fixed << std::setprecision(6)
      << std::chrono::duration<double>(impl_->phase).count() << " s";
  return out.str();
}

CallTotals KlaviyoWindows::totals(const std::string& endpoint) const {
  const std::lock_guard lock(impl_->mutex);
  CallTotals sum;
  for (const auto& [name, counted] : impl_->totals) {
    if (!endpoint.empty() && name != endpoint) continue;
    sum.admitted += counted.admitted;
    sum.rejected += counted.rejected;
  }
  return sum;
}

std::vector<WindowTally> KlaviyoWindows::tallies() const {
  const std::lock_guard lock(impl_->mutex);
  std::vector<WindowTally> out;
  out.reserve(impl_->counts.size());
  for (const auto& [key, count] : impl_->counts) {
    const auto& [account, endpoint, span, index] = key;
    out.push_back({account, endpoint, span, index, count.admitted, count.rejected});
  }
  return out;
}

}  // namespace kmcp
