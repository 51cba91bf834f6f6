#pragma once
// One keep-alive connection to the upstream, plain TCP or TLS, and the two things done with it:
// open it, and run one request/response exchange on it. Each connection lives on its own strand
// (Beast streams are not thread-safe and their timers fire on the stream's executor), and the
// coroutines below must run on that strand.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <string>

#include "server/core/clock.hpp"
#include "server/klaviyo/tls_session_cache.hpp"
#include "server/klaviyo/upstream_client.hpp"
#include "server/klaviyo/upstream_endpoint.hpp"

namespace kmcp {

class UpstreamConnection {
 public:
  // An unopened connection; `tls` and `sessions` are null for plain HTTP and must outlive the
  // connection. TLS handshakes offer the session `sessions` keeps, and the first response read
  // keeps this connection's session there for the next ones.
  UpstreamConnection(boost::asio::any_io_executor strand, boost::asio::ssl::context* tls, TlsSessionCache* sessions);

  const boost::asio::any_io_executor& executor() const { return strand_; }
  bool is_open() const { return opened_; }

  // An idle connection is fit for reuse while the peer has neither closed it nor sent anything
  // unasked. A non-blocking peek catches most servers' idle-timeout closes before we write.
  bool idle_and_healthy();

  // Resolves, connects and (for TLS) handshakes with SNI and certificate/host-name checks.
  boost::asio::awaitable<std::optional<UpstreamFailure>> open(const UpstreamEndpoint& endpoint, SteadyTime deadline);

  struct Exchange {
    UpstreamResult result;
    bool reusable = false;  // complete keep-alive response and nothing left over
    // The peer closed the connection before sending a single response byte: on a reused
    // connection this is the keep-alive race, not a verdict on the request.
    bool closed_before_response = false;
  };
  // Writes `request` and reads the whole response (at most `max_response_bytes` of body). Only
  // on an open connection. `on_write` (when set) is called just before the write.
  boost::asio::awaitable<Exchange> exchange(const boost::beast::http::request<boost::beast::http::string_body>& request,
                                            SteadyTime deadline, std::size_t max_response_bytes,
                                            const WriteHook& on_write);

 private:
  template <class Stream>
  boost::asio::awaitable<Exchange> exchange_on(Stream& stream,
                                               const boost::beast::http::request<boost::beast::http::string_body>& request,
                                               SteadyTime deadline, std::size_t max_response_bytes,
                                               const WriteHook& on_write);

  boost::beast::tcp_stream& tcp();

  boost::asio::any_io_executor strand_;
  boost::asio::ssl::context* tls_context_;
  TlsSessionCache* sessions_;
  std::optional<boost::beast::tcp_stream> plain_;  // before TLS wraps it, or for plain HTTP
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
  boost::beast::flat_buffer buffer_;
  std::string authority_;  // "host:port", for failure messages
  bool opened_ = false;
  bool session_kept_ = false;
};

}  // namespace kmcp
