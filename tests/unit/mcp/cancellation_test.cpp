// Cancelling a tools/call under way: by notifications/cancelled, by cancelling the awaiting
// coroutine, by session.cancel_all(). A cancelled call is never answered.
#include <doctest/doctest.h>

#include "tests/unit/mcp/dispatcher_harness.hpp"

namespace kmcp::test {
namespace {

const std::string kLongCall = request(1, "tools/call", {{"name", "tool_000"}});

// Starts the long call and runs it up to its timer wait.
std::shared_ptr<Harness::Pending> start_waiting(Harness& h, std::string_view text = kLongCall,
                                                asio::cancellation_slot slot = {}) {
  auto pending = h.start(text, slot);
  h.poll();
  REQUIRE(h.runner.started);
  REQUIRE_FALSE(pending->done);
  return pending;
}

}  // namespace

TEST_CASE("notifications/cancelled stops the call and nothing is answered") {
  for (RunnerMode mode : {RunnerMode::wait, RunnerMode::wait_and_throw}) {
    CAPTURE(static_cast<int>(mode));
    Harness h;
    h.runner.mode = mode;
    auto call = start_waiting(h);
    CHECK(h.session.in_flight.size() == 1);
    CHECK(h.session.in_flight.contains("1"));

    auto cancel = h.start(notification("notifications/cancelled", {{"requestId", 1}, {"reason", "user gave up"}}));
    h.run();

    CHECK(cancel->done);
    CHECK_FALSE(cancel->reply.has_value());
    REQUIRE(call->done);
    CHECK_FALSE(call->error);
    CHECK_FALSE(call->reply.has_value());
    CHECK(h.runner.saw_cancellation);
    CHECK(h.session.in_flight.empty());
    CHECK(h.sink.messages.empty());
  }
}

TEST_CASE("cancelling the coroutine awaiting handle() stops the call too") {
  asio::cancellation_signal transport;  // outlives the harness, whose io_context holds its slot
  Harness h;
  h.runner.mode = RunnerMode::wait_and_throw;
  auto call = start_waiting(h, kLongCall, transport.slot());
  transport.emit(asio::cancellation_type::terminal);
  h.run();
  REQUIRE(call->done);
  CHECK_FALSE(call->reply.has_value());
  CHECK(h.runner.saw_cancellation);
  CHECK(h.session.in_flight.empty());
}

TEST_CASE("session.cancel_all() stops every call under way") {
  Harness h;
  h.runner.mode = RunnerMode::wait_and_throw;
  auto first = start_waiting(h, request(1, "tools/call", {{"name", "tool_000"}}));
  auto second = start_waiting(h, request("two", "tools/call", {{"name", "tool_001"}}));
  CHECK(h.session.in_flight.size() == 2);
  h.session.cancel_all();
  h.run();
  REQUIRE(first->done);
  REQUIRE(second->done);
  CHECK_FALSE(first->reply.has_value());
  CHECK_FALSE(second->reply.has_value());
  CHECK(h.session.in_flight.empty());
}

TEST_CASE("cancelling one call leaves the others running") {
  Harness h;
  h.runner.mode = RunnerMode::wait;
  auto first = start_waiting(h, request(1, "tools/call", {{"name", "tool_000"}}));
  auto second = start_waiting(h, request(2, "tools/call", {{"name", "tool_001"}}));

  // A string "1" is another id than the integer 1; an unknown id is ignored.
  h.start(notification("notifications/cancelled", {{"requestId", "1"}}));
  h.start(notification("notifications/cancelled", {{"requestId", 99}}));
  h.poll();
  CHECK_FALSE(first->done);
  CHECK(h.session.in_flight.size() == 2);

  h.start(notification("notifications/cancelled", {{"requestId", 1}}));
  h.poll();
  CHECK(first->done);
  CHECK_FALSE(first->reply.has_value());
  CHECK_FALSE(second->done);
  CHECK(h.session.in_flight.size() == 1);
  CHECK(h.session.in_flight.contains("2"));

  h.start(notification("notifications/cancelled", {{"requestId", 2}}));
  h.run();
  CHECK(second->done);
  CHECK(h.session.in_flight.empty());
}

TEST_CASE("a request id already in flight is refused without touching the running call") {
  Harness h;
  h.runner.mode = RunnerMode::wait;
  auto call = start_waiting(h);
  const auto duplicate = h.start(kLongCall);
  h.poll();
  REQUIRE(duplicate->done);
  CHECK(error_code(duplicate->reply) == jsonrpc::kInvalidRequest);
  CHECK(h.runner.calls == 1);
  CHECK(h.session.in_flight.size() == 1);

  h.start(notification("notifications/cancelled", {{"requestId", 1}}));
  h.run();
  CHECK(call->done);
  CHECK(h.session.in_flight.empty());
}

TEST_CASE("a call that finished is answered; a late cancel for it is ignored") {
  Harness h;
  const auto reply = h.send(kLongCall);  // echo mode: returns at once
  REQUIRE(reply);
  CHECK(reply->contains("result"));
  CHECK_FALSE(h.send(notification("notifications/cancelled", {{"requestId", 1}})).has_value());
  CHECK(h.session.in_flight.empty());
}

}  // namespace kmcp::test
