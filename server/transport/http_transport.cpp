#include "server/transport/http_transport.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "server/transport/client_watch.hpp"
#include "server/transport/http_connection.hpp"
#include "server/transport/http_context.hpp"

namespace kmcp {
namespace {

using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kCancelledReplyTime{1};

// The acceptor and the idle sweep, on one strand so stop() (any thread) can reach them.
struct HttpState {
  HttpState(asio::any_io_executor io, Dispatcher& dispatcher, Logger& logger, HttpOptions options)
      : context(std::make_shared<HttpContext>(io, dispatcher, logger, std::move(options))),
        control(asio::make_strand(io)),
        acceptor(control),
        sweep_timer(control),
        cut_short(io) {}

  std::shared_ptr<HttpContext> context;
  asio::strand<asio::any_io_executor> control;
  tcp::acceptor acceptor;       // on control
  asio::steady_timer sweep_timer;  // on control
  bool stopped = false;         // on control: no more accepting
  Notifier cut_short;           // stop(): end the grace period now
};

void end_sessions(HttpContext& context, const std::vector<std::shared_ptr<HttpSession>>& sessions,
                  std::string_view reason) {
  for (const auto& session : sessions)
    if (session->end()) context.logger.info("session_ended", {{"session", session->label()}, {"reason", reason}});
}

// Sessions nobody used for session_idle_timeout end, so abandoned ones do not pile up.
asio::awaitable<void> sweep_idle_sessions(std::shared_ptr<HttpState> state) {
  HttpContext& context = *state->context;
  const auto timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(context.options.session_idle_timeout);
  const auto period = std::clamp<std::chrono::steady_clock::duration>(timeout / 4, std::chrono::seconds(1),
                                                                      std::chrono::seconds(60));
  while (!state->stopped) {
    state->sweep_timer.expires_after(period);
    auto [ec] = co_await state->sweep_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (state->stopped) break;
    (void)ec;
    end_sessions(context, context.sessions.remove_idle(std::chrono::steady_clock::now(), timeout), "idle");
  }
}

asio::awaitable<void> accept_connections(std::shared_ptr<HttpState> state) {
  HttpContext& context = *state->context;
  if (state->stopped) co_return;
  if (!state->acceptor.is_open()) throw std::logic_error("HttpTransport::run() called before listen()");
  context.tasks.spawn(state->control, sweep_idle_sessions(state));
  while (!state->stopped) {
    auto [ec, socket] =
        co_await state->acceptor.async_accept(asio::make_strand(context.io), asio::as_tuple(asio::use_awaitable));
    if (state->stopped) break;
    if (ec) {
      // Out of descriptors and the like: wait a little instead of spinning.
      context.logger.warn("accept_failed", {{"error", ec.message()}});
      asio::steady_timer pause(state->control, std::chrono::milliseconds(100));
      auto [ignored] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      (void)ignored;
      continue;
    }
    // Replies and SSE events go out whole, at once: Nagle would hold each one's tail until the
    // client acknowledges the data before it.
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    auto executor = socket.get_executor();
    context.tasks.spawn(executor, serve_connection(state->context, std::move(socket)));
  }
}

// After accepting stopped: requests under way get the grace period (connections keep running
// meanwhile, refusing new work), then whatever remains is cancelled and every connection closed.
asio::awaitable<void> shut_down(std::shared_ptr<HttpState> state) {
  using namespace asio::experimental::awaitable_operators;
  HttpContext& context = *state->context;
  const auto grace = context.options.shutdown_grace;
  context.logger.info("draining", {{"requests", context.requests.size()},
                                   {"connections", context.connections.size()},
                                   {"sessions", context.sessions.size()},
                                   {"grace_ms", grace.count()}});
  if (context.requests.size() != 0)
    co_await (context.requests.wait_idle() || sleep_for(grace) || state->cut_short.wait());
  const std::size_t cancelled = context.requests.size();
  const auto sessions = context.sessions.close();
  const std::size_t session_count = sessions.size();
  end_sessions(context, sessions, "shutdown");
  // A cancelled call still answers (isError, "cancelled"): a moment to write that, so its
  // client learns what became of it instead of seeing the connection drop.
  if (cancelled != 0) co_await (context.requests.wait_idle() || sleep_for(kCancelledReplyTime));
  const std::size_t connections = context.connections.size();
  context.connections.close_all();
  co_await context.tasks.wait_idle();
  context.logger.info("stopped", {{"requests_cancelled", cancelled},
                                  {"connections_closed", connections},
                                  {"sessions_ended", session_count}});
}

asio::awaitable<void> serve(std::shared_ptr<HttpState> state) {
  co_await accept_connections(state);
  co_await shut_down(state);
}

}  // namespace

struct HttpTransport::State : HttpState {
  using HttpState::HttpState;
};

HttpTransport::HttpTransport(asio::any_io_executor executor, Dispatcher& dispatcher, Logger& logger,
                             HttpOptions options)
    : state_(std::make_shared<State>(std::move(executor), dispatcher, logger, std::move(options))) {}

HttpTransport::~HttpTransport() = default;

unsigned short HttpTransport::listen() {
  const HttpOptions& options = state_->context->options;
  std::string host = options.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) {
    // A name (e.g. "localhost"): resolved once, at startup, before anything is served.
    tcp::resolver resolver(state_->control);
    auto results = resolver.resolve(host, std::to_string(options.port));
    address = results.begin()->endpoint().address();
  }
  const tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  const unsigned short port = acceptor.local_endpoint().port();
  state_->context->logger.info("listening", {{"host", address.to_string()},
                                            {"port", port},
                                            {"path", options.path},
                                            {"tls", state_->context->tls != nullptr}});
  return port;
}

asio::awaitable<void> HttpTransport::run() {
  std::shared_ptr<HttpState> state = state_;
  co_await asio::co_spawn(state->control, serve(state), asio::use_awaitable);
}

void HttpTransport::drain() {
  std::shared_ptr<HttpState> state = state_;
  if (state->context->draining.exchange(true)) return;
  asio::post(state->control, [state] {
    state->stopped = true;
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
    state->sweep_timer.cancel();
  });
}

void HttpTransport::stop() {
  drain();
  state_->cut_short.notify();
}

bool HttpTransport::draining() const { return state_->context->draining.load(); }

}  // namespace kmcp
