#include "server/transport/message_queue.hpp"

namespace kmcp {

bool MessageQueue::push(std::string message) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    items_.push_back(std::move(message));
  }
  ready_.notify();
  return true;
}

void MessageQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify();
}

bool MessageQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

asio::awaitable<std::optional<std::string>> MessageQueue::pop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!items_.empty()) {
        std::string next = std::move(items_.front());
        items_.pop_front();
        co_return next;
      }
      if (closed_) co_return std::nullopt;
    }
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return std::nullopt;
    co_await ready_.wait();
    state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return std::nullopt;
  }
}

}  // namespace kmcp
