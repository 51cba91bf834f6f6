#include "server/transport/connection_set.hpp"

#include <vector>

namespace kmcp {

std::optional<std::uint64_t> ConnectionSet::add(std::shared_ptr<Stream> stream) {
  std::lock_guard lock(mutex_);
  if (closed_) return std::nullopt;
  const std::uint64_t id = ++next_;
  streams_.emplace(id, std::move(stream));
  return id;
}

void ConnectionSet::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  streams_.erase(id);
}

void ConnectionSet::close_all() {
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& [id, stream] : streams_) streams.push_back(stream);
  }
  // A stream is not thread-safe: close it where its own coroutine runs.
  for (auto& stream : streams)
    asio::post(stream->get_executor(), [stream] { stream->close(); });
}

std::size_t ConnectionSet::size() const {
  std::lock_guard lock(mutex_);
  return streams_.size();
}

}  // namespace kmcp
