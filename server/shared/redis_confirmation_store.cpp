#include "server/shared/redis_confirmation_store.hpp"

#include "server/core/server_metrics.hpp"

namespace kmcp {
namespace {

std::string token_key(const std::string& token) { return "kmcp:confirm:" + token; }

}  // namespace

void RedisConfirmationStore::count_fallback() {
  if (metrics_) metrics_->add(metric::kRedisFallbacks, {{"use", "confirmation"}});
}

asio::awaitable<std::string> RedisConfirmationStore::issue(std::string binding) {
  std::string token = new_confirmation_token(random_);
  std::vector<std::string> set{"SET", token_key(token), binding, "EX", std::to_string(lifetime().count())};
  const auto stored = co_await redis_.command(std::move(set), std::chrono::steady_clock::now() + timeout_);
  if (stored && !stored->is_error()) co_return token;
  count_fallback();
  co_return fallback_.issue(std::move(binding));
}

asio::awaitable<ConfirmationTokens::Redeemed> RedisConfirmationStore::redeem(std::string token, std::string binding) {
  std::vector<std::string> take{"GETDEL", token_key(token)};
  const auto taken = co_await redis_.command(std::move(take), std::chrono::steady_clock::now() + timeout_);
  if (!taken || taken->is_error()) {
    count_fallback();
    co_return fallback_.redeem(token, binding);
  }
  // Not in Redis: it may have been issued here while Redis was unavailable.
  if (taken->type != RedisReply::Type::string) co_return fallback_.redeem(token, binding);
  if (taken->text != binding) co_return ConfirmationTokens::Redeemed::mismatch;
  co_return ConfirmationTokens::Redeemed::ok;
}

}  // namespace kmcp
