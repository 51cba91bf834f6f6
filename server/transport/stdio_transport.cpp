#include "server/transport/stdio_transport.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <vector>

#include "server/mcp/dispatcher.hpp"
#include "server/mcp/jsonrpc.hpp"
#include "server/mcp/session.hpp"
#include "server/transport/fd_stream.hpp"
#include "server/transport/line_framer.hpp"
#include "server/transport/message_queue.hpp"
#include "server/transport/queue_sink.hpp"
#include "server/transport/task_group.hpp"

namespace kmcp {

namespace {

// Everything here is touched only on `strand`, except the outbox and the task count, which
// are thread-safe.
struct StdioState {
  StdioState(asio::any_io_executor executor, Dispatcher& dispatcher, Logger& logger, StdioOptions options)
      : strand(asio::make_strand(executor)),
        dispatcher(dispatcher),
        logger(logger),
        options(options),
        input(strand, options.in_fd),
        output(strand, options.out_fd),
        outbox(strand),
        sink(outbox),
        tasks(strand, logger) {}

  asio::strand<asio::any_io_executor> strand;
  Dispatcher& dispatcher;
  Logger& logger;
  StdioOptions options;
  FdStream input;
  FdStream output;
  McpSession session;
  MessageQueue outbox;  // every line for stdout goes through here, to the one writer
  QueueSink sink;
  TaskGroup tasks;      // one per message being handled
  bool stopping = false;
};

constexpr std::size_t kReadChunk = 64 * 1024;

// One message, in its own coroutine so a later one (notifications/cancelled) can overtake it.
asio::awaitable<void> handle_message(std::shared_ptr<StdioState> state, jsonrpc::Message message) {
  const bool is_request = message.kind == jsonrpc::Message::Kind::request;
  const json::value id = message.id;
  std::optional<json::object> reply;
  try {
    reply = co_await state->dispatcher.handle(std::move(message), state->session, state->sink);
  } catch (const std::exception& e) {
    state->logger.error("dispatch_failed", {{"error", e.what()}});
    if (is_request) reply = jsonrpc::make_error(id, jsonrpc::kInternalError, "Internal error");
  }
  if (reply) state->outbox.push(json::serialize(*reply));
}

void accept_line(const std::shared_ptr<StdioState>& state, const std::string& line) {
  jsonrpc::Message message = jsonrpc::parse(line);
  if (message.kind == jsonrpc::Message::Kind::invalid) {
    if (!message.error_reply.empty()) state->outbox.push(json::serialize(message.error_reply));
    return;
  }
  state->tasks.spawn(state->strand, handle_message(state, std::move(message)));
}

// Reads stdin until EOF or stop(), then cancels what is still running and waits for it.
asio::awaitable<void> read_messages(std::shared_ptr<StdioState> state) {
  const std::size_t limit = state->options.max_line_bytes;
  LineFramer framer(limit);
  const LineFramer::Handler handler{
      [&](std::string line) { accept_line(state, line); },
      [&] {
        state->logger.warn("line_too_long", {{"limit", limit}});
        state->outbox.push(json::serialize(jsonrpc::make_error(
            nullptr, jsonrpc::kInvalidRequest, "Message longer than " + std::to_string(limit) + " bytes")));
      }};
  std::vector<char> buffer(kReadChunk);
  bool at_eof = false;
  while (!state->stopping) {
    auto [ec, n] = co_await state->input.read_some(asio::buffer(buffer));
    framer.feed(std::string_view(buffer.data(), n), handler);
    if (ec) {
      at_eof = ec == asio::error::eof;
      if (!at_eof && ec != asio::error::operation_aborted) state->logger.error("stdin_read_failed", {{"error", ec.message()}});
      break;
    }
  }
  if (at_eof && !state->stopping) framer.finish(handler);
  state->logger.debug("stdin_closed", {{"eof", at_eof}, {"in_flight", state->tasks.size()}});
  state->stopping = true;

  // Let messages spawned just now start (and register their calls) before cancelling: the
  // strand runs queued work in order.
  co_await asio::post(state->strand, asio::use_awaitable);
  state->session.cancel_all();
  while (state->tasks.size() != 0) {
    co_await state->tasks.wait_any();
    state->session.cancel_all();
  }
  state->outbox.close();
}

// The only writer of stdout: one message per line.
asio::awaitable<void> write_messages(std::shared_ptr<StdioState> state) {
  bool broken = false;
  while (auto line = co_await state->outbox.pop()) {
    if (broken) continue;  // drain, so nothing waits on a client that is gone
    line->push_back('\n');
    if (auto ec = co_await state->output.write_all(asio::buffer(*line))) {
      state->logger.warn("stdout_write_failed", {{"error", ec.message()}});
      broken = true;
      // Nobody can hear us any more: stop reading as if stop() had been called.
      state->stopping = true;
      state->input.cancel();
    }
  }
}

asio::awaitable<void> serve(std::shared_ptr<StdioState> state) {
  using namespace asio::experimental::awaitable_operators;
  co_await (read_messages(state) && write_messages(state));
  // Done with both: the client sees EOF on our stdout now, not only when the process exits.
  state->input.close();
  state->output.close();
}

}  // namespace

struct StdioTransport::State : StdioState {
  using StdioState::StdioState;
};

StdioTransport::StdioTransport(asio::any_io_executor executor, Dispatcher& dispatcher, Logger& logger,
                               StdioOptions options)
    : state_(std::make_shared<State>(std::move(executor), dispatcher, logger, options)) {}

asio::awaitable<void> StdioTransport::run() {
  std::shared_ptr<StdioState> state = state_;
  co_await asio::co_spawn(state->strand, serve(state), asio::use_awaitable);
}

void StdioTransport::stop() {
  asio::post(state_->strand, [state = state_] {
    state->stopping = true;
    state->input.cancel();
  });
}

}  // namespace kmcp
