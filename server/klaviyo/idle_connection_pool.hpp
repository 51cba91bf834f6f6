#pragma once
// Idle keep-alive connections of one client. Thread-safe: the io_context may run on several
// threads; the mutex guards only the container and is never held across I/O.
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "server/klaviyo/upstream_connection.hpp"

namespace kmcp {

class IdleConnectionPool {
 public:
  explicit IdleConnectionPool(std::size_t capacity) : capacity_(capacity) {}

  // The most recently used idle connection that still looks healthy, or null. Unhealthy ones
  // met on the way are closed.
  std::unique_ptr<UpstreamConnection> take();
  // Keeps `connection` for reuse, or closes it when the pool is full.
  void give(std::unique_ptr<UpstreamConnection> connection);
  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<UpstreamConnection>> idle_;
};

}  // namespace kmcp
