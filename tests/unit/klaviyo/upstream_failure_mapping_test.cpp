#include <doctest/doctest.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include "server/klaviyo/upstream_failure_mapping.hpp"

namespace kmcp {

namespace error = boost::asio::error;
namespace http = boost::beast::http;
using Kind = UpstreamFailure::Kind;

TEST_CASE("before the request is written nothing counts as sent") {
  const auto refused = map_upstream_error(error::connection_refused, UpstreamPhase::connect, true, "h:1");
  CHECK(refused.kind == Kind::connect);
  CHECK_FALSE(refused.maybe_sent);
  CHECK(refused.message.find("h:1") != std::string::npos);

  CHECK(map_upstream_error(error::host_not_found, UpstreamPhase::resolve, false, "h:1").kind == Kind::connect);
  const auto handshake = map_upstream_error(boost::asio::ssl::error::stream_truncated, UpstreamPhase::handshake,
                                            false, "h:1");
  CHECK(handshake.kind == Kind::tls);
  CHECK_FALSE(handshake.maybe_sent);
}

TEST_CASE("timeouts say whether a byte may have left") {
  const auto timeout = boost::beast::error::timeout;
  CHECK_FALSE(map_upstream_error(timeout, UpstreamPhase::connect, false, "h").maybe_sent);
  CHECK_FALSE(map_upstream_error(timeout, UpstreamPhase::write, false, "h").maybe_sent);
  CHECK(map_upstream_error(timeout, UpstreamPhase::write, true, "h").maybe_sent);
  const auto reading = map_upstream_error(timeout, UpstreamPhase::read, false, "h");
  CHECK(reading.kind == Kind::timeout);
  CHECK(reading.maybe_sent);
}

TEST_CASE("closed connections are resets, bad HTTP is protocol, aborts are cancellations") {
  for (auto ec : {boost::system::error_code(http::error::end_of_stream), boost::system::error_code(error::eof),
                  boost::system::error_code(error::connection_reset),
                  boost::system::error_code(http::error::partial_message)}) {
    CAPTURE(ec.message());
    CHECK(is_connection_closed(ec));
    const auto failure = map_upstream_error(ec, UpstreamPhase::read, true, "h");
    CHECK(failure.kind == Kind::reset);
    CHECK(failure.maybe_sent);
  }
  CHECK(map_upstream_error(http::error::bad_version, UpstreamPhase::read, true, "h").kind == Kind::protocol);
  CHECK_FALSE(is_connection_closed(http::error::bad_version));
  CHECK(map_upstream_error(error::operation_aborted, UpstreamPhase::read, true, "h").kind == Kind::cancelled);
  CHECK(cancelled_failure(false).kind == Kind::cancelled);
}

TEST_CASE("every kind has a stable name") {
  CHECK(to_string(Kind::connect) == "connect");
  CHECK(to_string(Kind::tls) == "tls");
  CHECK(to_string(Kind::timeout) == "timeout");
  CHECK(to_string(Kind::reset) == "reset");
  CHECK(to_string(Kind::cancelled) == "cancelled");
  CHECK(to_string(Kind::protocol) == "protocol");
}

}  // namespace kmcp
