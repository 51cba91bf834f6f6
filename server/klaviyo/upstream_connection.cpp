#include "server/klaviyo/upstream_connection.hpp"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <charconv>

#include "server/klaviyo/host_resolution.hpp"
#include "server/klaviyo/upstream_failure_mapping.hpp"

namespace kmcp {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kHeaderLimit = 64 * 1024;  // Beast's 8 KiB default is tight for CDN headers

asio::awaitable<bool> caller_cancelled() {
  const auto state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

unsigned short port_number(const std::string& port) {
  unsigned short value = 0;
  std::from_chars(port.data(), port.data() + port.size(), value);
  return value;
}

}  // namespace

UpstreamConnection::UpstreamConnection(asio::any_io_executor strand, ssl::context* tls, TlsSessionCache* sessions)
    : strand_(std::move(strand)), tls_context_(tls), sessions_(sessions) {
  plain_.emplace(strand_);
}

beast::tcp_stream& UpstreamConnection::tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

bool UpstreamConnection::idle_and_healthy() {
  if (!opened_ || buffer_.size() != 0) return false;
  char byte = 0;
  const auto n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  return false;  // 0: the peer closed it; > 0: bytes nobody asked for
}

asio::awaitable<std::optional<UpstreamFailure>> UpstreamConnection::open(const UpstreamEndpoint& endpoint,
                                                                         SteadyTime deadline) {
  const bool ipv6 = endpoint.host.find(':') != std::string::npos;
  authority_ = (ipv6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + endpoint.port;

  plain_->expires_at(deadline);
  boost::system::error_code ec;
  if (endpoint.host_is_ip) {
    const tcp::endpoint peer(asio::ip::make_address(endpoint.host, ec), port_number(endpoint.port));
    if (ec) co_return map_upstream_error(ec, UpstreamPhase::connect, false, authority_);
    std::tie(ec) = co_await plain_->async_connect(peer, kAsTuple);
  } else {
    const auto resolved = co_await resolve_within(endpoint.host, endpoint.port, deadline);
    if (!resolved) {
      if (co_await caller_cancelled()) co_return cancelled_failure(false);
      co_return map_upstream_error(resolved.error(), UpstreamPhase::resolve, false, authority_);
    }
    tcp::endpoint peer;
    std::tie(ec, peer) = co_await plain_->async_connect(*resolved, kAsTuple);
  }
  if (ec) {
    if (co_await caller_cancelled()) co_return cancelled_failure(false);
    co_return map_upstream_error(ec, UpstreamPhase::connect, false, authority_);
  }
  plain_->socket().set_option(tcp::no_delay(true), ec);  // small requests: don't wait for Nagle

  if (tls_context_ != nullptr) {
    tls_.emplace(std::move(*plain_), *tls_context_);
    plain_.reset();
    // SNI carries names only (RFC 6066); IP literals are checked against IP SANs instead.
    if (!endpoint.host_is_ip && SSL_set_tlsext_host_name(tls_->native_handle(), endpoint.host.c_str()) != 1) {
      co_return UpstreamFailure{UpstreamFailure::Kind::tls, false, "cannot set the TLS server name for " + authority_};
    }
    tls_->set_verify_mode(ssl::verify_peer);
    tls_->set_verify_callback(ssl::host_name_verification(endpoint.host));
    sessions_->offer(tls_->native_handle());
    beast::get_lowest_layer(*tls_).expires_at(deadline);
    std::tie(ec) = co_await tls_->async_handshake(ssl::stream_base::client, kAsTuple);
    if (ec) {
      if (co_await caller_cancelled()) co_return cancelled_failure(false);
      co_return map_upstream_error(ec, UpstreamPhase::handshake, false, authority_);
    }
  }
  opened_ = true;
  co_return std::nullopt;
}

asio::awaitable<UpstreamConnection::Exchange> UpstreamConnection::exchange(
    const http::request<http::string_body>& request, SteadyTime deadline, std::size_t max_response_bytes,
    const WriteHook& on_write) {
  if (tls_) {
    auto done = co_await exchange_on(*tls_, request, deadline, max_response_bytes, on_write);
    // Only now, with a response read, has a TLS 1.3 server's ticket arrived (see TlsSessionCache).
    if (done.result && !session_kept_) session_kept_ = sessions_->keep(tls_->native_handle());
    co_return done;
  }
  co_return co_await exchange_on(*plain_, request, deadline, max_response_bytes, on_write);
}

template <class Stream>
asio::awaitable<UpstreamConnection::Exchange> UpstreamConnection::exchange_on(
    Stream& stream, const http::request<http::string_body>& request, SteadyTime deadline,
    std::size_t max_response_bytes, const WriteHook& on_write) {
  if (std::chrono::steady_clock::now() >= deadline) {
    co_return Exchange{UpstreamFailure{UpstreamFailure::Kind::timeout, false,
                                       "deadline exceeded before sending the request to " + authority_}};
  }
  beast::get_lowest_layer(stream).expires_at(deadline);
  if (on_write) on_write();
  const auto [write_ec, written] = co_await http::async_write(stream, request, kAsTuple);
  if (write_ec) {
    // TLS may put a record on the wire before it reports any plaintext byte as written.
    const bool maybe_sent = written > 0 || tls_.has_value();
    if (co_await caller_cancelled()) co_return Exchange{cancelled_failure(maybe_sent)};
    Exchange failed{map_upstream_error(write_ec, UpstreamPhase::write, maybe_sent, authority_)};
    failed.closed_before_response = is_connection_closed(write_ec);
    co_return failed;
  }

  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(max_response_bytes);
  if (request.method() == http::verb::head) parser.skip(true);
  const auto [read_ec, read] = co_await http::async_read(stream, buffer_, parser, kAsTuple);
  if (read_ec) {
    if (co_await caller_cancelled()) co_return Exchange{cancelled_failure(true)};
    if (read_ec == http::error::body_limit) {
      co_return Exchange{UpstreamFailure{UpstreamFailure::Kind::protocol, true,
                                         "response from " + authority_ + " exceeds the limit of " +
                                             std::to_string(max_response_bytes) + " body bytes"}};
    }
    Exchange failed{map_upstream_error(read_ec, UpstreamPhase::read, true, authority_)};
    failed.closed_before_response = is_connection_closed(read_ec) && !parser.got_some() && buffer_.size() == 0;
    co_return failed;
  }

  Exchange done{UpstreamResponse{}};
  // Bytes past the response would be read as the next one: never reuse such a connection.
  done.reusable = parser.keep_alive() && !parser.need_eof() && buffer_.size() == 0;
  auto message = parser.release();
  auto& response = *done.result;
  response.status = message.result_int();
  response.headers = std::move(static_cast<http::fields&>(message.base()));
  response.body = std::move(message.body());
  co_return done;
}

}  // namespace kmcp
