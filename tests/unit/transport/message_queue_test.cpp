#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "server/transport/message_queue.hpp"
#include "server/transport/task_group.hpp"
#include "tests/unit/transport/transport_harness.hpp"

namespace kmcp {

TEST_CASE("queue: messages come out in order; close drains, then ends; pushes after close are refused") {
  asio::io_context io;
  MessageQueue queue(io.get_executor());
  CHECK(queue.push("a"));
  CHECK(queue.push("b"));
  queue.close();
  CHECK_FALSE(queue.push("c"));
  CHECK(test::run_on(io, queue.pop()) == std::optional<std::optional<std::string>>(std::string("a")));
  CHECK(test::run_on(io, queue.pop()) == std::optional<std::optional<std::string>>(std::string("b")));
  auto end = test::run_on(io, queue.pop());
  REQUIRE(end.has_value());
  CHECK_FALSE(end->has_value());
}

TEST_CASE("queue: a waiting pop wakes for pushes from other threads, none lost") {
  asio::io_context io;
  MessageQueue queue(io.get_executor());
  constexpr int kPerThread = 500;
  std::vector<std::thread> producers;
  for (int t = 0; t < 3; ++t)
    producers.emplace_back([&queue, t] {
      for (int i = 0; i < kPerThread; ++i) queue.push(std::to_string(t) + ":" + std::to_string(i));
    });
  auto consume = [&]() -> asio::awaitable<int> {
    int count = 0;
    std::vector<int> next(3, 0);
    while (auto m = co_await queue.pop()) {
      const int t = (*m)[0] - '0';
      CHECK(*m == std::to_string(t) + ":" + std::to_string(next[t]));  // per-producer order kept
      ++next[t];
      if (++count == 3 * kPerThread) break;
    }
    co_return count;
  };
  auto count = test::run_on(io, consume());
  for (auto& p : producers) p.join();
  CHECK(count == std::optional<int>(3 * kPerThread));
}

TEST_CASE("queue: a cancelled pop returns nothing and loses no message") {
  asio::io_context io;
  MessageQueue queue(io.get_executor());
  asio::cancellation_signal signal;
  bool done = false;
  std::optional<std::string> got = std::string("unset");
  asio::co_spawn(io, queue.pop(), asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr, std::optional<std::string> m) {
                   done = true;
                   got = std::move(m);
                 }));
  io.poll();
  CHECK_FALSE(done);
  signal.emit(asio::cancellation_type::terminal);
  io.run_for(test::kBound);
  CHECK(done);
  CHECK_FALSE(got.has_value());
  queue.push("later");
  CHECK(test::run_on(io, queue.pop()) == std::optional<std::optional<std::string>>(std::string("later")));
}

TEST_CASE("task group: counts tasks, logs escaping exceptions, wait_idle returns after the last") {
  asio::io_context io;
  std::ostringstream log_text;
  Logger logger(log_text, LogLevel::debug);
  TaskGroup tasks(io.get_executor(), logger);
  asio::steady_timer gate(io, asio::steady_timer::time_point::max());
  auto waits = [&]() -> asio::awaitable<void> {
    auto [ec] = co_await gate.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
  };
  auto throws = []() -> asio::awaitable<void> {
    throw std::runtime_error("boom");
    co_return;
  };
  tasks.spawn(io.get_executor(), waits());
  tasks.spawn(io.get_executor(), waits());
  tasks.spawn(io.get_executor(), throws());
  io.poll();
  CHECK(tasks.size() == 2);
  CHECK(log_text.str().find("\"task_failed\"") != std::string::npos);
  CHECK(log_text.str().find("boom") != std::string::npos);

  auto idle = [&]() -> asio::awaitable<bool> {
    co_await tasks.wait_idle();
    co_return true;
  };
  bool finished = false;
  asio::co_spawn(io, idle(), [&](std::exception_ptr, bool) { finished = true; });
  io.poll();
  CHECK_FALSE(finished);
  gate.cancel();
  io.run_for(test::kBound);
  CHECK(finished);
  CHECK(tasks.size() == 0);
}

}  // namespace kmcp
