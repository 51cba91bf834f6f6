#pragma once
// The Redis protocol (RESP) as values, with hiredis as the codec only: it formats commands and
// parses replies, while the I/O stays on Asio (deadlines, cancellation, strands).
#include <boost/system/result.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kmcp {

struct RedisReply {
  enum class Type { string, array, integer, nil, status, error };
  Type type = Type::nil;
  std::string text;  // string, status and error replies
  long long integer = 0;
  std::vector<RedisReply> elements;

  bool is_error() const { return type == Type::error; }
  // An error reply's first word, e.g. "NOSCRIPT" or "WRONGPASS".
  std::string_view error_code() const;
};

// One command in the wire format, each argument binary-safe.
std::string encode_redis_command(const std::vector<std::string>& args);

// Turns the bytes read from a connection into replies, in order.
class RedisReplyDecoder {
 public:
  RedisReplyDecoder();
  ~RedisReplyDecoder();
  RedisReplyDecoder(const RedisReplyDecoder&) = delete;
  RedisReplyDecoder& operator=(const RedisReplyDecoder&) = delete;

  void feed(std::string_view bytes);
  // The next whole reply, nothing while it is incomplete, or an error for bytes that are no
  // valid RESP (the connection is then unusable).
  boost::system::result<std::optional<RedisReply>, std::string> next();

 private:
  struct Reader;
  std::unique_ptr<Reader> reader_;
};

}  // namespace kmcp
