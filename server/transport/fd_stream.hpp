#pragma once
// Asynchronous reads and writes on an inherited file descriptor (stdin/stdout). Pipes, ttys,
// character devices and sockets are polled by the io_context; anything else (a regular file
// redirected to stdin or stdout, which epoll refuses) is served by blocking calls on a private
// one-thread pool, so the io threads never block either way.
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

#include "server/core/json.hpp"

namespace kmcp {

class FdStream {
 public:
  // Works on a duplicate of `fd`: closing this stream leaves the caller's descriptor open.
  // Throws std::system_error when `fd` is not an open descriptor.
  FdStream(asio::any_io_executor executor, int fd);
  ~FdStream();
  FdStream(const FdStream&) = delete;
  FdStream& operator=(const FdStream&) = delete;

  // Reads what is available (at least one byte); asio::error::eof at end of input.
  asio::awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(asio::mutable_buffer buffer);
  // Writes all of `buffer`.
  asio::awaitable<boost::system::error_code> write_all(asio::const_buffer buffer);
  // Aborts a pending poll-driven read or write (operation_aborted). A blocking read of a
  // regular file ends on its own; it is not interrupted. Call from the stream's executor.
  void cancel();
  // Closes this stream's duplicate (the peer sees EOF once no other copy is open). Call from
  // the stream's executor, with no operation pending.
  void close();
  // Whether the descriptor is polled (false: blocking calls on the private thread).
  bool polled() const { return descriptor_.has_value(); }

 private:
  std::optional<asio::posix::stream_descriptor> descriptor_;
  int original_flags_ = -1;                      // restored on close (see fd_stream.cpp)
  int blocking_fd_ = -1;                         // owned duplicate when not polled
  std::unique_ptr<asio::thread_pool> blocking_;  // runs the blocking calls
};

}  // namespace kmcp
