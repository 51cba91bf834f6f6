#pragma once
// Server-Sent Events framing (no I/O): one JSON-RPC message per "message" event.
#include <string>
#include <string_view>

namespace kmcp {

// "id: <id>\nevent: message\ndata: <line>\n...\n\n"; a newline inside `data` starts another
// data line, so the event cannot be split or forged by its content.
std::string sse_event(std::string_view id, std::string_view data);
// ": <text>\n\n", ignored by clients; keeps idle connections and proxies alive.
std::string sse_comment(std::string_view text);

}  // namespace kmcp
