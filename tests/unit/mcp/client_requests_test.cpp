// Server-to-client requests: sent through the sink, answered by id, bounded in time, and
// cancellable; answers to nothing we asked are dropped.
#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <vector>

#include "server/mcp/client_requests.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using Outcome = boost::system::result<json::object, ClientRequestFailure>;

struct Recorder final : MessageSink {
  void send(json::object message) override { sent.push_back(std::move(message)); }
  std::vector<json::object> sent;
};

struct Fixture {
  asio::io_context io;
  Recorder sink;
  ClientRequests requests;
  std::optional<Outcome> outcome;
  asio::cancellation_signal cancel;

  void start(std::chrono::milliseconds timeout) {
    asio::co_spawn(io, requests.request(sink, "elicitation/create", {{"message", "Go?"}}, timeout),
                   asio::bind_cancellation_slot(cancel.slot(), [this](std::exception_ptr e, Outcome o) {
                     if (e) std::rethrow_exception(e);
                     outcome = std::move(o);
                   }));
    io.poll();
  }
  json::value sent_id() const { return sink.sent.at(0).at("id"); }
};

TEST_CASE("a request goes out with an id of ours and ends with the client's result") {
  Fixture f;
  f.start(5s);
  REQUIRE(f.sink.sent.size() == 1);
  CHECK(f.sink.sent[0].at("method") == "elicitation/create");
  CHECK(f.sink.sent[0].at("params").at("message") == "Go?");
  CHECK(f.requests.waiting() == 1);
  CHECK_FALSE(f.requests.answer(json::value("someone-else"), {{"result", json::object{}}}));
  const json::value id = f.sent_id();
  CHECK(f.requests.answer(id, {{"id", id}, {"result", {{"action", "accept"}}}}));
  CHECK_FALSE(f.requests.answer(id, {{"id", id}, {"result", json::object{}}}));  // once only
  f.io.poll();
  REQUIRE(f.outcome);
  REQUIRE(f.outcome->has_value());
  CHECK((**f.outcome).at("action") == "accept");
  CHECK(f.requests.waiting() == 0);
}

TEST_CASE("an error answer carries the client's message") {
  Fixture f;
  f.start(5s);
  const json::value id = f.sent_id();
  f.requests.answer(id, {{"id", id}, {"error", {{"code", -32601}, {"message", "no elicitation here"}}}});
  f.io.poll();
  REQUIRE(f.outcome);
  REQUIRE(f.outcome->has_error());
  CHECK(f.outcome->error().kind == ClientRequestFailure::Kind::error);
  CHECK(f.outcome->error().message.find("no elicitation here") != std::string::npos);
}

TEST_CASE("no answer in time ends the wait as a timeout; a late answer is dropped") {
  Fixture f;
  f.start(1ms);
  f.io.run_for(1s);
  REQUIRE(f.outcome);
  REQUIRE(f.outcome->has_error());
  CHECK(f.outcome->error().kind == ClientRequestFailure::Kind::timeout);
  CHECK_FALSE(f.requests.answer(f.sent_id(), {{"result", json::object{}}}));
}

TEST_CASE("cancelling the waiting call ends it and tells the client") {
  Fixture f;
  f.start(5s);
  f.cancel.emit(asio::cancellation_type::terminal);
  f.io.poll();
  REQUIRE(f.outcome);
  REQUIRE(f.outcome->has_error());
  CHECK(f.outcome->error().kind == ClientRequestFailure::Kind::cancelled);
  REQUIRE(f.sink.sent.size() == 2);
  CHECK(f.sink.sent[1].at("method") == "notifications/cancelled");
  CHECK(f.sink.sent[1].at("params").at("requestId") == f.sent_id());
  CHECK(f.requests.waiting() == 0);
}

}  // namespace
}  // namespace kmcp
