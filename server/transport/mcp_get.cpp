#include <boost/asio/experimental/awaitable_operators.hpp>
#include <chrono>

#include "server/transport/client_watch.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"
#include "server/transport/sse_writer.hpp"

namespace kmcp {
namespace {
// Often enough for proxies and clients that drop silent connections (commonly after 30-60 s).
constexpr std::chrono::seconds kKeepalive{15};
}  // namespace

asio::awaitable<bool> handle_get(HttpExchange& exchange) {
  using namespace asio::experimental::awaitable_operators;
  HttpContext& context = *exchange.context;
  const HttpRequest& request = exchange.request;

  // Wildcards do not count: a plain "Accept: */*" GET is not asking for a stream.
  if (!accepts(request[http::field::accept], "text/event-stream", false)) {
    HttpResponse reply = error_reply(request, http::status::method_not_allowed, kTransportError,
                                     "Method Not Allowed: GET opens an event stream and needs "
                                     "Accept: text/event-stream");
    reply.set(http::field::allow, kAllowedMethods);
    co_return co_await send_reply(exchange, std::move(reply));
  }
  if (context.draining) co_return co_await send_reply(exchange, shutting_down_reply(request));
  auto found = co_await find_or_adopt_session(context, request, exchange.grant);
  if (found.refusal) co_return co_await send_reply(exchange, std::move(*found.refusal));
  const std::shared_ptr<HttpSession> session = std::move(found.session);

  if (!session->take_stream_place(context.options.max_streams_per_session))
    co_return co_await send_reply(exchange, overloaded_reply(request, "this session has too many open streams"));
  const StreamPlace place(session);
  auto stream = std::make_shared<MessageQueue>(co_await asio::this_coro::executor);
  if (!session->attach_stream(stream))
    co_return co_await send_reply(exchange, error_reply(request, http::status::conflict, kTransportError,
                                                        "Conflict: this session already has an open GET stream"));
  SessionUse use(session);
  SseWriter sse(exchange.stream, context.options.write_timeout, std::to_string(session->next_stream_number()));
  bool open = !co_await sse.start(request);
  bool session_ended = false;
  while (open) {
    auto next = co_await (stream->pop() || sleep_for(kKeepalive) || wait_for_disconnect(exchange.stream, exchange.buffer));
    switch (next.index()) {
      case 0:
        if (auto& message = std::get<0>(next)) {
          open = !co_await sse.event(*message);
        } else {
          session_ended = true;
          open = false;
        }
        break;
      case 1:
        open = !co_await sse.comment("ping");
        break;
      default:  // the client went away
        open = false;
        break;
    }
  }
  session->detach_stream(stream);
  stream->close();
  if (session_ended) co_await sse.finish();
  co_return false;  // the stream had the connection; let the client open a fresh one
}

}  // namespace kmcp
