#include "server/shared/redis_session_directory.hpp"

#include "server/core/server_metrics.hpp"

namespace kmcp {
namespace {

std::string session_key(const std::string& id) { return "kmcp:session:" + id; }

}  // namespace

asio::awaitable<RedisResult> RedisSessionDirectory::run(std::vector<std::string> command) {
  auto reply = co_await redis_.command(std::move(command), std::chrono::steady_clock::now() + timeout_);
  if ((!reply || reply->is_error()) && metrics_) metrics_->add(metric::kRedisFallbacks, {{"use", "session"}});
  co_return reply;
}

asio::awaitable<bool> RedisSessionDirectory::publish(SessionRecord record, bool started) {
  const std::string key = session_key(record.id);
  std::vector<std::string> set{"SET", key, json::serialize(to_json(record)), "PX", std::to_string(idle_timeout_.count())};
  if (!started) set.push_back("XX");  // never bring back a session deleted elsewhere
  const auto reply = co_await run(std::move(set));
  co_return !(reply && reply->type == RedisReply::Type::nil);
}

asio::awaitable<std::optional<SessionRecord>> RedisSessionDirectory::lookup(std::string id) {
  std::vector<std::string> get{"GET", session_key(id)};
  const auto reply = co_await run(std::move(get));
  if (!reply || reply->type != RedisReply::Type::string) co_return std::nullopt;
  boost::system::error_code ec;
  const json::value parsed = json::parse(reply->text, ec);
  if (ec) co_return std::nullopt;
  co_return session_record_from_json(parsed);
}

asio::awaitable<bool> RedisSessionDirectory::still_open(std::string id) {
  std::vector<std::string> exists{"EXISTS", session_key(id)};
  const auto reply = co_await run(std::move(exists));
  co_return !(reply && reply->type == RedisReply::Type::integer && reply->integer == 0);
}

asio::awaitable<void> RedisSessionDirectory::forget(std::string id) {
  std::vector<std::string> del{"DEL", session_key(id)};
  (void)co_await run(std::move(del));
}

}  // namespace kmcp
