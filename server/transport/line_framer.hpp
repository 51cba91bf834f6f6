#pragma once
// Splits a byte stream into newline-delimited messages without I/O. A line longer than the
// limit is reported once and skipped up to its newline without being buffered; empty lines are
// dropped and a trailing '\r' is stripped.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kmcp {

class LineFramer {
 public:
  struct Handler {
    std::function<void(std::string line)> on_line;
    std::function<void()> on_overlong;
  };

  explicit LineFramer(std::size_t max_line_bytes) : max_(max_line_bytes) {}

  // Feeds the next chunk; calls the handler for every line it completes.
  void feed(std::string_view bytes, const Handler& handler);
  // End of input: delivers a last line that had no newline.
  void finish(const Handler& handler);
  // Bytes held for the current, unfinished line (never more than the limit).
  std::size_t buffered() const { return partial_.size(); }

 private:
  void deliver(const Handler& handler);

  std::size_t max_;
  std::string partial_;
  bool skipping_ = false;  // inside an overlong line, until its newline
};

}  // namespace kmcp
