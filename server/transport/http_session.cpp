#include "server/transport/http_session.hpp"

#include "server/mcp/jsonrpc.hpp"

namespace kmcp {

HttpSession::HttpSession(std::string id, asio::any_io_executor io, SteadyTime now)
    : id_(std::move(id)), strand_(asio::make_strand(io)), last_used_(now) {
  mcp_.id = id_;
}

void HttpSession::ServerSink::send(json::object message) {
  std::shared_ptr<MessageQueue> stream;
  {
    std::lock_guard lock(session_.mutex_);
    stream = session_.stream_;
  }
  if (stream) stream->push(jsonrpc::serialize(message));
}

bool HttpSession::attach_stream(std::shared_ptr<MessageQueue> stream) {
  std::lock_guard lock(mutex_);
  if (ended_ || stream_) return false;
  stream_ = std::move(stream);
  return true;
}

void HttpSession::detach_stream(const std::shared_ptr<MessageQueue>& stream) {
  std::lock_guard lock(mutex_);
  if (stream_ == stream) stream_.reset();
}

std::uint64_t HttpSession::next_stream_number() {
  std::lock_guard lock(mutex_);
  return ++streams_;
}

void HttpSession::begin_use(SteadyTime now) {
  std::lock_guard lock(mutex_);
  ++users_;
  last_used_ = now;
}

void HttpSession::end_use(SteadyTime now) {
  std::lock_guard lock(mutex_);
  --users_;
  last_used_ = now;
}

bool HttpSession::idle(SteadyTime now, std::chrono::nanoseconds timeout) const {
  std::lock_guard lock(mutex_);
  return users_ == 0 && now - last_used_ >= timeout;
}

bool HttpSession::end() {
  std::shared_ptr<MessageQueue> stream;
  {
    std::lock_guard lock(mutex_);
    if (ended_) return false;
    ended_ = true;
    stream = std::move(stream_);
  }
  if (stream) stream->close();
  asio::post(strand_, [self = shared_from_this()] { self->mcp_.cancel_all(); });
  return true;
}

bool HttpSession::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

SessionUse::SessionUse(std::shared_ptr<HttpSession> session) : session_(std::move(session)) {
  session_->begin_use(std::chrono::steady_clock::now());
}

SessionUse::~SessionUse() { session_->end_use(std::chrono::steady_clock::now()); }

bool HttpSession::take_stream_place(std::size_t max) {
  std::lock_guard lock(mutex_);
  if (stream_places_ >= max) return false;
  ++stream_places_;
  return true;
}

void HttpSession::release_stream_place() {
  std::lock_guard lock(mutex_);
  --stream_places_;
}

}  // namespace kmcp
