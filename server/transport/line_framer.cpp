#include "server/transport/line_framer.hpp"

#include <algorithm>

namespace kmcp {
namespace {
bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}
}  // namespace

void LineFramer::deliver(const Handler& handler) {
  std::string line = std::move(partial_);
  partial_.clear();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (!blank(line)) handler.on_line(std::move(line));
}

void LineFramer::feed(std::string_view bytes, const Handler& handler) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);  // npos: all of it
    if (!skipping_) {
      // A trailing '\r' may be the framing of a CRLF line, not content: it does not count.
      std::size_t length = partial_.size() + piece.size();
      if (length > 0 && (piece.empty() ? partial_.back() : piece.back()) == '\r') --length;
      if (length > max_) {
        partial_.clear();
        partial_.shrink_to_fit();
        skipping_ = true;
        handler.on_overlong();
      } else {
        partial_.append(piece);
      }
    }
    if (newline == std::string_view::npos) return;
    if (skipping_) {
      skipping_ = false;
    } else {
      deliver(handler);
    }
    bytes.remove_prefix(newline + 1);
  }
}

void LineFramer::finish(const Handler& handler) {
  if (!skipping_ && !partial_.empty()) deliver(handler);
  partial_.clear();
  skipping_ = false;
}

}  // namespace kmcp
