#pragma once
// Confirmation tokens every replica shares: kmcp:confirm:TOKEN holds the binding, with the
// tokens' lifetime as its TTL, and redeeming is GETDEL, so exactly one replica can ever
// redeem a token. An expired token is gone from Redis, so it is refused as unknown.
//
// Without Redis (a command not answered within `timeout`, or refused), tokens are issued and
// redeemed in this replica's memory (`fallback`): such a token works only here, which is safe,
// and counts in kmcp_redis_fallbacks_total{use="confirmation"}.
#include <chrono>

#include "server/core/metrics.hpp"
#include "server/pipeline/confirmation_store.hpp"
#include "server/pipeline/random_source.hpp"
#include "server/redis/redis_client.hpp"

namespace kmcp {

class RedisConfirmationStore final : public ConfirmationStore {
 public:
  RedisConfirmationStore(RedisClient& redis, ConfirmationTokens& fallback, RandomSource& random,
                         std::chrono::milliseconds timeout, Metrics* metrics = nullptr)
      : redis_(redis), fallback_(fallback), random_(random), timeout_(timeout), metrics_(metrics) {}

  asio::awaitable<std::string> issue(std::string binding) override;
  asio::awaitable<ConfirmationTokens::Redeemed> redeem(std::string token, std::string binding) override;
  std::chrono::seconds lifetime() const override { return fallback_.lifetime(); }

 private:
  void count_fallback();

  RedisClient& redis_;
  ConfirmationTokens& fallback_;
  RandomSource& random_;
  const std::chrono::milliseconds timeout_;
  Metrics* metrics_;
};

}  // namespace kmcp
