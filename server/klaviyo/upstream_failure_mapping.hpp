#pragma once
// Turns a socket, TLS or HTTP error code into the UpstreamFailure callers act on. Pure.
#include <boost/system/error_code.hpp>
#include <string_view>

#include "server/klaviyo/upstream_client.hpp"

namespace kmcp {

// Where in one exchange the error happened; decides the kind for errors that are not a timeout,
// a cancellation or bad HTTP.
enum class UpstreamPhase { resolve, connect, handshake, write, read };

// `maybe_sent`: whether any request byte may have left us (only meaningful from the write phase
// on; a failure while reading always has maybe_sent true). `authority` ("host:port") names the
// peer in the message; header values never reach a message.
UpstreamFailure map_upstream_error(boost::system::error_code ec, UpstreamPhase phase, bool maybe_sent,
                                   std::string_view authority);

// The failure returned when the caller cancelled the call.
UpstreamFailure cancelled_failure(bool maybe_sent);

// True for the errors a peer closing the connection produces (EOF, reset, broken pipe, TLS
// truncation): in the read phase, before any response byte, they are the keep-alive race.
bool is_connection_closed(boost::system::error_code ec);

}  // namespace kmcp
