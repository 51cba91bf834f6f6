// AsyncSemaphore: permits, first-come-first-served waiting, deadlines and cancellation, on an
// io_context the test drives itself (one thread unless said otherwise).
#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "server/klaviyo/async_semaphore.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;
using Permit = AsyncSemaphore::Permit;

SteadyTime far() { return std::chrono::steady_clock::now() + 1h; }

// One acquire() and what came of it; `granted` logs the ids of successful ones in order.
struct Attempt {
  int id = 0;
  std::vector<int>* granted = nullptr;
  std::optional<boost::system::result<Permit>> outcome;

  bool pending() const { return !outcome.has_value(); }
  bool holds() const { return outcome && outcome->has_value() && **outcome; }
  boost::system::error_code error() const { return outcome && outcome->has_error() ? outcome->error() : boost::system::error_code{}; }
  void release() { outcome->value().release(); }
};

asio::awaitable<void> acquire_into(AsyncSemaphore& semaphore, SteadyTime deadline, std::shared_ptr<Attempt> attempt) {
  attempt->outcome.emplace(co_await semaphore.acquire(deadline));
  if (attempt->outcome->has_value() && attempt->granted != nullptr) attempt->granted->push_back(attempt->id);
}

std::shared_ptr<Attempt> start(asio::io_context& io, AsyncSemaphore& semaphore, SteadyTime deadline, int id = 0,
                               std::vector<int>* granted = nullptr, asio::cancellation_signal* cancel = nullptr) {
  auto attempt = std::make_shared<Attempt>(Attempt{.id = id, .granted = granted});
  if (cancel != nullptr) {
    asio::co_spawn(io, acquire_into(semaphore, deadline, attempt), asio::bind_cancellation_slot(cancel->slot(), asio::detached));
  } else {
    asio::co_spawn(io, acquire_into(semaphore, deadline, attempt), asio::detached);
  }
  return attempt;
}

// Runs handlers that are ready now, without waiting for timers.
void settle(asio::io_context& io) {
  io.restart();
  io.poll();
}

// Runs `io` until `attempt` has an outcome, at most 5 s (a bound on "does not hang").
void run_until_done(asio::io_context& io, const Attempt& attempt) {
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  io.restart();
  while (attempt.pending() && std::chrono::steady_clock::now() < give_up) io.run_one_for(100ms);
  REQUIRE_FALSE(attempt.pending());
}

// A semaphore of one permit, held by attempt 0.
struct OneHeld {
  OneHeld() {
    holder = start(io, semaphore, far(), 0, &granted);
    settle(io);
  }
  asio::io_context io;
  AsyncSemaphore semaphore{1};
  std::vector<int> granted;
  std::shared_ptr<Attempt> holder;
};

}  // namespace

TEST_CASE("permits are granted at once while free, and a waiter gets one given back") {
  asio::io_context io;
  AsyncSemaphore semaphore(2);
  auto a = start(io, semaphore, far());
  auto b = start(io, semaphore, far());
  settle(io);
  CHECK(a->holds());
  CHECK(b->holds());
  CHECK(semaphore.available() == 0);

  auto c = start(io, semaphore, far());
  settle(io);
  CHECK(c->pending());
  CHECK(semaphore.waiting() == 1);

  a->release();
  settle(io);
  CHECK(c->holds());
  CHECK(semaphore.waiting() == 0);
  CHECK(semaphore.available() == 0);

  b->release();
  c->release();
  CHECK(semaphore.available() == 2);
}

TEST_CASE_FIXTURE(OneHeld, "waiters are served first come first served, and newcomers join the end of the line") {
  std::vector<std::shared_ptr<Attempt>> line;
  for (int id = 1; id <= 3; ++id) line.push_back(start(io, semaphore, far(), id, &granted));
  settle(io);
  CHECK(semaphore.waiting() == 3);

  holder->release();
  // Promised to the first in line before it even runs: nobody arriving now can take it.
  CHECK(semaphore.available() == 0);
  auto newcomer = start(io, semaphore, far(), 4, &granted);
  settle(io);
  CHECK(line[0]->holds());
  CHECK(newcomer->pending());

  for (int i = 0; i < 3; ++i) {
    line[i]->release();
    settle(io);
  }
  CHECK(newcomer->holds());
  CHECK(granted == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE_FIXTURE(OneHeld, "a waiter still in line at its deadline times out and takes nothing") {
  auto late = start(io, semaphore, std::chrono::steady_clock::now() - 1ms, 1, &granted);
  auto soon = start(io, semaphore, std::chrono::steady_clock::now() + 20ms, 2, &granted);
  auto patient = start(io, semaphore, far(), 3, &granted);

  run_until_done(io, *late);
  run_until_done(io, *soon);
  CHECK(late->error() == asio::error::timed_out);
  CHECK(soon->error() == asio::error::timed_out);
  CHECK(semaphore.waiting() == 1);

  holder->release();
  settle(io);
  CHECK(patient->holds());
  CHECK(granted == std::vector<int>{0, 3});
}

TEST_CASE("a past deadline still gets a free permit") {
  asio::io_context io;
  AsyncSemaphore semaphore(1);
  auto attempt = start(io, semaphore, std::chrono::steady_clock::now() - 1s);
  settle(io);
  CHECK(attempt->holds());
}

TEST_CASE_FIXTURE(OneHeld, "a cancelled waiter leaves the line and takes nothing") {
  asio::cancellation_signal cancel;
  auto cancelled = start(io, semaphore, far(), 1, &granted, &cancel);
  auto next = start(io, semaphore, far(), 2, &granted);
  settle(io);
  REQUIRE(semaphore.waiting() == 2);

  cancel.emit(asio::cancellation_type::terminal);
  settle(io);
  CHECK(cancelled->error() == asio::error::operation_aborted);
  CHECK(semaphore.waiting() == 1);

  holder->release();
  settle(io);
  CHECK(next->holds());
  CHECK(granted == std::vector<int>{0, 2});
  next->release();
  CHECK(semaphore.available() == 1);
}

TEST_CASE("a permit given back by a moved-from or reassigned holder is given back once") {
  asio::io_context io;
  AsyncSemaphore semaphore(2);
  auto a = start(io, semaphore, far());
  auto b = start(io, semaphore, far());
  settle(io);
  Permit first = std::move(a->outcome->value());
  CHECK_FALSE(static_cast<bool>(a->outcome->value()));
  CHECK(semaphore.available() == 0);
  first = std::move(b->outcome->value());  // gives the first permit back
  CHECK(semaphore.available() == 1);
  first.release();
  first.release();
  CHECK(semaphore.available() == 2);
}

TEST_CASE("waiters destroyed with their io_context leave the line and lose no permit") {
  auto semaphore = std::make_unique<AsyncSemaphore>(1);
  Permit held;
  {
    asio::io_context io;
    auto holder = start(io, *semaphore, far());
    settle(io);
    held = std::move(holder->outcome->value());
    start(io, *semaphore, far());
    start(io, *semaphore, far());
    start(io, *semaphore, far());
    settle(io);
    REQUIRE(semaphore->waiting() == 3);
    // Granted but never resumed: its frame must pass the permit on when destroyed.
    held.release();
    CHECK(semaphore->waiting() == 2);
  }
  CHECK(semaphore->waiting() == 0);
  CHECK(semaphore->available() == 1);

  // The state outlives the semaphore for frames still waiting on it.
  asio::io_context io;
  auto holder = start(io, *semaphore, far());
  settle(io);
  start(io, *semaphore, far());
  settle(io);
  semaphore.reset();
  holder->release();
}

TEST_CASE("on several threads the count is never exceeded and every waiter is served") {
  asio::io_context io(4);
  AsyncSemaphore semaphore(3);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> served{0};
  auto worker = [&]() -> asio::awaitable<void> {
    auto permit = co_await semaphore.acquire(far());
    if (!permit) co_return;
    const int now = ++inside;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    for (int i = 0; i < 3; ++i) co_await asio::post(io, asio::use_awaitable);  // hold it a while
    --inside;
    ++served;
  };
  for (int i = 0; i < 300; ++i) asio::co_spawn(io, worker, asio::detached);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { io.run_for(10s); });
  for (auto& thread : threads) thread.join();

  CHECK(served == 300);
  CHECK(most <= 3);
  CHECK(most >= 1);
  CHECK(semaphore.available() == 3);
  CHECK(semaphore.waiting() == 0);
}

}  // namespace kmcp
