#pragma once
// Drives a BeastUpstreamClient from synchronous test code: the client's io_context runs on its
// own threads, and every wait on a result is bounded.
#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "server/klaviyo/beast_upstream_client.hpp"
#include "tests/support/fake_upstream.hpp"

namespace kmcp::test {

using namespace std::chrono_literals;

class ClientHarness {
 public:
  explicit ClientHarness(UpstreamOptions options, unsigned threads = 1)
      : work_(io_.get_executor()), client_(io_.get_executor(), std::move(options)) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~ClientHarness() {
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }

  // Starts a call; `cancel` (when given) is bound as its cancellation slot. The signal must
  // only be emitted on the io threads, see emit().
  std::future<UpstreamResult> start(UpstreamRequest request, SteadyTime deadline,
                                    asio::cancellation_signal* cancel = nullptr) {
    auto promise = std::make_shared<std::promise<UpstreamResult>>();
    auto future = promise->get_future();
    asio::post(io_, [this, promise, cancel, request = std::move(request), deadline]() mutable {
      auto done = [promise](std::exception_ptr error, UpstreamResult result) {
        if (error) {
          promise->set_exception(error);
        } else {
          promise->set_value(std::move(result));
        }
      };
      if (cancel != nullptr) {
        asio::co_spawn(io_, client_.send(std::move(request), deadline, {}),
                       asio::bind_cancellation_slot(cancel->slot(), std::move(done)));
      } else {
        asio::co_spawn(io_, client_.send(std::move(request), deadline, {}), std::move(done));
      }
    });
    return future;
  }

  // Sends and waits for the result, at most the deadline plus a grace period.
  UpstreamResult send(UpstreamRequest request, std::chrono::milliseconds timeout = 5s) {
    auto future = start(std::move(request), std::chrono::steady_clock::now() + timeout);
    REQUIRE(future.wait_for(timeout + 5s) == std::future_status::ready);
    return future.get();
  }

  void emit(asio::cancellation_signal& signal) {
    asio::post(io_, [&signal] { signal.emit(asio::cancellation_type::terminal); });
  }

  BeastUpstreamClient& client() { return client_; }

  // Waits until the pool's stats satisfy `condition`, at most `timeout`; false if they never do.
  template <class Condition>
  bool wait_for_pool(Condition condition, std::chrono::milliseconds timeout = 5s) const {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    while (!condition(client_.pool_stats())) {
      if (std::chrono::steady_clock::now() >= give_up) return false;
      std::this_thread::sleep_for(1ms);  // polling a state no event reports
    }
    return true;
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  BeastUpstreamClient client_;
  std::vector<std::thread> threads_;
};

inline UpstreamOptions options_for(const FakeUpstream& fake) {
  UpstreamOptions options;
  options.base_url = fake.base_url();
  options.ca_file = fake.ca_file();
  return options;
}

inline UpstreamRequest get_request(std::string target) {
  UpstreamRequest request;
  request.target = std::move(target);
  return request;
}

}  // namespace kmcp::test
