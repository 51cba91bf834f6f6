#pragma once
// Open HTTP connections, so shutdown can close each one, idle keep-alive ones included.
// Thread-safe.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "server/transport/http_stream.hpp"

namespace kmcp {

class ConnectionSet {
 public:
  using Stream = HttpStream;

  // Registers a connection; nullopt once closed (the caller then drops the connection).
  std::optional<std::uint64_t> add(std::shared_ptr<Stream> stream);
  void remove(std::uint64_t id);
  // Closes every connection, each on its own executor, and refuses new ones.
  void close_all();
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<Stream>> streams_;
  std::uint64_t next_ = 0;
  bool closed_ = false;
};

}  // namespace kmcp
