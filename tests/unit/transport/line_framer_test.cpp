#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/transport/line_framer.hpp"

namespace kmcp {
namespace {

struct Collected {
  std::vector<std::string> events;  // lines, and "<overlong>" markers, in order
  LineFramer::Handler handler() {
    return {[this](std::string line) { events.push_back(std::move(line)); },
            [this] { events.push_back("<overlong>"); }};
  }
};

}  // namespace

TEST_CASE("framer: lines split across chunks, CR stripped, empty lines dropped") {
  LineFramer framer(100);
  Collected got;
  const auto handler = got.handler();
  framer.feed("{\"a\":1}\n{\"b\"", handler);
  framer.feed(":2}\r\n\n  \r\n{\"c\":3}", handler);
  CHECK(got.events == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
  framer.finish(handler);  // the last line had no newline
  CHECK(got.events == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"});
}

TEST_CASE("framer: an overlong line is reported once, never buffered, and the next line is intact") {
  LineFramer framer(10);
  Collected got;
  const auto handler = got.handler();
  framer.feed("0123456789", handler);  // exactly the limit: still fine
  CHECK(got.events.empty());
  framer.feed("\n", handler);
  framer.feed(std::string(25, 'x'), handler);
  CHECK(framer.buffered() == 0);
  framer.feed(std::string(5000, 'y'), handler);
  CHECK(framer.buffered() == 0);
  framer.feed("zz\nok\n", handler);
  CHECK(got.events == std::vector<std::string>{"0123456789", "<overlong>", "ok"});
}

TEST_CASE("framer: a CRLF line at the limit is not overlong, even when the CR ends a chunk") {
  LineFramer framer(4);
  Collected got;
  const auto handler = got.handler();
  framer.feed("abcd\r", handler);
  framer.feed("\nabcde\r\n", handler);
  CHECK(got.events == std::vector<std::string>{"abcd", "<overlong>"});
}

TEST_CASE("framer: an unfinished overlong line at EOF delivers nothing more") {
  LineFramer framer(3);
  Collected got;
  const auto handler = got.handler();
  framer.feed("abcdef", handler);
  framer.finish(handler);
  CHECK(got.events == std::vector<std::string>{"<overlong>"});
}

}  // namespace kmcp
