#pragma once
// DNS resolution bounded by a deadline and the caller's cancellation.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/result.hpp>
#include <string>

#include "server/core/clock.hpp"

namespace kmcp {

using ResolveResult = boost::system::result<boost::asio::ip::tcp::resolver::results_type>;

// Fails with boost::beast::error::timeout at `deadline` and with operation_aborted on terminal
// cancellation of the awaiting coroutine, even while getaddrinfo is still busy.
boost::asio::awaitable<ResolveResult> resolve_within(std::string host, std::string port, SteadyTime deadline);

}  // namespace kmcp
