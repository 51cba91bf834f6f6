#include "server/transport/fd_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace kmcp {
namespace {

using ReadResult = std::pair<boost::system::error_code, std::size_t>;

boost::system::error_code last_error() { return {errno, boost::system::system_category()}; }

// Runs on the private pool thread, where blocking is allowed.
asio::awaitable<ReadResult> blocking_read(int fd, void* data, std::size_t size) {
  for (;;) {
    ssize_t n = ::read(fd, data, size);
    if (n > 0) co_return ReadResult{{}, static_cast<std::size_t>(n)};
    if (n == 0) co_return ReadResult{asio::error::eof, 0};
    if (errno != EINTR) co_return ReadResult{last_error(), 0};
  }
}

asio::awaitable<boost::system::error_code> blocking_write(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      co_return last_error();
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  co_return boost::system::error_code{};
}

}  // namespace

FdStream::FdStream(asio::any_io_executor executor, int fd) {
  int own = ::dup(fd);
  if (own < 0) throw std::system_error(errno, std::generic_category(), "cannot duplicate descriptor " + std::to_string(fd));
  // epoll refuses regular files (asio then reads them inline, on an io thread, which may
  // wait for the disk): those get blocking calls on a thread of their own instead.
  struct stat info {};
  const bool needs_thread = ::fstat(own, &info) == 0 && !S_ISFIFO(info.st_mode) && !S_ISSOCK(info.st_mode) &&
                       !S_ISCHR(info.st_mode);
  if (!needs_thread) {
    original_flags_ = ::fcntl(own, F_GETFL);
    asio::posix::stream_descriptor descriptor(executor);
    boost::system::error_code ec;
    descriptor.assign(own, ec);
    if (!ec) {
      descriptor_.emplace(std::move(descriptor));
      return;
    }
  }
  blocking_fd_ = own;
  blocking_ = std::make_unique<asio::thread_pool>(1);
}

FdStream::~FdStream() {
  if (blocking_) blocking_->join();
  close();
}

asio::awaitable<ReadResult> FdStream::read_some(asio::mutable_buffer buffer) {
  if (descriptor_) {
    auto [ec, n] = co_await descriptor_->async_read_some(buffer, asio::as_tuple(asio::use_awaitable));
    co_return ReadResult{ec, n};
  }
  co_return co_await asio::co_spawn(blocking_->get_executor(),
                                    blocking_read(blocking_fd_, buffer.data(), buffer.size()),
                                    asio::use_awaitable);
}

asio::awaitable<boost::system::error_code> FdStream::write_all(asio::const_buffer buffer) {
  if (descriptor_) {
    auto [ec, n] = co_await asio::async_write(*descriptor_, buffer, asio::as_tuple(asio::use_awaitable));
    (void)n;
    co_return ec;
  }
  co_return co_await asio::co_spawn(blocking_->get_executor(),
                                    blocking_write(blocking_fd_, buffer.data(), buffer.size()),
                                    asio::use_awaitable);
}

void FdStream::close() {
  if (descriptor_ && descriptor_->is_open()) {
    // asio made the descriptor non-blocking, and that flag belongs to the open file the
    // duplicate shares with the caller's fd (a terminal's stdin is also its stderr): put it
    // back as it was.
    if (original_flags_ >= 0) ::fcntl(descriptor_->native_handle(), F_SETFL, original_flags_);
    boost::system::error_code ignored;
    descriptor_->close(ignored);
  } else if (blocking_fd_ >= 0) {
    ::close(blocking_fd_);
    blocking_fd_ = -1;
  }
}

void FdStream::cancel() {
  if (descriptor_) descriptor_->cancel();
}

}  // namespace kmcp
