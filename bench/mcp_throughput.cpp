// bench_mcp_throughput: klaviyo-mcp against a reference MCP server on the official TypeScript
// SDK, in the same run, through the same instant fake upstream: throughput and p50/p99 latency
// of tools/list and tools/call over Streamable HTTP (1, 16, 256 sessions) and stdio, resident
// memory idle and under load, and cold start. See bench/README.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "bench/http_closed_loop.hpp"
#include "bench/latency_stats.hpp"
#include "bench/process_memory.hpp"
#include "bench/servers_under_test.hpp"
#include "bench/stdio_load.hpp"
#include "tests/support/fake_upstream.hpp"
#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace kmcp::bench {
namespace {

struct Settings {
  std::string binary = KMCP_BINARY;
  std::string node = "node";
  std::string reference = KMCP_SOURCE_DIR "/bench/reference/server.mjs";
  int reps = 3;
  double seconds = 3;
  int warm_up_ms = 500;
  std::vector<int> sessions{1, 16, 256};
  std::vector<int> stdio_windows{1, 16};
  int cold_starts = 10;
  std::string tool = "get_lists";
  // Which to run: both for the comparison; one alone to profile it (perf record -p PID).
  std::vector<std::string> servers{"klaviyo-mcp", "reference"};
  std::vector<std::string> extra_args;  // appended to klaviyo-mcp's command line
  bool print_pid = false;
};

// One scenario's figures from one run.
struct Figures {
  double per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
};

struct Memory {
  double idle_mib = 0;  // resident after startup, before any request
  double peak_mib = 0;  // the most resident at any time, through every HTTP load
};

// Everything measured, by scenario then server, one entry per run.
struct Results {
  std::vector<std::string> scenarios;  // in the order first measured
  std::map<std::string, std::map<std::string, std::vector<Figures>>> figures;
  std::map<std::string, std::vector<Memory>> memory;
  std::map<std::string, std::vector<double>> cold_start_ms;

  void add(const std::string& scenario, const std::string& server, const Figures& f) {
    if (std::find(scenarios.begin(), scenarios.end(), scenario) == scenarios.end()) scenarios.push_back(scenario);
    figures[scenario][server].push_back(f);
  }
};

// The upstream's one answer: a page of lists, as Klaviyo shapes it.
std::string lists_page() {
  std::string data;
  for (int i = 0; i < 3; ++i) {
    if (i) data += ',';
    data += R"({"type":"list","id":"L)" + std::to_string(i) +
            R"(","attributes":{"name":"Newsletter )" + std::to_string(i) +
            R"(","created":"2026-01-02T03:04:05+00:00","updated":"2026-11-02T03:04:05+00:00","opt_in_process":"double_opt_in"},)"
            R"("relationships":{"profiles":{"links":{"self":"https://a.klaviyo.com/api/lists/L)" +
            std::to_string(i) + R"(/relationships/profiles/"}}},"links":{"self":"https://a.klaviyo.com/api/lists/L)" +
            std::to_string(i) + R"(/"}})";
  }
  return R"({"data":[)" + data + R"(],"links":{"self":"https://a.klaviyo.com/api/lists/","next":null,"prev":null}})";
}

// klaviyo-mcp's listing of its default tools, which the reference lists too.
std::string export_tools(const Settings& settings, const std::filesystem::path& file) {
  Subprocess exporter({settings.binary, "tools", "export", "--format", "mcp"});
  std::ofstream out(file);
  while (auto line = exporter.read_line(std::chrono::seconds(20))) out << *line << '\n';
  if (exporter.wait_exit(std::chrono::seconds(20)) != 0) return "tools export failed: " + exporter.stderr_text();
  return "";
}

Figures figures_of(LoadOutcome& outcome) {
  return Figures{.per_second = outcome.per_second(),
                 .p50_us = percentile_us(outcome.latencies_us, 0.50),
                 .p99_us = percentile_us(outcome.latencies_us, 0.99)};
}

// A run that could not be made, or that met failures, is not a measurement: stop.
void require_clean(const std::string& what, const LoadOutcome& outcome) {
  if (!outcome.problem.empty()) throw std::runtime_error(what + ": " + outcome.problem);
  if (outcome.failed > 0)
    throw std::runtime_error(what + ": " + std::to_string(outcome.failed) + " failed replies, the first: " +
                             outcome.first_failure);
  if (outcome.ok == 0) throw std::runtime_error(what + ": no reply inside the measured span");
}

std::vector<std::pair<std::string, RequestKind>> request_kinds(const Settings& settings) {
  return {
      {"tools/list", RequestKind{.method = "tools/list"}},
      {"tools/call", RequestKind{.method = "tools/call",
                                 .params_json = R"({"name":")" + settings.tool + R"(","arguments":{}})"}},
  };
}

void measure_http(const Settings& settings, const ServerUnderTest& server, Results& results) {
  const unsigned short port = free_port();
  Subprocess child(server.http_argv(port), server.environment);
  if (!wait_until_accepting(port, std::chrono::seconds(30)))
    throw std::runtime_error(server.name + " did not listen: " + child.stderr_text());
  if (settings.print_pid) std::cerr << "  " << server.name << " over HTTP: pid " << child.pid() << "\n";
  Memory memory;
  if (auto idle = read_memory(child.pid())) memory.idle_mib = static_cast<double>(idle->rss_kib) / 1024;
  for (const auto& [label, kind] : request_kinds(settings)) {
    for (int sessions : settings.sessions) {
      ClosedLoopPlan plan{.port = port,
                          .sessions = sessions,
                          .request = kind,
                          .warm_up = std::chrono::milliseconds(settings.warm_up_ms),
                          .measure = std::chrono::milliseconds(static_cast<long long>(settings.seconds * 1000))};
      const std::string scenario = "HTTP " + label + ", " + std::to_string(sessions) + " session" +
                                   (sessions == 1 ? "" : "s");
      std::cerr << "  " << server.name << ": " << scenario << "\n";
      LoadOutcome outcome = run_http_closed_loop(plan);
      require_clean(server.name + ", " + scenario, outcome);
      results.add(scenario, server.name, figures_of(outcome));
    }
  }
  if (auto after = read_memory(child.pid())) memory.peak_mib = static_cast<double>(after->peak_kib) / 1024;
  results.memory[server.name].push_back(memory);
}

void measure_stdio(const Settings& settings, const ServerUnderTest& server, Results& results) {
  Subprocess child(server.stdio_argv, server.environment);
  if (auto problem = open_stdio_session(child); !problem.empty())
    throw std::runtime_error(server.name + " on stdio: " + problem + "\n" + child.stderr_text());
  for (const auto& [label, kind] : request_kinds(settings)) {
    for (int window : settings.stdio_windows) {
      StdioPlan plan{.request = kind,
                     .window = window,
                     .warm_up = std::chrono::milliseconds(settings.warm_up_ms),
                     .measure = std::chrono::milliseconds(static_cast<long long>(settings.seconds * 1000))};
      const std::string scenario = "stdio " + label + ", " + std::to_string(window) + " in flight";
      std::cerr << "  " << server.name << ": " << scenario << "\n";
      LoadOutcome outcome = run_stdio_load(child, plan);
      require_clean(server.name + ", " + scenario, outcome);
      results.add(scenario, server.name, figures_of(outcome));
    }
  }
}

void measure_cold_start(const Settings& settings, const ServerUnderTest& server, Results& results) {
  for (int i = 0; i < settings.cold_starts; ++i) {
    auto ms = cold_start_ms(server);
    if (!ms) throw std::runtime_error(server.name + " did not answer initialize on stdio");
    results.cold_start_ms[server.name].push_back(*ms);
  }
}

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << value;
  return out.str();
}

// Medians over runs, and the median of the per-run ratios (each measured in one run).
void print(const Results& results, const std::string& ours, const std::string& reference, int reps) {
  std::cout << "\nMedians of " << reps << " runs; a ratio is the median of the runs' own ratios.\n\n";
  std::cout << "| scenario | " << ours << " calls/s | p50 ms | p99 ms | " << reference
            << " calls/s | p50 ms | p99 ms | throughput x | p99 / |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& scenario : results.scenarios) {
    const auto& a = results.figures.at(scenario).at(ours);
    const auto& b = results.figures.at(scenario).at(reference);
    const auto pick = [](const std::vector<Figures>& runs, double Figures::*field) {
      std::vector<double> values;
      for (const auto& f : runs) values.push_back(f.*field);
      return median(values);
    };
    std::vector<double> speedups, p99_ratios;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      speedups.push_back(a[i].per_second / b[i].per_second);
      p99_ratios.push_back(b[i].p99_us / std::max(1.0, a[i].p99_us));
    }
    std::cout << "| " << scenario << " | " << fixed(pick(a, &Figures::per_second), 0) << " | "
              << fixed(pick(a, &Figures::p50_us) / 1000, 2) << " | " << fixed(pick(a, &Figures::p99_us) / 1000, 2)
              << " | " << fixed(pick(b, &Figures::per_second), 0) << " | "
              << fixed(pick(b, &Figures::p50_us) / 1000, 2) << " | " << fixed(pick(b, &Figures::p99_us) / 1000, 2)
              << " | " << fixed(median(speedups), 1) << " | " << fixed(median(p99_ratios), 1) << " |\n";
  }
  const auto memory_median = [&](const std::string& server, double Memory::*field) {
    std::vector<double> values;
    for (const auto& m : results.memory.at(server)) values.push_back(m.*field);
    return median(values);
  };
  std::cout << "\n| | " << ours << " | " << reference << " | ratio |\n|---|---|---|---|\n";
  for (const auto& [label, field] : {std::pair{"resident idle, MiB", &Memory::idle_mib},
                                     std::pair{"peak resident under load, MiB", &Memory::peak_mib}}) {
    const double a = memory_median(ours, field), b = memory_median(reference, field);
    std::cout << "| " << label << " | " << fixed(a, 1) << " | " << fixed(b, 1) << " | 1/" << fixed(b / a, 1)
              << " |\n";
  }
  const double a = median(results.cold_start_ms.at(ours)), b = median(results.cold_start_ms.at(reference));
  std::cout << "| cold start (exec to initialize answered), ms | " << fixed(a, 1) << " | " << fixed(b, 1) << " | 1/"
            << fixed(b / a, 1) << " |\n";
}

// One server's medians, when only one was run.
void print_one(const Results& results, const std::string& server) {
  std::cout << "| scenario | " << server << " calls/s | p50 ms | p99 ms |\n|---|---|---|---|\n";
  for (const auto& scenario : results.scenarios) {
    std::vector<double> rate, p50, p99;
    for (const auto& f : results.figures.at(scenario).at(server)) {
      rate.push_back(f.per_second);
      p50.push_back(f.p50_us / 1000);
      p99.push_back(f.p99_us / 1000);
    }
    std::cout << "| " << scenario << " | " << fixed(median(rate), 0) << " | " << fixed(median(p50), 2) << " | "
              << fixed(median(p99), 2) << " |\n";
  }
}

int run(const Settings& settings) {
  FakeUpstream upstream(FakeUpstreamOptions{.record_requests = false});
  const std::string page = lists_page();
  upstream.set_handler([page](const RecordedRequest&) { return ScriptedResponse::json(200, page); });
  TempDir scratch("kmcp-bench");
  const auto tools_file = scratch.path() / "tools.json";
  if (auto problem = export_tools(settings, tools_file); !problem.empty()) {
    std::cerr << problem << "\n";
    return 1;
  }
  ServerUnderTest ours = klaviyo_mcp(settings.binary, upstream.base_url());
  ours.stdio_argv.insert(ours.stdio_argv.end(), settings.extra_args.begin(), settings.extra_args.end());
  const ServerUnderTest reference =
      reference_server(settings.node, settings.reference, tools_file.string(), upstream.base_url());
  Results results;
  try {
    for (int rep = 0; rep < settings.reps; ++rep) {
      // Alternate who goes first, so neither always meets a machine the other has warmed.
      std::vector<const ServerUnderTest*> order =
          rep % 2 ? std::vector<const ServerUnderTest*>{&reference, &ours}
                  : std::vector<const ServerUnderTest*>{&ours, &reference};
      std::erase_if(order, [&](const ServerUnderTest* s) {
        const std::string key = s == &ours ? "klaviyo-mcp" : "reference";
        return std::find(settings.servers.begin(), settings.servers.end(), key) == settings.servers.end();
      });
      std::cerr << "run " << rep + 1 << " of " << settings.reps << "\n";
      for (const auto* server : order) {
        measure_http(settings, *server, results);
        measure_stdio(settings, *server, results);
        measure_cold_start(settings, *server, results);
      }
    }
  } catch (const std::exception& error) {
    std::cerr << "bench_mcp_throughput: " << error.what() << "\n";
    return 1;
  }
  if (settings.servers.size() == 2) print(results, ours.name, reference.name, settings.reps);
  else print_one(results, settings.servers.front() == "klaviyo-mcp" ? ours.name : reference.name);
  return 0;
}

}  // namespace
}  // namespace kmcp::bench

int main(int argc, char** argv) {
  kmcp::bench::Settings settings;
  CLI::App app("Throughput, latency, memory and cold start: klaviyo-mcp against the TypeScript SDK reference.");
  app.add_option("--binary", settings.binary, "the klaviyo-mcp binary")->capture_default_str();
  app.add_option("--node", settings.node, "Node 22 to run the reference with")->capture_default_str();
  app.add_option("--reference", settings.reference, "the reference server's script")->capture_default_str();
  app.add_option("--reps", settings.reps, "runs; tables show medians")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--seconds", settings.seconds, "measured span of each scenario")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--warm-up-ms", settings.warm_up_ms, "load before each measured span")
      ->capture_default_str()
      ->check(CLI::Range(0, 60000));
  app.add_option("--sessions", settings.sessions, "HTTP sessions at once, one run each")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--stdio-windows", settings.stdio_windows, "stdio requests in flight, one run each")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--cold-starts", settings.cold_starts, "cold starts per server per run")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--servers", settings.servers, "which servers to run (both: the comparison tables)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::IsMember({"klaviyo-mcp", "reference"}));
  app.add_option("--server-args", settings.extra_args, "more arguments for klaviyo-mcp (e.g. --threads=1)")
      ->delimiter(' ');
  app.add_flag("--print-pid", settings.print_pid, "print each HTTP server's pid, for a profiler to attach");
  CLI11_PARSE(app, argc, argv);
  return kmcp::bench::run(settings);
}
