#pragma once
// Sessions every replica can continue: kmcp:session:ID holds the session's record (JSON),
// expiring after the session idle timeout unless a request refreshes it.
//
// Without Redis (no answer within `timeout`, or refused): a publish is skipped, and a lookup
// finds nothing, so a request for a session this replica does not hold is 404 and the client
// starts a new one, as after any lost session. Both count in
// kmcp_redis_fallbacks_total{use="session"}.
#include <chrono>

#include "server/core/metrics.hpp"
#include "server/redis/redis_client.hpp"
#include "server/transport/session_directory.hpp"

namespace kmcp {

class RedisSessionDirectory final : public SessionDirectory {
 public:
  RedisSessionDirectory(RedisClient& redis, std::chrono::milliseconds idle_timeout, std::chrono::milliseconds timeout,
                        Metrics* metrics = nullptr)
      : redis_(redis), idle_timeout_(idle_timeout), timeout_(timeout), metrics_(metrics) {}

  asio::awaitable<bool> publish(SessionRecord record, bool started) override;
  asio::awaitable<std::optional<SessionRecord>> lookup(std::string id) override;
  asio::awaitable<bool> still_open(std::string id) override;
  asio::awaitable<void> forget(std::string id) override;

 private:
  asio::awaitable<RedisResult> run(std::vector<std::string> command);

  RedisClient& redis_;
  const std::chrono::milliseconds idle_timeout_;
  const std::chrono::milliseconds timeout_;
  Metrics* metrics_;
};

}  // namespace kmcp
