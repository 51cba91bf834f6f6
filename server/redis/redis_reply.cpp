#include "server/redis/redis_reply.hpp"

#include <hiredis/hiredis.h>

#include <stdexcept>

namespace kmcp {
namespace {

RedisReply from_hiredis(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::string; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::status; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::error; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::integer; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
    default: out.type = RedisReply::Type::nil; break;
  }
  if (reply.str != nullptr) out.text.assign(reply.str, reply.len);
  out.integer = reply.integer;
  for (std::size_t i = 0; i < reply.elements; ++i) out.elements.push_back(from_hiredis(*reply.element[i]));
  return out;
}

}  // namespace

std::string_view RedisReply::error_code() const {
  const std::string_view all(text);
  return all.substr(0, all.find(' '));
}

std::string encode_redis_command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* formatted = nullptr;
  const int length = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lengths.data());
  if (length < 0) throw std::bad_alloc();
  std::string wire(formatted, static_cast<std::size_t>(length));
  redisFreeCommand(formatted);
  return wire;
}

struct RedisReplyDecoder::Reader {
  redisReader* reader = redisReaderCreate();
  ~Reader() { redisReaderFree(reader); }
};

RedisReplyDecoder::RedisReplyDecoder() : reader_(std::make_unique<Reader>()) {
  if (reader_->reader == nullptr) throw std::bad_alloc();
}

RedisReplyDecoder::~RedisReplyDecoder() = default;

void RedisReplyDecoder::feed(std::string_view bytes) {
  redisReaderFeed(reader_->reader, bytes.data(), bytes.size());
}

boost::system::result<std::optional<RedisReply>, std::string> RedisReplyDecoder::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(reader_->reader, &raw) != REDIS_OK)
    return std::string("invalid reply from Redis: ") + reader_->reader->errstr;
  if (raw == nullptr) return std::optional<RedisReply>();
  const auto* reply = static_cast<redisReply*>(raw);
  RedisReply out = from_hiredis(*reply);
  freeReplyObject(raw);
  return std::optional<RedisReply>(std::move(out));
}

}  // namespace kmcp
