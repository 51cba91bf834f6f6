#include "server/klaviyo/upstream_failure_mapping.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace kmcp {
namespace {

namespace http = boost::beast::http;
using Kind = UpstreamFailure::Kind;

std::string_view phase_name(UpstreamPhase phase) {
  switch (phase) {
    case UpstreamPhase::resolve: return "resolving";
    case UpstreamPhase::connect: return "connecting to";
    case UpstreamPhase::handshake: return "TLS handshake with";
    case UpstreamPhase::write: return "sending the request to";
    case UpstreamPhase::read: return "reading the response from";
  }
  return "talking to";
}

UpstreamFailure failure(Kind kind, bool maybe_sent, UpstreamPhase phase, std::string_view authority,
                        std::string_view what) {
  std::string message;
  message += phase_name(phase);
  message += ' ';
  message += authority;
  message += ": ";
  message += what;
  return UpstreamFailure{kind, maybe_sent, std::move(message)};
}

bool is_http_error(boost::system::error_code ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

bool is_connection_closed(boost::system::error_code ec) {
  namespace error = boost::asio::error;
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == error::eof ||
         ec == error::connection_reset || ec == error::connection_aborted || ec == error::broken_pipe ||
         ec == error::not_connected || ec == boost::asio::ssl::error::stream_truncated;
}

UpstreamFailure cancelled_failure(bool maybe_sent) {
  return UpstreamFailure{Kind::cancelled, maybe_sent, "the call was cancelled"};
}

UpstreamFailure map_upstream_error(boost::system::error_code ec, UpstreamPhase phase, bool maybe_sent,
                                   std::string_view authority) {
  const bool sending = phase == UpstreamPhase::write || phase == UpstreamPhase::read;
  // Once the read phase starts the whole request was written.
  const bool sent = phase == UpstreamPhase::read || (phase == UpstreamPhase::write && maybe_sent);

  if (ec == boost::beast::error::timeout) {
    return failure(Kind::timeout, sent, phase, authority, "deadline exceeded");
  }
  if (ec == boost::asio::error::operation_aborted) return cancelled_failure(sent);
  if (!sending) {
    const Kind kind = phase == UpstreamPhase::handshake ? Kind::tls : Kind::connect;
    return failure(kind, false, phase, authority, ec.message());
  }
  if (is_connection_closed(ec)) {
    return failure(Kind::reset, sent, phase, authority, "connection closed by the server (" + ec.message() + ")");
  }
  if (is_http_error(ec)) {
    return failure(Kind::protocol, sent, phase, authority, "malformed HTTP response (" + ec.message() + ")");
  }
  // Anything else mid-exchange (a TLS alert, a network error) broke the connection.
  return failure(Kind::reset, sent, phase, authority, ec.message());
}

}  // namespace kmcp
