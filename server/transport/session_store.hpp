#pragma once
// The live HTTP sessions by Mcp-Session-Id. Thread-safe: any connection may look one up.
// Removing a session does not end it; the caller ends what it removes (HttpSession::end).
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/clock.hpp"
#include "server/transport/http_session.hpp"
#include "server/transport/session_record.hpp"

namespace kmcp {

class SessionStore {
 public:
  // A new session under a fresh random id; nullptr once closed, or if no id could be made.
  std::shared_ptr<HttpSession> create(asio::any_io_executor io, SteadyTime now);
  std::shared_ptr<HttpSession> find(std::string_view id) const;
  // The session another replica began, under its id, to continue here; the one already here
  // when two requests adopt it at once; nullptr once closed.
  // `tools`: the narrowing the record asks for, narrowed again here (null: none).
  std::shared_ptr<HttpSession> adopt(const SessionRecord& record, std::shared_ptr<const ToolExposure> tools,
                                     asio::any_io_executor io, SteadyTime now);
  std::shared_ptr<HttpSession> remove(std::string_view id);
  // Removes and returns the sessions unused for `timeout` (none in use by a request).
  std::vector<std::shared_ptr<HttpSession>> remove_idle(SteadyTime now, std::chrono::nanoseconds timeout);
  // Removes and returns every session and refuses new ones (shutdown).
  std::vector<std::shared_ptr<HttpSession>> close();
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<HttpSession>> sessions_;
  bool closed_ = false;
};

}  // namespace kmcp
