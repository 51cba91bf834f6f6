#include "server/shared/redis_script.hpp"

#include <openssl/sha.h>

namespace kmcp {
namespace {

std::string sha1_hex(const std::string& text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

std::vector<std::string> eval_command(std::string verb, const std::string& script, const std::vector<std::string>& keys,
                                      const std::vector<std::string>& args) {
  std::vector<std::string> command{std::move(verb), script, std::to_string(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

}  // namespace

RedisScript::RedisScript(std::string source) : source_(std::move(source)), sha1_(sha1_hex(source_)) {}

asio::awaitable<RedisResult> RedisScript::run(RedisClient& redis, const std::vector<std::string>& keys,
                                              const std::vector<std::string>& args, SteadyTime deadline) const {
  auto reply = co_await redis.command(eval_command("EVALSHA", sha1_, keys, args), deadline);
  if (!reply || !reply->is_error() || reply->error_code() != "NOSCRIPT") co_return reply;
  co_return co_await redis.command(eval_command("EVAL", source_, keys, args), deadline);
}

}  // namespace kmcp
