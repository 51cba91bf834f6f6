#pragma once
// A Redis client in the coroutine style of the rest of the server: every command is bounded by
// a deadline and ends early when the awaiting coroutine is cancelled, and failures are values.
//
// One connection (plain TCP or TLS), pipelined: commands from any thread are written in the
// order they come and their replies matched to them first in, first out. AUTH and SELECT run
// on connect. A lost connection fails the commands under way and the next command reconnects;
// after a failed connect, commands fail at once until a backoff (doubling up to a cap) has
// passed, so a Redis that is down costs callers no waiting. A command that misses its deadline
// closes the connection: the server is stalled, and a fresh connection is the only way to know
// which replies belong to whom.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/redis/redis_reply.hpp"
#include "server/redis/redis_url.hpp"

namespace kmcp {

struct RedisFailure {
  enum class Kind { unavailable, timeout, cancelled, protocol };
  Kind kind = Kind::unavailable;
  std::string message;
};

[[noreturn]] void throw_exception_from_error(const RedisFailure& failure, const boost::source_location& location);

// An error reply (e.g. NOSCRIPT) is a reply, not a failure: the caller decides.
using RedisResult = boost::system::result<RedisReply, RedisFailure>;

struct RedisClientOptions {
  RedisEndpoint endpoint;
  std::string ca_file;  // extra CA (PEM) for rediss://, besides the system's
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{2000};
};

class RedisClient {
 public:
  // Throws std::runtime_error when the TLS context cannot be made (a startup error).
  RedisClient(boost::asio::any_io_executor executor, RedisClientOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends `args` (e.g. {"SET", key, value}) and waits for its reply until `deadline`.
  boost::asio::awaitable<RedisResult> command(std::vector<std::string> args, SteadyTime deadline);

  // Closes the connection; commands under way fail as unavailable. Later commands reconnect.
  void close();

  const RedisEndpoint& endpoint() const;

  struct Impl;  // defined beside the coroutines that share it, in the .cpp

 private:
  std::shared_ptr<Impl> impl_;  // shared: coroutines under way keep it alive past the client
};

}  // namespace kmcp
