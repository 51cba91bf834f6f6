#include "server/transport/task_group.hpp"

#include <exception>

namespace kmcp {

TaskGroup::TaskGroup(asio::any_io_executor executor, Logger& logger) : running_(std::move(executor)), logger_(logger) {}

void TaskGroup::spawn(asio::any_io_executor executor, asio::awaitable<void> task) {
  // The completion handler may run after the group is gone: it holds only the shared count, and
  // the logger, which outlives every transport.
  asio::co_spawn(std::move(executor), std::move(task),
                 [scope = running_.enter(), logger = &logger_](std::exception_ptr error) mutable {
                   if (error) {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       logger->error("task_failed", {{"error", e.what()}});
                     } catch (...) {
                       logger->error("task_failed", {{"error", "unknown exception"}});
                     }
                   }
                   scope.leave();
                 });
}

}  // namespace kmcp
