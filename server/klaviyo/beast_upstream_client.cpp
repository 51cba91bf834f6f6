#include "server/klaviyo/beast_upstream_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <stdexcept>

#include "server/klaviyo/async_semaphore.hpp"
#include "server/klaviyo/idle_connection_pool.hpp"
#include "server/klaviyo/tls_client_context.hpp"
#include "server/klaviyo/tls_session_cache.hpp"
#include "server/klaviyo/upstream_connection.hpp"
#include "server/klaviyo/upstream_endpoint.hpp"
#include "server/klaviyo/upstream_failure_mapping.hpp"
#include "server/klaviyo/wire_request.hpp"

namespace kmcp {
namespace {

UpstreamEndpoint endpoint_or_throw(const std::string& base_url) {
  auto endpoint = parse_upstream_endpoint(base_url);
  if (!endpoint) throw std::runtime_error("invalid upstream base URL '" + base_url + "': " + endpoint.error());
  return std::move(*endpoint);
}

std::optional<asio::ssl::context> tls_context_for(const UpstreamEndpoint& endpoint, const std::string& ca_file) {
  if (!endpoint.tls) return std::nullopt;
  return make_tls_client_context(ca_file);
}

std::size_t at_least_one(std::size_t max_connections) {
  if (max_connections == 0) throw std::runtime_error("the upstream connection limit must be at least 1");
  return max_connections;
}

bool resend_is_harmless(boost::beast::http::verb method) {
  using boost::beast::http::verb;
  return method == verb::get || method == verb::head || method == verb::put || method == verb::delete_ ||
         method == verb::options;
}

asio::awaitable<bool> caller_cancelled() {
  const auto state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

struct BeastUpstreamClient::Impl {
  Impl(asio::any_io_executor executor_in, UpstreamOptions options_in)
      : executor(std::move(executor_in)),
        options(std::move(options_in)),
        endpoint(endpoint_or_throw(options.base_url)),
        tls(tls_context_for(endpoint, options.ca_file)),
        slots(at_least_one(options.max_connections)),
        pool(options.max_idle_connections) {}

  std::unique_ptr<UpstreamConnection> new_connection() {
    return std::make_unique<UpstreamConnection>(asio::make_strand(executor), tls ? &*tls : nullptr,
                                                tls ? &sessions : nullptr);
  }

  UpstreamFailure no_slot_failure(boost::system::error_code ec) const {
    if (ec == asio::error::operation_aborted) return cancelled_failure(false);
    return UpstreamFailure{UpstreamFailure::Kind::timeout, false,
                           "no connection to " + endpoint.host_header + " became free before the deadline (all " +
                               std::to_string(options.max_connections) + " in use)"};
  }

  asio::awaitable<UpstreamConnection::Exchange> attempt(UpstreamConnection& connection, const WireRequest& request,
                                                       SteadyTime deadline, const WriteHook& on_write);

  asio::any_io_executor executor;
  const UpstreamOptions options;
  const UpstreamEndpoint endpoint;
  std::optional<asio::ssl::context> tls;
  TlsSessionCache sessions;
  // A slot is held by a call, not by a connection. A call takes an idle connection or opens
  // one only while it holds a slot, opens one only when it found the pool empty, and gives the
  // slot back only after its connection went back to the pool or was closed. So idle and busy
  // connections together never outnumber the slots, and any call ending wakes the first call
  // in line: the connection it returned waits in the pool for that call, or was closed to make
  // room for a new one.
  AsyncSemaphore slots;
  IdleConnectionPool pool;  // last: its connections use `tls` and `sessions`
};

// Runs on the connection's strand. Cancellation is checked explicitly after each operation, so
// it must not also surface as an exception from the next co_await.
asio::awaitable<UpstreamConnection::Exchange> BeastUpstreamClient::Impl::attempt(UpstreamConnection& connection,
                                                                                const WireRequest& request,
                                                                                SteadyTime deadline,
                                                                                const WriteHook& on_write) {
  co_await asio::this_coro::throw_if_cancelled(false);
  if (!connection.is_open()) {
    if (auto failure = co_await connection.open(endpoint, deadline)) co_return UpstreamConnection::Exchange{*failure};
  }
  co_return co_await connection.exchange(request, deadline, options.max_response_bytes, on_write);
}

BeastUpstreamClient::BeastUpstreamClient(asio::any_io_executor executor, UpstreamOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options))) {}

BeastUpstreamClient::~BeastUpstreamClient() = default;

asio::awaitable<UpstreamResult> BeastUpstreamClient::send(UpstreamRequest request, SteadyTime deadline, WriteHook on_write) {
  auto wire = to_wire_request(request, impl_->endpoint.host_header);
  if (!wire) co_return wire.error();

  try {
    // Declared before the connection, so given back after it went to the pool or was closed.
    auto slot = co_await impl_->slots.acquire(deadline);
    if (!slot) co_return impl_->no_slot_failure(slot.error());
    for (int attempt = 0;; ++attempt) {
      // The retry always opens a fresh connection: another idle one could be just as stale.
      std::unique_ptr<UpstreamConnection> connection = attempt == 0 ? impl_->pool.take() : nullptr;
      const bool reused = connection != nullptr;
      if (!connection) connection = impl_->new_connection();

      auto outcome = co_await asio::co_spawn(connection->executor(), impl_->attempt(*connection, *wire, deadline, on_write),
                                             asio::use_awaitable);
      if (outcome.result && outcome.reusable) impl_->pool.give(std::move(connection));

      // The keep-alive race: a server may close an idle connection at any moment, and a close
      // that lands just as we reuse it shows up as EOF/reset before any response byte. Usually
      // the server never read the request, but it may have read and acted on it before closing,
      // so only methods that HTTP defines as idempotent are sent again on a fresh connection;
      // POST and PATCH surface as maybe-sent failures for the pipeline's retry policy to judge.
      // A fresh connection failing this way is reported as is.
      if (reused && outcome.closed_before_response && resend_is_harmless(request.method)) {
        const bool cancelled = co_await caller_cancelled();  // g++ 12: no co_await inside &&
        if (!cancelled) continue;
      }
      co_return std::move(outcome.result);
    }
  } catch (const boost::system::system_error& error) {
    // Asio reports a cancellation that lands between two operations by throwing from the next
    // co_await of the calling coroutine.
    if (error.code() == asio::error::operation_aborted) co_return cancelled_failure(false);
    throw;
  }
}

UpstreamPoolStats BeastUpstreamClient::pool_stats() const {
  return UpstreamPoolStats{.busy = impl_->options.max_connections - impl_->slots.available(),
                           .idle = impl_->pool.size(),
                           .waiting = impl_->slots.waiting()};
}

}  // namespace kmcp
