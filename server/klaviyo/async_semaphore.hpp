#pragma once
// A counting semaphore for coroutines. acquire() waits asynchronously, first come first served,
// until a permit is free, its deadline passes or the awaiting coroutine is cancelled; a waiter
// that gives up leaves the line and takes nothing. Thread-safe: permits may be taken and given
// back on any thread, and a permit given back goes straight to the longest waiter, so a caller
// arriving later cannot overtake the line.
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <memory>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"

namespace kmcp {

class AsyncSemaphore {
 public:
  struct State;  // opaque: defined and used only by the implementation

  // One permit, given back when destroyed or release()d. Keeps the semaphore's state alive, so
  // it may outlive the semaphore (coroutine frames destroyed with their io_context do).
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept = default;
    Permit& operator=(Permit&& other) noexcept;
    ~Permit() { release(); }

    explicit operator bool() const { return state_ != nullptr; }
    void release();  // gives the permit back now; then a no-op

   private:
    friend class AsyncSemaphore;
    explicit Permit(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };

  explicit AsyncSemaphore(std::size_t permits);
  AsyncSemaphore(const AsyncSemaphore&) = delete;
  AsyncSemaphore& operator=(const AsyncSemaphore&) = delete;

  // A permit; asio::error::timed_out once `deadline` passes while waiting (a past deadline
  // still gets a free permit at once), asio::error::operation_aborted when the awaiting
  // coroutine's cancellation slot fires.
  asio::awaitable<boost::system::result<Permit>> acquire(SteadyTime deadline);

  std::size_t available() const;  // free permits, none of them promised to a waiter
  std::size_t waiting() const;    // coroutines in line

 private:
  std::shared_ptr<State> state_;
};

}  // namespace kmcp
