#include "bench/http_closed_loop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <exception>

namespace kmcp::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kReplyTimeout = std::chrono::seconds(30);

// One session on one connection.
class Session {
 public:
  Session(beast::tcp_stream stream, unsigned short port) : stream_(std::move(stream)) {
    request_.method(http::verb::post);
    request_.target("/mcp");
    request_.version(11);
    request_.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request_.set(http::field::content_type, "application/json");
    request_.set(http::field::accept, "application/json, text/event-stream");
  }

  // initialize and notifications/initialized; what went wrong, or "".
  asio::awaitable<std::string> open() {
    const std::string initialize = json::serialize(json::object{
        {"jsonrpc", "2.0"},
        {"id", 0},
        {"method", "initialize"},
        {"params", {{"protocolVersion", "2025-11-25"},
                    {"capabilities", json::object{}},
                    {"clientInfo", {{"name", "bench_mcp_throughput"}, {"version", "1"}}}}},
    });
    if (auto problem = co_await post(initialize); !problem.empty()) co_return "initialize: " + problem;
    if (response_.result_int() != 200) co_return "initialize: HTTP " + std::to_string(response_.result_int());
    auto session = response_.find("Mcp-Session-Id");
    if (session == response_.end()) co_return "initialize: no Mcp-Session-Id";
    request_.set("Mcp-Session-Id", session->value());
    std::string version = "2025-11-25";
    try {
      const auto at = response_.body().find('{');
      const json::value reply = json::parse(response_.body().substr(at == std::string::npos ? 0 : at));
      version = std::string(reply.at_pointer("/result/protocolVersion").as_string());
    } catch (const std::exception& error) {
      co_return std::string("initialize: no protocolVersion in the reply: ") + error.what();
    }
    request_.set("MCP-Protocol-Version", version);
    if (auto problem = co_await post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"); !problem.empty())
      co_return "notifications/initialized: " + problem;
    co_return std::string();
  }

  // Sends the plan's request until `end`, counting the replies that arrive after `start`.
  asio::awaitable<void> run(const RequestKind& kind, Clock::time_point start, Clock::time_point end,
                            LoadOutcome& out) {
    for (std::uint64_t id = 1;; ++id) {
      const auto sent = Clock::now();
      if (sent >= end) co_return;
      const std::string problem = co_await post(kind.body(id));
      const auto done = Clock::now();
      if (done < start || done > end) continue;
      const bool ok = problem.empty() && response_.result_int() == 200 && is_success(response_.body());
      if (ok) {
        ++out.ok;
        out.latencies_us.push_back(
            static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(done - sent).count()));
        continue;
      }
      ++out.failed;
      if (out.first_failure.empty())
        out.first_failure = !problem.empty() ? problem
                                             : "HTTP " + std::to_string(response_.result_int()) + ": " +
                                                   response_.body().substr(0, 300);
      if (!problem.empty()) co_return;  // the connection is gone
    }
  }

 private:
  asio::awaitable<std::string> post(std::string body) {
    request_.body() = std::move(body);
    request_.prepare_payload();
    stream_.expires_after(kReplyTimeout);
    auto [write_ec, written] = co_await http::async_write(stream_, request_, kAsTuple);
    if (write_ec) co_return "write: " + write_ec.message();
    response_ = {};
    auto [read_ec, read] = co_await http::async_read(stream_, buffer_, response_, kAsTuple);
    if (read_ec) co_return "read: " + read_ec.message();
    co_return std::string();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

// What the sessions of one run share: when the measured span lies, and who is still opening.
struct Run {
  Clock::time_point start{}, end{};
  int opening = 0;
  asio::steady_timer all_open;  // cancelled by the last session to open
};

asio::awaitable<void> one_session(const ClosedLoopPlan& plan, Run& run, LoadOutcome& out) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  stream.expires_after(kReplyTimeout);
  auto [connect_ec] =
      co_await stream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), plan.port), kAsTuple);
  std::string problem = connect_ec ? "connect: " + connect_ec.message() : std::string();
  boost::system::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
  Session session(std::move(stream), plan.port);
  if (problem.empty()) problem = co_await session.open();
  if (!problem.empty() && out.problem.empty()) out.problem = problem;

  // Every session starts its load once all are open, so the span measures N sessions at once.
  if (--run.opening == 0) {
    run.start = Clock::now() + plan.warm_up;
    run.end = run.start + plan.measure;
    run.all_open.cancel();
  } else {
    co_await run.all_open.async_wait(kAsTuple);
  }
  if (!out.problem.empty()) co_return;
  co_await session.run(plan.request, run.start, run.end, out);
}

}  // namespace

LoadOutcome run_http_closed_loop(const ClosedLoopPlan& plan) {
  asio::io_context io(1);
  LoadOutcome out;
  out.seconds = std::chrono::duration<double>(plan.measure).count();
  Run run{.opening = plan.sessions, .all_open = asio::steady_timer(io, Clock::time_point::max())};
  std::exception_ptr failure;
  for (int i = 0; i < plan.sessions; ++i)
    asio::co_spawn(io, one_session(plan, run, out), [&failure](std::exception_ptr e) {
      if (e && !failure) failure = e;
    });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace kmcp::bench
