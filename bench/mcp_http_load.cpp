#include "bench/mcp_http_load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <deque>
#include <exception>
#include <optional>

namespace kmcp::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr const char* kProtocol = "2025-11-25";

struct Reply {
  std::string error;  // transport failure; the rest is empty then
  unsigned status = 0;
  std::string session;
  std::string body;
};

// One request and its reply on a connected stream.
asio::awaitable<Reply> exchange(beast::tcp_stream& stream, std::string session, std::string body) {
  http::request<http::string_body> request{http::verb::post, "/mcp", 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(stream.socket().remote_endpoint().port()));
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/json, text/event-stream");
  request.set(http::field::connection, "close");
  if (!session.empty()) {
    request.set("Mcp-Session-Id", session);
    request.set("MCP-Protocol-Version", kProtocol);
  }
  request.body() = std::move(body);
  request.prepare_payload();
  auto [write_ec, written] = co_await http::async_write(stream, request, kAsTuple);
  if (write_ec) co_return Reply{.error = "write: " + write_ec.message()};

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  auto [read_ec, read] = co_await http::async_read(stream, buffer, response, kAsTuple);
  if (read_ec) co_return Reply{.error = "read: " + read_ec.message()};
  Reply reply{.status = response.result_int(), .body = std::move(response.body())};
  if (auto it = response.find("Mcp-Session-Id"); it != response.end()) reply.session = std::string(it->value());
  if (auto it = response.find(http::field::content_type);
      it != response.end() && it->value().starts_with("text/event-stream")) {
    // The JSON-RPC reply is the stream's last event.
    const auto at = reply.body.rfind("data:");
    reply.body = at == std::string::npos ? std::string() : reply.body.substr(at + 5);
  }
  co_return reply;
}

asio::awaitable<Reply> post(tcp::endpoint server, std::string session, std::string body,
                            std::chrono::seconds timeout) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);
  auto [connect_ec] = co_await stream.async_connect(server, kAsTuple);
  if (connect_ec) co_return Reply{.error = "connect: " + connect_ec.message()};
  co_return co_await exchange(stream, std::move(session), std::move(body));
}

// What went wrong with a tools/call reply, or nullopt when it is a successful result.
std::optional<std::string> call_problem(const Reply& reply) {
  if (!reply.error.empty()) return reply.error;
  if (reply.status != 200) return "HTTP " + std::to_string(reply.status) + ": " + reply.body;
  try {
    const json::value message = json::parse(reply.body);
    boost::system::error_code missing;
    const json::value* is_error = message.find_pointer("/result/isError", missing);
    if (is_error && is_error->is_bool() && !is_error->as_bool()) return std::nullopt;
  } catch (const std::exception&) {
    // not JSON: reported below with the body
  }
  return reply.body.substr(0, 400);
}

std::string tool_call(int id, const std::string& tool) {
  return json::serialize(json::object{
      {"jsonrpc", "2.0"},
      {"id", id},
      {"method", "tools/call"},
      {"params", {{"name", tool}, {"arguments", json::object{}}}},
  });
}

asio::awaitable<std::string> open_session(tcp::endpoint server, std::string& session, std::chrono::seconds timeout) {
  const std::string initialize = json::serialize(json::object{
      {"jsonrpc", "2.0"},
      {"id", 0},
      {"method", "initialize"},
      {"params", {{"protocolVersion", kProtocol},
                  {"capabilities", json::object{}},
                  {"clientInfo", {{"name", "bench_rate_pacing"}, {"version", "1"}}}}},
  });
  const Reply opened = co_await post(server, {}, initialize, timeout);
  if (!opened.error.empty()) co_return "initialize: " + opened.error;
  if (opened.status != 200 || opened.session.empty()) co_return "initialize: HTTP " + std::to_string(opened.status);
  session = opened.session;
  const Reply initialized = co_await post(server, session, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", timeout);
  if (!initialized.error.empty()) co_return "notifications/initialized: " + initialized.error;
  co_return std::string();
}

// The session, then the warm-up calls one by one; what went wrong, or "".
asio::awaitable<std::string> prepare(tcp::endpoint server, const LoadPlan& plan, std::string& session,
                                     std::vector<std::chrono::nanoseconds>& warm_ups) {
  if (auto problem = co_await open_session(server, session, plan.timeout); !problem.empty()) co_return problem;
  for (int i = 0; i < plan.warm_ups; ++i) {
    const Clock::time_point sent = Clock::now();
    const Reply reply = co_await post(server, session, tool_call(-1 - i, plan.warm_up_tool), plan.timeout);
    if (auto problem = call_problem(reply)) co_return "warm-up " + plan.warm_up_tool + ": " + *problem;
    warm_ups.push_back(Clock::now() - sent);
  }
  co_return std::string();
}

}  // namespace

LoadRun call_concurrently(unsigned short port, const LoadPlan& plan) {
  asio::io_context io(1);
  const tcp::endpoint server(asio::ip::make_address_v4("127.0.0.1"), port);
  LoadRun run;
  std::string session;
  asio::co_spawn(io, prepare(server, plan, session, run.warm_ups), [&](std::exception_ptr error, std::string problem) {
    run.setup_problem = error ? "setup: an exception" : problem;
  });
  io.run();
  if (!run.setup_problem.empty()) return run;

  // Every connection is made first, so the clock measures the server (taking in N requests,
  // pacing them) rather than TCP handshakes. io.run() returns once every task spawned ended.
  io.restart();
  std::deque<beast::tcp_stream> streams;
  std::string connect_problem;
  for (int i = 0; i < plan.calls; ++i) {
    beast::tcp_stream& stream = streams.emplace_back(io);
    stream.expires_after(plan.timeout);
    stream.async_connect(server, [&connect_problem](boost::system::error_code ec) {
      if (ec && connect_problem.empty()) connect_problem = "connect: " + ec.message();
    });
  }
  io.run();
  if (!connect_problem.empty()) {
    run.setup_problem = connect_problem;
    return run;
  }

  io.restart();
  run.calls.resize(static_cast<std::size_t>(plan.calls));
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < plan.calls; ++i) {
    asio::co_spawn(io, exchange(streams[static_cast<std::size_t>(i)], session, tool_call(i + 1, plan.tool)),
                   [&run, i, start](std::exception_ptr error, Reply reply) {
                     CallRecord& record = run.calls[static_cast<std::size_t>(i)];
                     record.done = Clock::now() - start;
                     const auto problem = error ? std::optional<std::string>("an exception") : call_problem(reply);
                     record.ok = !problem;
                     if (problem) record.problem = *problem;
                   });
  }
  io.run();
  return run;
}

}  // namespace kmcp::bench
