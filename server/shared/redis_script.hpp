#pragma once
// A Lua script run by its SHA1 (EVALSHA), sent whole (EVAL) only when the server's script cache
// does not have it (NOSCRIPT: a restart, a failover, SCRIPT FLUSH), which caches it again.
#include <string>
#include <vector>

#include "server/redis/redis_client.hpp"

namespace kmcp {

class RedisScript {
 public:
  explicit RedisScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

  // Runs the script on `keys` and `args` within `deadline`.
  asio::awaitable<RedisResult> run(RedisClient& redis, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args, SteadyTime deadline) const;

 private:
  std::string source_;
  std::string sha1_;  // lower-case hex, as Redis names it
};

}  // namespace kmcp
