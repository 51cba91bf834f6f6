#include <doctest/doctest.h>

#include "server/redis/redis_reply.hpp"

using namespace kmcp;

TEST_CASE("commands are encoded binary-safe, and replies decoded as they complete") {
  CHECK(encode_redis_command({"SET", "k", std::string("a\0b", 3)}) ==
        std::string("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\na\0b\r\n", 29));

  RedisReplyDecoder decoder;
  decoder.feed("*2\r\n:7\r\n$3\r\nab");
  auto partial = decoder.next();
  REQUIRE(partial.has_value());
  CHECK_FALSE(*partial);  // incomplete: nothing yet
  decoder.feed("c\r\n-NOSCRIPT No matching script\r\n");
  auto array = decoder.next();
  REQUIRE(array.has_value());
  REQUIRE(*array);
  CHECK((*array)->type == RedisReply::Type::array);
  REQUIRE((*array)->elements.size() == 2);
  CHECK((*array)->elements[0].integer == 7);
  CHECK((*array)->elements[1].text == "abc");
  auto error = decoder.next();
  REQUIRE(error.has_value());
  REQUIRE(*error);
  CHECK((*error)->is_error());
  CHECK((*error)->error_code() == "NOSCRIPT");
}

TEST_CASE("bytes that are no RESP make the decoder fail") {
  RedisReplyDecoder decoder;
  decoder.feed("?what\r\n");
  CHECK_FALSE((decoder.next()).has_value());
}
