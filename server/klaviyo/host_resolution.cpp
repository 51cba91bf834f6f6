#include "server/klaviyo/host_resolution.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

namespace kmcp {
namespace {

namespace asio = boost::asio;
using boost::asio::ip::tcp;
using boost::system::error_code;

// Asio's resolver runs getaddrinfo on a private thread and cannot abandon it, nor does it
// support per-operation cancellation. So the lookup reports into a channel, and we wait on that
// channel or the deadline, whichever comes first. The state is shared with the lookup's handler
// so a lookup that finishes after we gave up lands in a channel nobody reads, then is freed.
struct Lookup {
  explicit Lookup(const asio::any_io_executor& executor) : resolver(executor), done(executor, 1) {}
  tcp::resolver resolver;
  asio::experimental::channel<void(error_code, tcp::resolver::results_type)> done;
};

}  // namespace

asio::awaitable<ResolveResult> resolve_within(std::string host, std::string port, SteadyTime deadline) {
  const auto executor = co_await asio::this_coro::executor;
  auto lookup = std::make_shared<Lookup>(executor);
  lookup->resolver.async_resolve(host, port, [lookup](error_code ec, tcp::resolver::results_type results) {
    lookup->done.try_send(ec, std::move(results));
  });

  asio::steady_timer timer(executor, deadline);
  auto [order, resolve_ec, results, timer_ec] =
      co_await asio::experimental::make_parallel_group(lookup->done.async_receive(asio::deferred),
                                                       timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);

  if (order[0] == 1) {
    // The timer finished first: the deadline passed, or both waits were cancelled by the caller.
    if (timer_ec == asio::error::operation_aborted) co_return error_code(asio::error::operation_aborted);
    co_return error_code(boost::beast::error::timeout);
  }
  if (resolve_ec) co_return resolve_ec;
  co_return std::move(results);
}

}  // namespace kmcp
