#pragma once
// Runs one coroutine on an io_context until it finishes, for tests whose io_context never runs
// out of work on its own (a Redis connection keeps reading). Bounded: a task that does not
// finish in `limit` fails the test with an exception.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>

namespace kmcp::test {

template <class T>
T run_task(boost::asio::io_context& io, boost::asio::awaitable<T> task,
           std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  std::optional<T> out;
  std::exception_ptr failure;
  bool done = false;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) out.emplace(std::move(value));
    done = true;
  });
  const auto end = std::chrono::steady_clock::now() + limit;
  io.restart();
  while (!done && std::chrono::steady_clock::now() < end) io.run_one_for(std::chrono::milliseconds(50));
  if (!done) throw std::runtime_error("the task did not finish in time");
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace kmcp::test
