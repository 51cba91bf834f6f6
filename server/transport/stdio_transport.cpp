#include "server/transport/stdio_transport.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <atomic>
#include <optional>
#include <vector>

#include "server/mcp/dispatcher.hpp"
#include "server/mcp/jsonrpc.hpp"
#include "server/mcp/session.hpp"
#include "server/transport/client_watch.hpp"
#include "server/transport/fd_stream.hpp"
#include "server/transport/line_framer.hpp"
#include "server/transport/message_queue.hpp"
#include "server/transport/notifier.hpp"
#include "server/transport/queue_sink.hpp"
#include "server/transport/task_group.hpp"

namespace kmcp {

namespace {

// How the run ends, in increasing urgency: a later, more urgent request overrides.
enum class Ending {
  serving,
  drain,   // signal: calls under way get the grace period
  cancel,  // the client is gone (stdin EOF, stdout broken) or stop(): cancel calls now
};

// Everything here is touched only on `strand`, except the outbox, the task count, the
// notifiers and `ended`, which are thread-safe.
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
        tasks(strand, logger),
        cut_short(strand),
        last_reply_queued(strand) {}

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
  Ending ending = Ending::serving;
  std::string ending_reason;
  std::atomic<bool> ended{false};  // ending != serving, readable from any thread
  Notifier cut_short;              // ending became `cancel`: end the grace period now
  // Set when the outbox is closed, then moved on as each line is written: a line not written
  // by then is abandoned.
  std::optional<std::chrono::steady_clock::time_point> flush_deadline;
  Notifier last_reply_queued;      // flush_deadline was set
  std::size_t calls_cancelled = 0;
  std::size_t lines_dropped = 0;
};

constexpr std::size_t kReadChunk = 64 * 1024;

// On the strand. Stops reading; `how` decides what becomes of calls under way.
void begin_ending(StdioState& state, Ending how, std::string_view reason) {
  if (how <= state.ending) return;
  if (state.ending == Ending::serving) state.ending_reason = reason;
  state.ending = how;
  state.ended = true;
  state.input.cancel();
  if (how == Ending::cancel) state.cut_short.notify();
}

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
  if (reply) state->outbox.push(jsonrpc::serialize(*reply));
}

void accept_line(const std::shared_ptr<StdioState>& state, const std::string& line) {
  jsonrpc::Message message = jsonrpc::parse(line);
  if (message.kind == jsonrpc::Message::Kind::invalid) {
    if (!message.error_reply.empty()) state->outbox.push(json::serialize(message.error_reply));
    return;
  }
  state->tasks.spawn(state->strand, handle_message(state, std::move(message)));
}

// After reading stopped: a drain lets calls finish within the grace period; then whatever is
// still running is cancelled and waited for, and the outbox closes with a flush deadline.
asio::awaitable<void> finish_calls(std::shared_ptr<StdioState> state) {
  using namespace asio::experimental::awaitable_operators;
  // Let messages spawned just now start (and register their calls) before cancelling: the
  // strand runs queued work in order.
  co_await asio::post(state->strand, asio::use_awaitable);
  state->logger.info("draining", {{"reason", state->ending_reason},
                                  {"in_flight", state->tasks.size()},
                                  {"grace_ms", state->ending == Ending::drain ? state->options.shutdown_grace.count() : 0}});
  if (state->ending == Ending::drain && state->tasks.size() != 0)
    co_await (state->tasks.wait_idle() || sleep_for(state->options.shutdown_grace) || state->cut_short.wait());
  state->calls_cancelled = state->session.in_flight.size();
  state->session.cancel_all();
  while (state->tasks.size() != 0) {
    co_await state->tasks.wait_any();
    state->session.cancel_all();
  }
  state->flush_deadline = std::chrono::steady_clock::now() + state->options.flush_timeout;
  state->last_reply_queued.notify();
  state->outbox.close();
}

// Reads stdin until EOF, drain() or stop(), then finishes the calls under way.
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
  while (state->ending == Ending::serving) {
    auto [ec, n] = co_await state->input.read_some(asio::buffer(buffer));
    framer.feed(std::string_view(buffer.data(), n), handler);
    if (ec == asio::error::eof) {
      framer.finish(handler);  // a last line without newline still counts
      begin_ending(*state, Ending::cancel, "stdin_closed");
    } else if (ec == asio::error::operation_aborted) {
      // begin_ending() cancelled the read and already decided how the run ends.
    } else if (ec) {
      state->logger.error("stdin_read_failed", {{"error", ec.message()}});
      begin_ending(*state, Ending::cancel, "stdin_failed");
    }
  }
  co_await finish_calls(state);
}

// Resolves once the flush deadline has passed (it is set when the last reply is queued); until
// then, only cancellation ends it.
asio::awaitable<void> flush_deadline_passed(std::shared_ptr<StdioState> state) {
  while (!state->flush_deadline) {
    co_await state->last_reply_queued.wait();
    // Separate statements: g++ 12 miscompiles a co_await inside a larger expression here.
    const asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    if (cancellation.cancelled() != asio::cancellation_type::none) co_return;
  }
  const auto left = *state->flush_deadline - std::chrono::steady_clock::now();
  co_await sleep_for(left);
}

// One line to stdout; timed_out when the flush deadline passes first (the client is not
// reading), which abandons the write.
asio::awaitable<boost::system::error_code> write_line(std::shared_ptr<StdioState> state, const std::string& line) {
  using namespace asio::experimental::awaitable_operators;
  auto outcome = co_await (state->output.write_all(asio::buffer(line)) || flush_deadline_passed(state));
  if (outcome.index() == 1) co_return asio::error::timed_out;
  co_return std::get<0>(outcome);
}

// The only writer of stdout: one message per line.
asio::awaitable<void> write_messages(std::shared_ptr<StdioState> state) {
  bool broken = false;
  while (auto line = co_await state->outbox.pop()) {
    if (broken) {
      ++state->lines_dropped;  // drain, so nothing waits on a client that is gone
      continue;
    }
    line->push_back('\n');
    // The flush timeout bounds a client that stopped reading, not one that reads slowly: each
    // line gets it afresh.
    if (state->flush_deadline) state->flush_deadline = std::chrono::steady_clock::now() + state->options.flush_timeout;
    if (auto ec = co_await write_line(state, *line)) {
      state->logger.warn(ec == asio::error::timed_out ? "stdout_flush_timeout" : "stdout_write_failed",
                         {{"error", ec.message()}});
      broken = true;
      ++state->lines_dropped;
      // Nobody can hear us any more.
      begin_ending(*state, Ending::cancel, "stdout_closed");
    }
  }
}

asio::awaitable<void> serve(std::shared_ptr<StdioState> state) {
  using namespace asio::experimental::awaitable_operators;
  co_await (read_messages(state) && write_messages(state));
  // Done with both: the client sees EOF on our stdout now, not only when the process exits.
  state->input.close();
  state->output.close();
  state->logger.info("stopped", {{"calls_cancelled", state->calls_cancelled}, {"lines_dropped", state->lines_dropped}});
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

void StdioTransport::drain() {
  asio::post(state_->strand, [state = state_] { begin_ending(*state, Ending::drain, "signal"); });
}

void StdioTransport::stop() {
  asio::post(state_->strand, [state = state_] { begin_ending(*state, Ending::cancel, "stop"); });
}

bool StdioTransport::draining() const { return state_->ended.load(); }

}  // namespace kmcp
