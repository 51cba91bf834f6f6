#pragma once
// Notices a client hanging up while the server has nothing to write yet (a tools/call under
// way, an idle GET stream). Meant to be raced (||) against the wait for the next message.
#include <boost/beast/core/flat_buffer.hpp>

#include "server/core/json.hpp"
#include "server/transport/http_stream.hpp"

namespace kmcp {

// Returns when the peer closes or resets the connection. Bytes the client sends meanwhile (a
// pipelined request) are kept in `buffer` for the next read; after those it can no longer tell
// and waits until cancelled.
asio::awaitable<void> wait_for_disconnect(HttpStream& stream, boost::beast::flat_buffer& buffer);

// Returns after `delay`, or early when cancelled.
asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration delay);

}  // namespace kmcp
