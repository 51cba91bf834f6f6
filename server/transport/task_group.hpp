#pragma once
// Coroutines a transport starts and must see finish before it returns: one per message
// (stdio), connection and request (HTTP). Counts them so shutdown can wait for the last one;
// an escaping exception is logged, never lost.
#include <memory>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/transport/activity_count.hpp"

namespace kmcp {

class TaskGroup {
 public:
  TaskGroup(asio::any_io_executor executor, Logger& logger);

  // Starts `task` on `executor` (a strand, where the task's state needs one).
  void spawn(asio::any_io_executor executor, asio::awaitable<void> task);
  std::size_t size() const { return running_.size(); }
  // Returns once no task is left. One waiter at a time.
  asio::awaitable<void> wait_idle() { return running_.wait_idle(); }
  // Returns after the next task ends (or at once if none is running). One waiter at a time.
  asio::awaitable<void> wait_any() { return running_.wait_any(); }

 private:
  ActivityCount running_;
  Logger& logger_;
};

}  // namespace kmcp
