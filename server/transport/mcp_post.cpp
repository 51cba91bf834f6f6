#include <atomic>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "server/mcp/dispatcher.hpp"
#include "server/mcp/jsonrpc.hpp"
#include "server/transport/client_watch.hpp"
#include "server/transport/http_checks.hpp"
#include "server/transport/mcp_endpoint.hpp"
#include "server/transport/session_directory.hpp"
#include "server/transport/sse_writer.hpp"
#include "server/transport/tool_narrowing.hpp"

namespace kmcp {
namespace {

// The dispatcher's side of one POSTed request. It runs on the session's strand and hands
// notifications, then the response, to the connection through `queue`.
struct PostedRequest final : MessageSink {
  PostedRequest(asio::any_io_executor connection, bool streams) : queue(std::move(connection)), streams(streams) {}
  void send(json::object message) override { queue.push(jsonrpc::serialize(message)); }
  bool delivers_before_reply() const override { return streams; }

  MessageQueue queue;
  std::optional<json::object> response;  // written before queue.close(), read after it
  std::atomic<bool> abandoned{false};
  const bool streams;  // the client accepts an event stream
};

// Keeps the session's record where other replicas find it, once initialize has succeeded
// (`started`: this message was that initialize). On the session's strand.
asio::awaitable<void> publish_session(HttpContext& context, HttpSession& session, bool started) {
  SessionDirectory* directory = context.options.session_directory;
  if (!directory || session.ended() || session.mcp().protocol_version.empty()) co_return;
  const bool kept = co_await directory->publish(record_of(session), started);
  if (kept) co_return;
  // Deleted through another replica, or expired there: it ends here too.
  if (context.sessions.remove(session.id()) && session.end())
    context.logger.info("session_ended", {{"session", session.label()}, {"reason", "ended_elsewhere"}});
}

asio::awaitable<void> run_request(std::shared_ptr<HttpContext> context, std::shared_ptr<HttpSession> session,
                                  std::shared_ptr<PostedRequest> posted, jsonrpc::Message message,
                                  std::string account) {
  // An ended session (shutdown, DELETE) has had its calls cancelled: start none after that.
  if (!posted->abandoned && !session->ended()) {
    const json::value id = message.id;
    const bool initialize = message.method == "initialize";
    try {
      posted->response =
          co_await context->dispatcher.handle(std::move(message), session->mcp(), *posted, std::move(account));
    } catch (const std::exception& e) {
      context->logger.error("dispatch_failed", {{"error", e.what()}});
      posted->response = jsonrpc::make_error(id, jsonrpc::kInternalError, "Internal error");
    }
    co_await publish_session(*context, *session, initialize);  // before the reply: the next request may go elsewhere
  }
  posted->queue.close();
}

asio::awaitable<void> run_notification(std::shared_ptr<HttpContext> context, std::shared_ptr<HttpSession> session,
                                       jsonrpc::Message message) {
  try {
    (void)co_await context->dispatcher.handle(std::move(message), session->mcp(), session->server_sink());
  } catch (const std::exception& e) {
    context->logger.error("dispatch_failed", {{"error", e.what()}});
  }
  co_await publish_session(*context, *session, false);
}

// The client hung up before its answer: nobody can receive it (streams are not resumable
// here), so stop the call rather than let it spend Klaviyo's rate budget.
void abandon(HttpContext& context, const std::shared_ptr<HttpSession>& session, PostedRequest& posted,
             const json::value& id) {
  posted.abandoned = true;
  context.logger.info("client_disconnected", {{"session", session->label()}, {"id", id}});
  asio::post(session->strand(), [session, key = json::serialize(id)] {
    auto& in_flight = session->mcp().in_flight;
    if (auto it = in_flight.find(key); it != in_flight.end()) it->second->emit(asio::cancellation_type::terminal);
  });
}

std::chrono::steady_clock::time_point now() { return std::chrono::steady_clock::now(); }

// Whether `asked` exposes the same tools as the session does. On the session's strand, where its
// state lives.
asio::awaitable<bool> keeps_session_tools(std::shared_ptr<HttpContext> context, std::shared_ptr<HttpSession> session,
                                          std::shared_ptr<const ToolExposure> asked) {
  const auto& current = session->mcp().tools ? session->mcp().tools : context->dispatcher.exposure();
  co_return current->listed() == asked->listed();
}

}  // namespace

asio::awaitable<bool> handle_post(HttpExchange& exchange) {
  using namespace asio::experimental::awaitable_operators;
  HttpContext& context = *exchange.context;
  const HttpRequest& request = exchange.request;
  // Counted before the draining check below, so a drain either waits for this request or the
  // request sees the drain.
  const ActivityCount::Scope answering = context.requests.enter();
  ActivityCount::Scope in_flight_place = context.in_flight.enter();
  exchange.place = &in_flight_place;
  if (context.in_flight.size() > context.options.max_in_flight)
    co_return co_await send_reply(exchange, overloaded_reply(request, "too many requests under way"));

  if (!is_json_content_type(request[http::field::content_type]))
    co_return co_await send_reply(exchange, error_reply(request, http::status::unsupported_media_type, kTransportError,
                                                        "Unsupported Media Type: Content-Type must be application/json"));
  // Clients must offer both; a missing Accept (curl) is taken as both.
  const std::string_view accept = request[http::field::accept];
  const bool json_ok = accept.empty() || accepts(accept, "application/json");
  const bool sse_ok = accept.empty() || accepts(accept, "text/event-stream");
  if (!json_ok && !sse_ok)
    co_return co_await send_reply(
        exchange, error_reply(request, http::status::not_acceptable, kTransportError,
                              "Not Acceptable: Accept must allow application/json and text/event-stream"));

  jsonrpc::Message message = jsonrpc::parse(request.body());
  if (message.kind == jsonrpc::Message::Kind::invalid) {
    json::object body = message.error_reply.empty()
                            ? jsonrpc::make_error(nullptr, jsonrpc::kInvalidRequest, "Invalid Request")
                            : std::move(message.error_reply);
    co_return co_await send_reply(exchange, json_reply(request, http::status::bad_request, body));
  }

  // Shutting down: no new work. Notifications and responses still pass, so a client can
  // cancel a call that is finishing.
  if (message.kind == jsonrpc::Message::Kind::request && context.draining)
    co_return co_await send_reply(exchange, shutting_down_reply(request));
  // The session's tools are chosen when it starts; later requests may repeat the choice, not change it.
  auto narrowed = narrowed_tools(request, *context.dispatcher.exposure());
  if (!narrowed)
    co_return co_await send_reply(exchange, error_reply(request, http::status::bad_request, kTransportError,
                                                        "Bad Request: " + narrowed.error()));

  auto chosen = choose_account(context.options, request, exchange.grant);
  if (chosen.refusal) co_return co_await send_reply(exchange, std::move(*chosen.refusal));

  const bool initialize = message.kind == jsonrpc::Message::Kind::request && message.method == "initialize";
  std::shared_ptr<HttpSession> session;
  if (initialize) {
    if (!request[kSessionHeader].empty())
      co_return co_await send_reply(exchange, error_reply(request, http::status::bad_request, kTransportError,
                                                          "Bad Request: initialize starts a new session; send it "
                                                          "without Mcp-Session-Id"));
    session = context.sessions.create(context.io, now());
    if (!session)
      co_return co_await send_reply(exchange, error_reply(request, http::status::service_unavailable, kTransportError,
                                                          "Service Unavailable: no new session can be created now"));
    // Set before the session's first task is spawned on its strand, which then sees it.
    session->set_owner(exchange.grant ? exchange.grant->label : std::string());
    session->set_narrowing(narrowing_of(request));
    if (*narrowed) {
      session->mcp().tools = *narrowed;
      context.logger.info("session_tools", {{"session", session->label()}, {"tools", (*narrowed)->listed().size()}});
    }
  } else {
    auto found = co_await find_or_adopt_session(context, request, exchange.grant);
    if (found.refusal) co_return co_await send_reply(exchange, std::move(*found.refusal));
    session = std::move(found.session);
    if (*narrowed) {
      const bool same = co_await asio::co_spawn(session->strand(),
                                                keeps_session_tools(exchange.context, session, *narrowed),
                                                asio::use_awaitable);
      if (!same)
        co_return co_await send_reply(
            exchange, error_reply(request, http::status::bad_request, kTransportError,
                                  "Bad Request: this session's tools were chosen when it started (X-MCP-Toolsets, "
                                  "X-MCP-Tools, X-MCP-Exclude-Tools, X-MCP-Readonly or their query parameters); "
                                  "a later request cannot change them. Start a new session to choose other tools."));
    }
  }
  SessionUse use(session);

  if (message.kind != jsonrpc::Message::Kind::request) {
    // Handled before the 202, so the client's next message sees its effect.
    co_await asio::co_spawn(session->strand(), run_notification(exchange.context, session, std::move(message)),
                            asio::use_awaitable);
    co_return co_await send_reply(exchange, empty_reply(request, http::status::accepted));
  }

  // A reply that may become an event stream holds one of the session's stream places.
  StreamPlace place;
  if (sse_ok) {
    if (!session->take_stream_place(context.options.max_streams_per_session)) {
      if (initialize && context.sessions.remove(session->id())) session->end();
      co_return co_await send_reply(exchange, overloaded_reply(request, "this session has too many open streams"));
    }
    place = StreamPlace(session);
  }
  const json::value id = message.id;
  auto posted = std::make_shared<PostedRequest>(co_await asio::this_coro::executor, sse_ok);
  context.tasks.spawn(session->strand(), run_request(exchange.context, session, posted, std::move(message), std::move(chosen.account)));
  const auto drop_new_session = [&] {
    if (initialize && context.sessions.remove(session->id())) session->end();
  };

  // Notifications before the response turn the reply into an event stream; otherwise the
  // response goes back as plain JSON.
  std::optional<SseWriter> sse;
  const auto open_stream = [&] {
    sse.emplace(exchange.stream, context.options.write_timeout, std::to_string(session->next_stream_number()));
    const bool announce = initialize && !session->ended();  // a refused initialize makes no session
    return sse->start(request, announce ? std::optional<std::string>(session->id()) : std::nullopt);
  };
  for (;;) {
    auto next = co_await (posted->queue.pop() || wait_for_disconnect(exchange.stream, exchange.buffer));
    if (next.index() == 1) {
      abandon(context, session, *posted, id);
      drop_new_session();
      co_return false;
    }
    auto& notification = std::get<0>(next);
    if (!notification) break;
    if (!sse_ok) continue;  // no stream wanted: progress is dropped, the answer comes as JSON
    // No co_await inside && or ||: g++ 12 evaluates it even when the expression short-circuits.
    boost::system::error_code failed;
    if (!sse) failed = co_await open_stream();
    if (!failed) failed = co_await sse->event(*notification);
    if (failed) {
      abandon(context, session, *posted, id);
      drop_new_session();
      co_return false;
    }
  }

  const std::optional<json::object>& response = posted->response;
  const bool session_started = initialize && response && response->contains("result");
  if (initialize && !session_started) drop_new_session();
  if (session_started) context.logger.info("session_created", {{"session", session->label()}});

  if (!sse && response && json_ok) {
    place.leave();  // like the in-flight place, given up as the answer goes out
    HttpResponse reply = json_reply(request, http::status::ok, *response);
    if (session_started) reply.set(kSessionHeader, session->id());
    co_return co_await send_reply(exchange, std::move(reply));
  }
  // Cancelled (no response is due) and no stream wanted: nothing to say.
  if (!sse && !response && !sse_ok) co_return co_await send_reply(exchange, empty_reply(request, http::status::accepted));
  if (!sse) {
    if (co_await open_stream()) co_return false;
  }
  in_flight_place.leave();  // the answer goes out now
  place.leave();
  if (response) {
    if (co_await sse->event(jsonrpc::serialize(*response))) co_return false;
  }
  if (co_await sse->finish()) co_return false;
  co_return sse->reusable() && !context.draining;
}

}  // namespace kmcp
