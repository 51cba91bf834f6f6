#include "server/transport/task_group.hpp"

#include <exception>

namespace kmcp {

TaskGroup::TaskGroup(asio::any_io_executor executor, Logger& logger)
    : impl_(std::make_shared<Impl>(std::move(executor), logger)) {}

void TaskGroup::spawn(asio::any_io_executor executor, asio::awaitable<void> task) {
  impl_->count.fetch_add(1);
  asio::co_spawn(std::move(executor), std::move(task), [impl = impl_](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        impl->logger.error("task_failed", {{"error", e.what()}});
      } catch (...) {
        impl->logger.error("task_failed", {{"error", "unknown exception"}});
      }
    }
    impl->count.fetch_sub(1);
    impl->finished.notify();
  });
}

asio::awaitable<void> TaskGroup::wait_idle() {
  while (impl_->count.load() != 0) co_await impl_->finished.wait();
}

asio::awaitable<void> TaskGroup::wait_any() {
  if (impl_->count.load() != 0) co_await impl_->finished.wait();
}

}  // namespace kmcp
