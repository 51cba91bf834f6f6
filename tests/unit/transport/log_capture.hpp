#pragma once
// An ostream for a Logger that io threads write while the test thread reads and waits for a
// line: thread-safe, and wakes waiters on every write.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace kmcp::test {

class LogCapture : public std::ostream {
 public:
  LogCapture() : std::ostream(&buffer_) {}

  std::string str() const {
    std::lock_guard lock(buffer_.mutex);
    return buffer_.text;
  }
  // Whether `needle` was written within `bound`.
  bool wait_for(std::string_view needle, std::chrono::milliseconds bound) const {
    std::unique_lock lock(buffer_.mutex);
    return buffer_.grew.wait_for(lock, bound, [&] { return buffer_.text.find(needle) != std::string::npos; });
  }

 private:
  // No put area: every write reaches xsputn() or overflow().
  struct Buffer : std::streambuf {
    std::streamsize xsputn(const char* data, std::streamsize size) override {
      {
        std::lock_guard lock(mutex);
        text.append(data, static_cast<std::size_t>(size));
      }
      grew.notify_all();
      return size;
    }
    int_type overflow(int_type c) override {
      if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
      const char ch = traits_type::to_char_type(c);
      xsputn(&ch, 1);
      return c;
    }

    mutable std::mutex mutex;
    mutable std::condition_variable grew;
    std::string text;
  };
  Buffer buffer_;
};

}  // namespace kmcp::test
