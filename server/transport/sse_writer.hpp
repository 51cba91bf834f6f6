#pragma once
// Writes one SSE response on an HTTP connection: the 200 text/event-stream header, then
// events and comments as HTTP/1.1 chunks, then the last chunk (so the connection can be reused).
// Each write has a deadline, so a client that stops reading cannot hold the stream forever.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/transport/http_replies.hpp"
#include "server/transport/http_stream.hpp"

namespace kmcp {

class SseWriter {
 public:
  // `id_prefix` makes event ids unique within the session ("<prefix>-<n>").
  SseWriter(HttpStream& stream, std::chrono::steady_clock::duration write_timeout, std::string id_prefix);

  // Status line and headers; `session_id` adds Mcp-Session-Id (initialize).
  asio::awaitable<boost::system::error_code> start(const HttpRequest& request,
                                                   std::optional<std::string> session_id = std::nullopt);
  asio::awaitable<boost::system::error_code> event(std::string_view json);
  asio::awaitable<boost::system::error_code> comment(std::string_view text);
  // Ends the response. Without chunking (HTTP/1.0) the connection must close instead.
  asio::awaitable<boost::system::error_code> finish();
  bool started() const { return started_; }
  // Whether the connection may serve another request after finish().
  bool reusable() const { return chunked_ && keep_alive_; }

 private:
  asio::awaitable<boost::system::error_code> write_raw(std::string data);

  HttpStream& stream_;
  std::chrono::steady_clock::duration timeout_;
  std::string id_prefix_;
  std::uint64_t next_id_ = 0;
  bool started_ = false;
  bool chunked_ = true;
  bool keep_alive_ = false;
};

}  // namespace kmcp
