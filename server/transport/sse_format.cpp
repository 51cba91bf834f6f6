#include "server/transport/sse_format.hpp"

namespace kmcp {
namespace {
// Field values end at CR or LF; strip them where a value must stay on one line.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\r' && c != '\n') out.push_back(c);
  return out;
}
}  // namespace

std::string sse_event(std::string_view id, std::string_view data) {
  std::string out = "id: " + one_line(id) + "\nevent: message\n";
  for (;;) {
    const auto end = data.find_first_of("\r\n");
    out += "data: ";
    out += data.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + (data.substr(end, 2) == "\r\n" ? 2 : 1));
  }
  out += '\n';
  return out;
}

std::string sse_comment(std::string_view text) { return ": " + one_line(text) + "\n\n"; }

}  // namespace kmcp
