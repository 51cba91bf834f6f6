#include <doctest/doctest.h>

#include "server/transport/sse_format.hpp"

namespace kmcp {

TEST_CASE("sse: one message event with id and data") {
  CHECK(sse_event("3-1", R"({"jsonrpc":"2.0"})") == "id: 3-1\nevent: message\ndata: {\"jsonrpc\":\"2.0\"}\n\n");
}

TEST_CASE("sse: line breaks in data become separate data lines, so content cannot end the event") {
  CHECK(sse_event("1", "a\nb\r\nc\rd") == "id: 1\nevent: message\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  CHECK(sse_event("x\ny", "z") == "id: xy\nevent: message\ndata: z\n\n");
}

TEST_CASE("sse: comments") {
  CHECK(sse_comment("ping") == ": ping\n\n");
  CHECK(sse_comment("a\nb") == ": ab\n\n");
}

}  // namespace kmcp
