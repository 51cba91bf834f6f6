#include "server/transport/session_store.hpp"

#include "server/transport/session_id.hpp"

namespace kmcp {

std::shared_ptr<HttpSession> SessionStore::create(asio::any_io_executor io, SteadyTime now) {
  auto id = make_session_id();
  if (!id) return nullptr;
  auto session = std::make_shared<HttpSession>(*id, std::move(io), now);
  std::lock_guard lock(mutex_);
  if (closed_) return nullptr;
  // 128 random bits do not collide in practice; refusing beats replacing a live session.
  if (!sessions_.emplace(*id, session).second) return nullptr;
  return session;
}

std::shared_ptr<HttpSession> SessionStore::adopt(const SessionRecord& record, std::shared_ptr<const ToolExposure> tools,
                                                 asio::any_io_executor io, SteadyTime now) {
  auto session = std::make_shared<HttpSession>(record.id, std::move(io), now);
  restore(*session, record);
  session->mcp().tools = std::move(tools);
  std::lock_guard lock(mutex_);
  if (closed_) return nullptr;
  return sessions_.emplace(record.id, session).first->second;
}

std::shared_ptr<HttpSession> SessionStore::find(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(std::string(id));
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<HttpSession> SessionStore::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return nullptr;
  auto session = std::move(it->second);
  sessions_.erase(it);
  return session;
}

std::vector<std::shared_ptr<HttpSession>> SessionStore::remove_idle(SteadyTime now, std::chrono::nanoseconds timeout) {
  std::vector<std::shared_ptr<HttpSession>> idle;
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second->idle(now, timeout)) {
      idle.push_back(std::move(it->second));
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return idle;
}

std::vector<std::shared_ptr<HttpSession>> SessionStore::close() {
  std::vector<std::shared_ptr<HttpSession>> all;
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& [id, session] : sessions_) all.push_back(std::move(session));
  sessions_.clear();
  return all;
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace kmcp
