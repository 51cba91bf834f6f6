#include "server/mcp/client_requests.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "server/mcp/jsonrpc.hpp"

namespace kmcp {

struct ClientRequests::Pending {
  explicit Pending(asio::any_io_executor executor) : wake(std::move(executor)) {}
  asio::steady_timer wake;  // cancelled when the answer arrives
  std::optional<json::object> response;
};

asio::awaitable<boost::system::result<json::object, ClientRequestFailure>> ClientRequests::request(
    MessageSink& sink, std::string method, json::object params, std::chrono::milliseconds timeout) {
  using Failure = ClientRequestFailure;
  // String ids with a prefix of ours: they cannot be mistaken for an id the client chose.
  const json::value id(json::string("kmcp-" + std::to_string(next_id_++)));
  const std::string key = json::serialize(id);
  auto pending = std::make_shared<Pending>(co_await asio::this_coro::executor);
  pending_.emplace(key, pending);
  json::object message{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
  sink.send(std::move(message));

  pending->wake.expires_after(timeout);
  const auto [ec] = co_await pending->wake.async_wait(asio::as_tuple(asio::use_awaitable));
  pending_.erase(key);
  if (!pending->response) {
    if (!ec) co_return Failure{Failure::Kind::timeout, "the client did not answer " + method + " in time"};
    sink.send(jsonrpc::make_notification("notifications/cancelled",
                                         {{"requestId", id}, {"reason", "the call that asked was cancelled"}}));
    co_return Failure{Failure::Kind::cancelled, method + " was cancelled"};
  }
  const json::object& response = *pending->response;
  if (const json::value* result = response.if_contains("result"); result && result->is_object())
    co_return result->get_object();
  std::string what = "the client answered " + method + " with an error";
  if (const json::value* error = response.if_contains("error"); error && error->is_object()) {
    if (const json::value* text = error->get_object().if_contains("message"); text && text->is_string())
      what += ": " + std::string(text->get_string());
  }
  co_return Failure{Failure::Kind::error, std::move(what)};
}

bool ClientRequests::answer(const json::value& id, const json::object& response) {
  auto it = pending_.find(json::serialize(id));
  if (it == pending_.end() || it->second->response) return false;
  it->second->response = response;
  it->second->wake.cancel();
  return true;
}

}  // namespace kmcp
