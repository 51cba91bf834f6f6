#pragma once
// Klaviyo's rate limiting as an upstream enforces it, for FakeUpstream::set_handler: per account
// and per endpoint, a 1-second burst window and a 1-minute steady window. The windows are
// FIXED and laid on the upstream's own clock at a random phase, as Klaviyo's are on Klaviyo's
// clock: a client cannot align with them, so only pacing that keeps every sliding window under
// the limit (with a margin for latency jitter) is safe. A call over either limit gets 429 with
// Retry-After (whole seconds until that window ends) and no RateLimit-* headers; any other
// reply carries RateLimit-Limit, -Remaining and -Reset about the steady window. Admitted calls
// and 429s are counted per window, so a test sees how close pacing came.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/core/clock.hpp"
#include "tests/support/fake_upstream.hpp"

namespace kmcp {

// One endpoint's limits. Deliberately not server/rate's types: the fake states Klaviyo's rules
// on its own, so a test of our limiter against it is not circular.
struct KlaviyoTier {
  int per_second = 0;  // burst, per fixed 1-second window
  int per_minute = 0;  // steady, per fixed 1-minute window
};

// Klaviyo's published tiers.
namespace klaviyo_tiers {
inline constexpr KlaviyoTier XS{1, 15};
inline constexpr KlaviyoTier S{3, 60};
inline constexpr KlaviyoTier M{10, 150};
inline constexpr KlaviyoTier L{75, 700};
inline constexpr KlaviyoTier XL{350, 3500};
}  // namespace klaviyo_tiers

struct KlaviyoRoute {
  std::string method;  // "GET"
  std::string path;    // a template: "/api/lists/{id}", where {...} matches any one segment
  KlaviyoTier tier;
  // The bucket's name; routes with the same key share one bucket. Empty: "METHOD path".
  std::string key;
};

struct KlaviyoWindowsOptions {
  std::vector<KlaviyoRoute> routes;
  // Requests no route matches: each "METHOD path" its own bucket of this tier; unset, they get
  // 404 naming the request, so a test notices an endpoint it forgot to declare.
  std::optional<KlaviyoTier> default_tier;
  // Draws the phase; unset, a random seed (see seed()), so every run meets another phase.
  std::optional<std::uint64_t> seed;
  // Answers admitted calls (before the RateLimit-* headers are added); unset: 200 {"data":[]}.
  FakeUpstream::Handler reply;
};

enum class WindowSpan { second, minute };

// What one fixed window of one bucket saw.
struct WindowTally {
  std::string account;
  std::string endpoint;  // the bucket's key
  WindowSpan span = WindowSpan::second;
  // The window's number: the fake's windows of both spans are laid from origin(), window n of a
  // span covering [origin + n * span, origin + (n + 1) * span).
  std::int64_t index = 0;
  int admitted = 0;
  int rejected = 0;  // 429s this window's limit caused (a call over both limits counts in both)
};

struct CallTotals {
  std::size_t admitted = 0;
  std::size_t rejected = 0;  // 429s
};

class KlaviyoWindows {
 public:
  // On real steady time: the fake is an upstream, its windows run on the wall.
  explicit KlaviyoWindows(KlaviyoWindowsOptions options);
  // On `clock`, which must outlive every copy of handler(). For unit tests of the counting.
  KlaviyoWindows(KlaviyoWindowsOptions options, const Clock& clock);
  ~KlaviyoWindows();
  KlaviyoWindows(const KlaviyoWindows&) = delete;
  KlaviyoWindows& operator=(const KlaviyoWindows&) = delete;

  // For FakeUpstream::set_handler. Copies share this object's counts and may outlive it.
  FakeUpstream::Handler handler() const;

  std::uint64_t seed() const;
  // How far into its minute window (and so, modulo 1 s, into its second window) the fake was
  // when constructed; in [0, 60 s).
  std::chrono::microseconds phase() const;
  // The start of the minute window the fake was constructed in (construction time - phase).
  SteadyTime origin() const;
  // "seed S, phase 12.345678 s": for a test's INFO, so a failure names the phase it met.
  std::string describe() const;

  // Over every account; `endpoint` empty: over every endpoint too.
  CallTotals totals(const std::string& endpoint = {}) const;
  // Every window that saw a call, by account, endpoint, span and index.
  std::vector<WindowTally> tallies() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kmcp
