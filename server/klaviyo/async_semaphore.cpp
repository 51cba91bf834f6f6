#include "server/klaviyo/async_semaphore.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <mutex>

namespace kmcp {
namespace {

// A coroutine in line. Its timer expires at the deadline; being granted a permit cancels it
// early. Every call on the timer (arm, wait, cancel) is made under the semaphore's mutex, which
// is what makes waking it from another thread safe.
struct Waiter {
  explicit Waiter(asio::any_io_executor executor) : timer(std::move(executor)) {}
  asio::steady_timer timer;
  bool granted = false;
};

}  // namespace

struct AsyncSemaphore::State {
  explicit State(std::size_t permits) : available(permits) {}

  // Under `mutex`. Nobody may take a free permit while others wait: that is the FIFO promise.
  bool try_take() {
    if (available == 0 || !queue.empty()) return false;
    --available;
    return true;
  }

  // Under `mutex`: to the longest waiter if there is one, else back to the free count.
  void give_back() {
    if (queue.empty()) {
      ++available;
      return;
    }
    Waiter* next = queue.front();
    queue.pop_front();
    next->granted = true;
    next->timer.cancel();
  }

  mutable std::mutex mutex;
  std::size_t available;
  std::deque<Waiter*> queue;  // waiters live in their coroutine frames; they leave before dying
};

namespace {

// Keeps a waiter's place in line honest however its coroutine ends: on the way out it leaves
// the line, and a permit it was granted but never claimed (its frame destroyed while suspended,
// as io_context destruction does) passes on to the next in line.
class Enrolment {
 public:
  Enrolment(std::shared_ptr<AsyncSemaphore::State>& state, Waiter& waiter) : state_(state), waiter_(waiter) {}
  Enrolment(const Enrolment&) = delete;
  Enrolment& operator=(const Enrolment&) = delete;

  ~Enrolment() {
    if (claimed_) return;
    std::lock_guard lock(state_->mutex);
    if (waiter_.granted) {
      state_->give_back();
    } else {
      std::erase(state_->queue, &waiter_);
    }
  }

  // Under the mutex, from the initiation of the wait: takes a permit freed since the first try,
  // or joins the line.
  void enrol(SteadyTime deadline, auto handler) {
    std::lock_guard lock(state_->mutex);
    waiter_.timer.expires_at(deadline);
    waiter_.timer.async_wait(std::move(handler));
    if (state_->try_take()) {
      waiter_.granted = true;
      waiter_.timer.cancel();
    } else {
      state_->queue.push_back(&waiter_);
    }
  }

  // After the wait: whether a permit was granted. Either way the waiter is out of the line.
  bool claim() {
    std::lock_guard lock(state_->mutex);
    claimed_ = true;
    if (!waiter_.granted) std::erase(state_->queue, &waiter_);
    return waiter_.granted;
  }

 private:
  std::shared_ptr<AsyncSemaphore::State> state_;
  Waiter& waiter_;
  bool claimed_ = false;
};

}  // namespace

AsyncSemaphore::Permit& AsyncSemaphore::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
  }
  return *this;
}

void AsyncSemaphore::Permit::release() {
  if (!state_) return;
  {
    std::lock_guard lock(state_->mutex);
    state_->give_back();
  }
  state_.reset();
}

AsyncSemaphore::AsyncSemaphore(std::size_t permits) : state_(std::make_shared<State>(permits)) {}

asio::awaitable<boost::system::result<AsyncSemaphore::Permit>> AsyncSemaphore::acquire(SteadyTime deadline) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->try_take()) co_return Permit(state_);
  }

  Waiter waiter(co_await asio::this_coro::executor);
  Enrolment enrolment(state_, waiter);
  // The wait picks up this coroutine's cancellation slot, so cancelling the caller cancels it.
  constexpr auto token = asio::as_tuple(asio::use_awaitable);
  const auto [ec] = co_await asio::async_initiate<decltype(token), void(boost::system::error_code)>(
      [&](auto handler) { enrolment.enrol(deadline, std::move(handler)); }, token);
  // A grant wins over a deadline or cancellation landing at the same moment: the caller gets a
  // permit it can give back, rather than one lost.
  if (enrolment.claim()) co_return Permit(state_);
  if (ec == asio::error::operation_aborted) co_return asio::error::operation_aborted;
  co_return asio::error::timed_out;
}

std::size_t AsyncSemaphore::available() const {
  std::lock_guard lock(state_->mutex);
  return state_->available;
}

std::size_t AsyncSemaphore::waiting() const {
  std::lock_guard lock(state_->mutex);
  return state_->queue.size();
}

}  // namespace kmcp
