#include <doctest/doctest.h>

#include <set>

#include "server/transport/session_id.hpp"
#include "server/transport/session_store.hpp"
#include "tests/unit/transport/transport_harness.hpp"

namespace kmcp {
namespace {
using std::chrono::minutes;
using std::chrono::seconds;
const SteadyTime kStart = SteadyTime{} + std::chrono::hours(1);
}  // namespace

TEST_CASE("session ids: 128 random bits as 32 hex digits, all distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto id = make_session_id();
    REQUIRE(id.has_value());
    CHECK(id->size() == 32);
    CHECK(id->find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(*id);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("session store: create, find, remove") {
  asio::io_context io;
  SessionStore store;
  auto a = store.create(io.get_executor(), kStart);
  auto b = store.create(io.get_executor(), kStart);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->id() != b->id());
  CHECK(a->mcp().id == a->id());
  CHECK(a->label() == a->id().substr(0, 8));
  CHECK(store.find(a->id()) == a);
  CHECK(store.find("nope") == nullptr);
  CHECK(store.remove(a->id()) == a);
  CHECK(store.find(a->id()) == nullptr);
  CHECK(store.remove(a->id()) == nullptr);
  CHECK(store.size() == 1);
}

TEST_CASE("session store: sessions idle for the timeout are removed, busy ones are kept") {
  asio::io_context io;
  SessionStore store;
  auto idle = store.create(io.get_executor(), kStart);
  auto busy = store.create(io.get_executor(), kStart);
  auto recent = store.create(io.get_executor(), kStart);
  busy->begin_use(kStart);                            // e.g. an open GET stream
  recent->begin_use(kStart + minutes(20));
  recent->end_use(kStart + minutes(21));

  CHECK(store.remove_idle(kStart + minutes(29), minutes(30)).empty());
  auto expired = store.remove_idle(kStart + minutes(30), minutes(30));
  REQUIRE(expired.size() == 1);
  CHECK(expired.front() == idle);
  CHECK(store.size() == 2);

  // Still in use long after: kept. Released: expires a full timeout after its last use.
  CHECK(store.remove_idle(kStart + minutes(120), minutes(30)).size() == 1);  // recent
  busy->end_use(kStart + minutes(120));
  CHECK(store.remove_idle(kStart + minutes(149), minutes(30)).empty());
  CHECK(store.remove_idle(kStart + minutes(150), minutes(30)).size() == 1);
  CHECK(store.size() == 0);
}

TEST_CASE("session store: close hands back every session and refuses new ones") {
  asio::io_context io;
  SessionStore store;
  store.create(io.get_executor(), kStart);
  store.create(io.get_executor(), kStart);
  CHECK(store.close().size() == 2);
  CHECK(store.size() == 0);
  CHECK(store.create(io.get_executor(), kStart) == nullptr);
}

TEST_CASE("session: one GET stream at a time; ending closes it, cancels calls, refuses a new one") {
  asio::io_context io;
  auto session = std::make_shared<HttpSession>("0123456789abcdef", io.get_executor(), kStart);
  auto first = std::make_shared<MessageQueue>(io.get_executor());
  auto second = std::make_shared<MessageQueue>(io.get_executor());
  CHECK(session->attach_stream(first));
  CHECK_FALSE(session->attach_stream(second));

  // Messages not tied to a POST reach the open stream.
  session->server_sink().send(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/x"}});
  session->detach_stream(second);  // not the attached one: no effect
  CHECK_FALSE(session->attach_stream(second));

  auto signal = std::make_shared<asio::cancellation_signal>();
  bool cancelled = false;
  signal->slot().assign([&](asio::cancellation_type) { cancelled = true; });
  session->mcp().in_flight.emplace("1", signal);

  CHECK(session->end());
  CHECK_FALSE(session->end());
  CHECK(session->ended());
  CHECK(first->closed());
  CHECK_FALSE(session->attach_stream(second));
  io.run_for(std::chrono::seconds(5));
  CHECK(cancelled);  // on the session's strand

  // The message queued before the end is still delivered, then the stream reports its end.
  auto got = test::run_on(io, first->pop());
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  CHECK((*got)->find("notifications/x") != std::string::npos);
  auto end = test::run_on(io, first->pop());
  REQUIRE(end.has_value());
  CHECK_FALSE(end->has_value());
}

}  // namespace kmcp
