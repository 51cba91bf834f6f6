#pragma once
// One Mcp-Session-Id over HTTP: the MCP session state, the strand every access to it runs on,
// the optional GET stream for messages not tied to a POST, and its idle clock.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/mcp/message_sink.hpp"
#include "server/mcp/session.hpp"
#include "server/transport/message_queue.hpp"

namespace kmcp {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::string id, asio::any_io_executor io, SteadyTime now);

  const std::string& id() const { return id_; }
  // Log-safe label: the id is a bearer secret, so logs show only its start.
  std::string label() const { return id_.substr(0, 8); }
  const asio::strand<asio::any_io_executor>& strand() const { return strand_; }
  // Only on strand().
  McpSession& mcp() { return mcp_; }
  // Messages not tied to a POST: to the GET stream when one is open, else dropped.
  MessageSink& server_sink() { return server_sink_; }

  // Opens the session's GET stream; false when one is already open or the session ended.
  bool attach_stream(std::shared_ptr<MessageQueue> stream);
  void detach_stream(const std::shared_ptr<MessageQueue>& stream);
  // The token that started the session ("" without authentication): only it may use the session.
  void set_owner(std::string owner) { owner_ = std::move(owner); }
  const std::string& owner() const { return owner_; }
  // The tool narrowing asked for at initialize (see session_record.hpp), set before the
  // session is shared.
  void set_narrowing(json::object narrowing) { narrowing_ = std::move(narrowing); }
  const json::object& narrowing() const { return narrowing_; }
  // A place for one more SSE stream (a POST that may stream, or the GET stream); false when
  // `max` are open. Each granted place is given back with release_stream_place().
  bool take_stream_place(std::size_t max);
  void release_stream_place();

  // Unique within the session, for SSE event ids.
  std::uint64_t next_stream_number();

  // A request (POST or GET stream) is using the session: it is not idle meanwhile.
  void begin_use(SteadyTime now);
  void end_use(SteadyTime now);
  bool idle(SteadyTime now, std::chrono::nanoseconds timeout) const;

  // Ends the session: closes its GET stream and cancels its calls. False if already ended.
  bool end();
  bool ended() const;

 private:
  class ServerSink final : public MessageSink {
   public:
    explicit ServerSink(HttpSession& session) : session_(session) {}
    void send(json::object message) override;

   private:
    HttpSession& session_;
  };

  const std::string id_;
  asio::strand<asio::any_io_executor> strand_;
  McpSession mcp_;
  ServerSink server_sink_{*this};

  mutable std::mutex mutex_;
  std::shared_ptr<MessageQueue> stream_;
  SteadyTime last_used_;
  int users_ = 0;
  bool ended_ = false;
  std::uint64_t streams_ = 0;
  std::size_t stream_places_ = 0;
  std::string owner_;  // set before the session is shared
  json::object narrowing_;  // likewise
};

// Marks a session in use (not idle) for the lifetime of one request.
class SessionUse {
 public:
  explicit SessionUse(std::shared_ptr<HttpSession> session);
  ~SessionUse();
  SessionUse(const SessionUse&) = delete;
  SessionUse& operator=(const SessionUse&) = delete;

 private:
  std::shared_ptr<HttpSession> session_;
};

}  // namespace kmcp
