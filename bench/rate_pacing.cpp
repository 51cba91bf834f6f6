// How close the server's pacing comes to Klaviyo's limits, and whether it ever trips them: the
// real binary over Streamable HTTP against a Klaviyo-like fake (fixed windows at a random
// phase), N calls of one tool sent at once, per rate tier. See bench/README.md.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/mcp_http_load.hpp"
#include "bench/pacing_bound.hpp"
#include "tests/support/fake_upstream.hpp"
#include "tests/support/klaviyo_windows.hpp"
#include "tests/support/subprocess.hpp"

namespace kmcp::bench {
namespace {

using namespace std::chrono_literals;
using Seconds = std::chrono::duration<double>;

struct Tier {
  std::string name;
  std::string tool;  // a real tool whose spec has this tier's limits
  KlaviyoRoute route;
  int calls = 0;
};

struct Settings {
  std::string binary = KMCP_BINARY;
  int reps = 3;
  std::vector<std::string> tiers{"M", "XL"};
  int calls_m = 150;
  int calls_xl = 3500;
  std::optional<int> margin_ms;
  std::optional<std::uint64_t> seed;
  bool show_windows = false;
};

std::string format(const char* pattern, auto... values) {
  char line[256];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}

template <class T, class Key>
T median_of(std::vector<T> values, Key key) {
  std::sort(values.begin(), values.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  return values[values.size() / 2];
}

// Sequential calls before the burst measure one call's latency; a tool of its own bucket and
// tier so they take nothing from the measured one.
const KlaviyoRoute kWarmUpRoute{"GET", "/api/lists", klaviyo_tiers::L, "get_lists"};

struct Rep {
  std::string windows;  // the fake's seed and phase
  std::size_t rejected = 0;
  std::size_t failed = 0;
  std::string first_problem;
  Seconds completion{0};   // from sending the calls to the last reply
  Seconds one_call{0};     // a call with nothing in the way: the warm-ups' median
  Seconds first_reply{0};  // the first of the N replies: includes taking in N requests at once
  Seconds bound{0};
  int fullest_second = 0;
  std::size_t connections = 0;  // the server opened to the fake (5 warm-ups included)
  std::string window_report;  // with --show-windows
  double ratio() const { return completion / bound; }
};

// The port from the server's {"event":"listening",...,"port":N} log line, or 0.
unsigned short listening_port(const Subprocess& server) {
  if (!server.wait_stderr_contains("\"listening\"", 30s)) return 0;
  std::istringstream lines(server.stderr_text());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"listening\"") == std::string::npos) continue;
    return static_cast<unsigned short>(boost::json::parse(line).at("port").to_number<int>());
  }
  return 0;
}

int fullest_second(const KlaviyoWindows& klaviyo, const std::string& endpoint) {
  int most = 0;
  for (const WindowTally& t : klaviyo.tallies())
    if (t.endpoint == endpoint && t.span == WindowSpan::second) most = std::max(most, t.admitted);
  return most;
}

// When the fake took each admitted call on `path`, so --show-windows can tell how a burst
// reached it.
class Arrivals {
 public:
  explicit Arrivals(std::string path) : path_(std::move(path)) {}
  FakeUpstream::Handler recorder() {
    return [this](const RecordedRequest& request) {
      if (request.path == path_) {
        const std::lock_guard lock(mutex_);
        times_.push_back(std::chrono::steady_clock::now());
      }
      return ScriptedResponse::json(200, R"({"data":[]})");
    };
  }
  std::vector<SteadyTime> times() const {
    const std::lock_guard lock(mutex_);
    return times_;
  }

 private:
  const std::string path_;
  mutable std::mutex mutex_;
  std::vector<SteadyTime> times_;
};

// Every fixed 1-second window of the fake that saw a call: what it admitted and refused, and
// when within it the admitted calls arrived.
std::string show_windows(const KlaviyoWindows& klaviyo, const std::string& endpoint,
                         const std::vector<SteadyTime>& arrivals) {
  struct Span {
    Seconds first{1};
    Seconds last{0};
  };
  std::map<std::int64_t, Span> spans;
  for (const SteadyTime at : arrivals) {
    const Seconds since = at - klaviyo.origin();
    const auto index = static_cast<std::int64_t>(since.count());
    const Seconds within = since - Seconds(static_cast<double>(index));
    Span& span = spans[index];
    span.first = std::min(span.first, within);
    span.last = std::max(span.last, within);
  }
  std::string out;
  for (const WindowTally& t : klaviyo.tallies()) {
    if (t.endpoint != endpoint || t.span != WindowSpan::second) continue;
    const Span span = spans.count(t.index) ? spans[t.index] : Span{};
    out += format("     window %lld: %4d admitted, %4d x 429, arrivals %4.0f-%4.0f ms into it\n",
                  static_cast<long long>(t.index), t.admitted, t.rejected, span.first.count() * 1000,
                  span.last.count() * 1000);
  }
  return out;
}

// One fresh fake at its own phase and one fresh server, so no window carries over between reps.
std::optional<Rep> run_once(const Settings& settings, const Tier& tier, std::optional<std::uint64_t> seed) {
  Arrivals arrivals(tier.route.path);  // first: the fake's thread records into it until the fake goes
  FakeUpstream upstream;
  KlaviyoWindows klaviyo({.routes = {tier.route, kWarmUpRoute}, .seed = seed, .reply = arrivals.recorder()});
  upstream.set_handler(klaviyo.handler());

  const std::chrono::seconds earliest = earliest_last_call(tier.calls, tier.route.tier.per_second,
                                                           tier.route.tier.per_minute);
  const std::chrono::seconds timeout = earliest + 60s;
  std::vector<std::string> argv{settings.binary, "--http", "127.0.0.1:0", "--call-timeout",
                                std::to_string(timeout.count())};
  if (settings.margin_ms) {
    argv.insert(argv.end(), {"--rate-margin-ms", std::to_string(*settings.margin_ms)});
  }
  Subprocess server(argv, {{"KLAVIYO_BASE_URL", upstream.base_url()}, {"KLAVIYO_API_KEY", "pk_bench_0123456789abcdef"}});
  const unsigned short port = listening_port(server);
  if (port == 0) {
    std::cerr << "the server did not start:\n" << server.stderr_text() << "\n";
    return std::nullopt;
  }

  const LoadRun run = call_concurrently(port, {.tool = tier.tool,
                                               .calls = tier.calls,
                                               .warm_up_tool = kWarmUpRoute.key,
                                               .warm_ups = 5,
                                               .timeout = timeout + 30s});
  if (!run.setup_problem.empty()) {
    std::cerr << run.setup_problem << "\n" << server.stderr_text() << "\n";
    return std::nullopt;
  }
  Rep rep;
  rep.windows = klaviyo.describe();
  rep.rejected = klaviyo.totals(tier.route.key).rejected;
  rep.fullest_second = fullest_second(klaviyo, tier.route.key);
  rep.connections = upstream.connections_accepted();
  rep.one_call = median_of(run.warm_ups, [](auto d) { return d; });
  std::chrono::nanoseconds last{0};
  std::chrono::nanoseconds first = std::chrono::nanoseconds::max();
  for (const CallRecord& call : run.calls) {
    last = std::max(last, call.done);
    first = std::min(first, call.done);
    if (call.ok) continue;
    if (rep.failed++ == 0) rep.first_problem = call.problem;
  }
  rep.completion = last;
  rep.first_reply = first;
  rep.bound = earliest + rep.one_call;  // the last call goes at `earliest` and takes one call's time
  if (settings.show_windows) rep.window_report = show_windows(klaviyo, tier.route.key, arrivals.times());
  return rep;
}

void raise_open_file_limit() {
  // Every call is a connection at both ends; the server inherits the limit.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int run(const Settings& settings) {
  raise_open_file_limit();
  const std::vector<Tier> all{
      {"M", "get_metrics", {"GET", "/api/metrics", klaviyo_tiers::M, "get_metrics"}, settings.calls_m},
      {"XL", "get_events", {"GET", "/api/events", klaviyo_tiers::XL, "get_events"}, settings.calls_xl},
  };
  std::cout << "server: " << settings.binary << "\n"
            << "margin: "
            << (settings.margin_ms ? "--rate-margin-ms " + std::to_string(*settings.margin_ms) : "server default")
            << "\n\n";

  std::vector<std::string> table;
  std::uint64_t next_seed = settings.seed.value_or(0);
  for (const Tier& tier : all) {
    if (std::find(settings.tiers.begin(), settings.tiers.end(), tier.name) == settings.tiers.end()) continue;
    std::vector<Rep> reps;
    for (int r = 0; r < settings.reps; ++r) {
      const auto seed = settings.seed ? std::optional<std::uint64_t>(next_seed++) : std::nullopt;
      const std::optional<Rep> rep = run_once(settings, tier, seed);
      if (!rep) return 1;
      std::cout << format("%-2s rep %d/%d  %s: %zu x 429, %zu failed, %.3f s (one call %.1f ms, first reply "
                          "%.3f s, fullest 1-s window %d, %zu connections to Klaviyo), bound %.3f s, ratio %.3f\n",
                          tier.name.c_str(), r + 1, settings.reps, rep->windows.c_str(), rep->rejected, rep->failed,
                          rep->completion.count(), rep->one_call.count() * 1000, rep->first_reply.count(),
                          rep->fullest_second, rep->connections, rep->bound.count(), rep->ratio());
      if (rep->failed > 0) std::cout << "   first failure: " << rep->first_problem << "\n";
      std::cout << rep->window_report;
      std::cout.flush();
      reps.push_back(*rep);
    }
    std::size_t rejected = 0;
    std::size_t failed = 0;
    for (const Rep& rep : reps) {
      rejected += rep.rejected;
      failed += rep.failed;
    }
    const Rep median = median_of(reps, [](const Rep& rep) { return rep.completion; });
    table.push_back(format("| %-4s | %-11s | %3d/s %4d/min | %4d | %4zu | %4zu | %6zu | %8.2f | %11.2f | %7.2f | %5.3f |",
                           tier.name.c_str(), tier.tool.c_str(), tier.route.tier.per_second,
                           tier.route.tier.per_minute, tier.calls, reps.size(), rejected, failed,
                           median.completion.count(), median.first_reply.count(), median.bound.count(),
                           median.ratio()));
  }
  std::cout << "\n| tier | tool        | limits         |    N | reps | 429s | failed |   time s | first reply s | bound s | ratio |\n"
            << "|------|-------------|----------------|------|------|------|--------|----------|---------------|---------|-------|\n";
  for (const std::string& row : table) std::cout << row << "\n";
  std::cout << "\n429s, failed: over all reps (target 0). time, first reply, bound, ratio: the median run's (by "
               "time); ratio = time / bound (target <= 1.10).\n";
  return 0;
}

}  // namespace
}  // namespace kmcp::bench

int main(int argc, char** argv) {
  kmcp::bench::Settings settings;
  CLI::App app("Pacing benchmark: the server against a Klaviyo-like upstream with fixed windows.");
  app.add_option("--binary", settings.binary, "the klaviyo-mcp binary")->capture_default_str();
  app.add_option("--reps", settings.reps, "runs per tier; the table shows the median")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--tiers", settings.tiers, "tiers to run: M, XL")
      ->capture_default_str()
      ->delimiter(',')
      ->check(CLI::IsMember({"M", "XL"}));
  app.add_option("--calls-m", settings.calls_m, "calls in the M run (get_metrics: 10/s, 150/min)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--calls-xl", settings.calls_xl, "calls in the XL run (get_events: 350/s, 3500/min)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--margin-ms", settings.margin_ms, "pass --rate-margin-ms to the server (default: its own default)");
  app.add_option("--seed", settings.seed, "seed of the first run's phase, then +1 per run (default: random)");
  app.add_flag("--show-windows", settings.show_windows,
               "after each run, the fake's fixed 1-s windows: calls admitted, 429s, when calls arrived");
  CLI11_PARSE(app, argc, argv);
  return kmcp::bench::run(settings);
}
