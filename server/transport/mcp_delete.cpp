#include "server/transport/mcp_endpoint.hpp"
#include "server/transport/session_directory.hpp"

namespace kmcp {

asio::awaitable<bool> handle_delete(HttpExchange& exchange) {
  auto found = co_await find_or_adopt_session(*exchange.context, exchange.request, exchange.grant);
  if (found.refusal) co_return co_await send_reply(exchange, std::move(*found.refusal));
  if (SessionDirectory* directory = exchange.context->options.session_directory)
    co_await directory->forget(found.session->id());
  // Only this request may end it now; a concurrent DELETE finds it gone (404).
  if (auto session = exchange.context->sessions.remove(found.session->id()); session && session->end())
    exchange.context->logger.info("session_ended", {{"session", session->label()}, {"reason", "deleted"}});
  co_return co_await send_reply(exchange, empty_reply(exchange.request, http::status::ok));
}

}  // namespace kmcp
