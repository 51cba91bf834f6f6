#pragma once
// Counts work under way (tasks, requests being answered) so shutdown can wait for the last of
// it. Thread-safe; one waiter at a time.
#include <atomic>
#include <cstddef>
#include <memory>

#include "server/core/json.hpp"
#include "server/transport/notifier.hpp"

namespace kmcp {

class ActivityCount {
  struct Impl {
    explicit Impl(asio::any_io_executor executor) : finished(std::move(executor)) {}
    std::atomic<std::size_t> count{0};
    Notifier finished;
  };

 public:
  // One unit of work, counted until leave() or destruction. Move-only; may outlive the count's
  // owner (it shares the counter).
  class Scope {
   public:
    Scope() = default;
    explicit Scope(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
    Scope(Scope&& other) noexcept = default;
    Scope& operator=(Scope&& other) noexcept {
      if (this != &other) {
        leave();
        impl_ = std::move(other.impl_);
      }
      return *this;
    }
    ~Scope() { leave(); }
    void leave() {
      if (auto impl = std::move(impl_)) {
        impl->count.fetch_sub(1);
        impl->finished.notify();
      }
    }

   private:
    std::shared_ptr<Impl> impl_;
  };

  explicit ActivityCount(asio::any_io_executor executor) : impl_(std::make_shared<Impl>(std::move(executor))) {}

  Scope enter() {
    impl_->count.fetch_add(1);
    return Scope(impl_);
  }
  std::size_t size() const { return impl_->count.load(); }
  // Returns once nothing is counted. Cancellable.
  asio::awaitable<void> wait_idle() {
    while (impl_->count.load() != 0) co_await impl_->finished.wait();
  }
  // Returns after the next leave() (or at once if nothing is counted). Cancellable.
  asio::awaitable<void> wait_any() {
    if (impl_->count.load() != 0) co_await impl_->finished.wait();
  }

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kmcp
