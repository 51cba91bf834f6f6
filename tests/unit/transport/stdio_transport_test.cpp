#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "server/mcp/jsonrpc.hpp"
#include "server/transport/stdio_transport.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/transport/transport_harness.hpp"

namespace kmcp {
namespace {

using namespace std::chrono_literals;

StdioOptions lines_up_to(std::size_t max_line_bytes) {
  StdioOptions options;
  options.max_line_bytes = max_line_bytes;
  return options;
}

// A StdioTransport on a pipe pair (or a file as stdin), served by one io thread; the test
// plays the client.
struct StdioHarness : test::DispatchParts {
  // `keep_server_ends`: the test keeps its copies of the server's pipe ends (see flags_of).
  explicit StdioHarness(std::size_t max_line_bytes = 4096, int input_file = -1, bool keep_server_ends = false)
      : StdioHarness(lines_up_to(max_line_bytes), input_file, keep_server_ends) {}

  explicit StdioHarness(StdioOptions options, int input_file = -1, bool keep_server_ends = false) {
    int in[2] = {-1, -1};
    int out[2];
    if (input_file < 0) REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    options.in_fd = input_file < 0 ? in[0] : input_file;
    options.out_fd = out[1];
    transport.emplace(io.get_executor(), dispatcher, logger, options);
    // The transport holds its own duplicates: keep only the client's ends.
    if (keep_server_ends) {
      server_in = in[0];
      server_out = out[1];
    } else {
      if (input_file < 0) ::close(in[0]);
      ::close(out[1]);
    }
    to_server = in[1];
    from_server = out[0];
    done = asio::co_spawn(io, transport->run(), asio::use_future);
    thread = std::thread([this] { io.run(); });
  }

  ~StdioHarness() {
    close_input();
    if (test::ready_within(done)) {
      CHECK_NOTHROW(done.get());
    } else {
      FAIL_CHECK("run() did not return after stdin closed");
      io.stop();
    }
    thread.join();
    ::close(from_server);
    if (server_in >= 0) ::close(server_in);
    if (server_out >= 0) ::close(server_out);
  }

  void write(std::string_view text) {
    while (!text.empty()) {
      ssize_t n = ::write(to_server, text.data(), text.size());
      REQUIRE(n > 0);
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void send_line(std::string_view text) { write(std::string(text) + "\n"); }

  void close_input() {
    if (to_server >= 0) ::close(to_server);
    to_server = -1;
  }

  // The next line the server wrote; nullopt at EOF or when nothing comes within the bound.
  std::optional<std::string> read_line(std::chrono::milliseconds bound = test::kBound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
      if (auto nl = pending.find('\n'); nl != std::string::npos) {
        std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{from_server, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char buf[4096];
      ssize_t n = ::read(from_server, buf, sizeof buf);
      if (n <= 0) return std::nullopt;
      pending.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Whether the server closed its end of stdout within the bound; what it still wrote
  // before that is collected in `pending`.
  bool output_closed(std::chrono::milliseconds bound = test::kBound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{from_server, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[4096];
      const ssize_t n = ::read(from_server, buf, sizeof buf);
      if (n == 0) return true;
      if (n < 0) return false;
      pending.append(buf, static_cast<std::size_t>(n));
    }
  }

  json::object read_message() {
    auto line = read_line();
    REQUIRE(line.has_value());
    return json::parse(*line).as_object();
  }

  asio::io_context io{1};
  std::optional<StdioTransport> transport;
  std::future<void> done;
  std::thread thread;
  int to_server = -1;
  int from_server = -1;
  int server_in = -1;
  int server_out = -1;
  std::string pending;
};

}  // namespace

TEST_CASE("stdio: requests are answered one line each, notifications are not") {
  StdioHarness h;
  h.send_line(test::initialize_request(1));
  auto init = h.read_message();
  CHECK(init.at("id") == 1);
  CHECK(init.at("result").at("protocolVersion") == "2025-11-25");

  h.send_line(test::notification_text("notifications/initialized"));
  h.send_line(test::request_text("two", "tools/list"));
  auto list = h.read_message();  // the notification produced nothing before it
  CHECK(list.at("id") == "two");
  CHECK(list.at("result").at("tools").as_array().at(0).at("name") == "get_thing");

  h.send_line(test::call_text(3, "echo"));
  auto call = h.read_message();
  CHECK(call.at("id") == 3);
  CHECK(call.at("result").at("structuredContent").at("mode") == "echo");
}

TEST_CASE("stdio: CRLF, blank lines and a last line without newline are handled") {
  StdioHarness h;
  h.write("\r\n\n" + test::request_text(1, "ping") + "\r\n");
  CHECK(h.read_message().at("id") == 1);
  h.write(test::request_text(2, "ping"));  // no newline: delivered at EOF
  h.close_input();
  CHECK(h.read_message().at("id") == 2);
  CHECK(test::ready_within(h.done));
  CHECK(h.output_closed());  // stdout closed after the last reply
  CHECK(h.pending.empty());
}

TEST_CASE("stdio: an overlong line gets -32600 with a null id and the next line still works") {
  StdioHarness h(1024);
  h.send_line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + std::string(200000, 'x') + "\"}}");
  auto refused = h.read_message();
  CHECK(refused.at("id").is_null());
  CHECK(refused.at("error").at("code") == jsonrpc::kInvalidRequest);
  h.send_line(test::request_text(2, "ping"));
  CHECK(h.read_message().at("id") == 2);
}

TEST_CASE("stdio: malformed JSON gets -32700 and serving goes on") {
  StdioHarness h;
  h.send_line("{not json");
  auto refused = h.read_message();
  CHECK(refused.at("error").at("code") == jsonrpc::kParseError);
  h.send_line(test::request_text(5, "ping"));
  CHECK(h.read_message().at("id") == 5);
}

TEST_CASE("stdio: notifications/cancelled overtakes the call it cancels") {
  StdioHarness h;
  h.send_line(test::initialize_request(1));
  h.read_message();
  h.send_line(test::call_text(7, "block"));
  REQUIRE(test::ready_within(h.runner.started()));
  h.send_line(test::notification_text("notifications/cancelled", {{"requestId", 7}, {"reason", "test"}}));
  CHECK(test::ready_within(h.runner.cancelled()));
  h.send_line(test::request_text(8, "ping"));
  CHECK(h.read_message().at("id") == 8);  // nothing for the cancelled call came before it
}

TEST_CASE("stdio: EOF cancels calls under way and run() returns") {
  StdioHarness h;
  h.send_line(test::call_text(1, "block"));
  REQUIRE(test::ready_within(h.runner.started()));
  h.close_input();
  CHECK(test::ready_within(h.runner.cancelled()));
  CHECK(test::ready_within(h.done));
  CHECK(h.output_closed());
}

TEST_CASE("stdio: stop() ends a run with a call under way") {
  StdioHarness h;
  h.send_line(test::call_text(1, "block"));
  REQUIRE(test::ready_within(h.runner.started()));
  h.transport->stop();
  CHECK(test::ready_within(h.runner.cancelled()));
  CHECK(test::ready_within(h.done));
}

TEST_CASE("stdio: the caller's descriptors are left blocking when the run ends") {
  StdioHarness h(4096, -1, true);
  h.send_line(test::request_text(1, "ping"));
  CHECK(h.read_message().at("id") == 1);
  // Serving made them non-blocking (the flag lives in the open file, shared with our copies)...
  CHECK((::fcntl(h.server_in, F_GETFL) & O_NONBLOCK) != 0);
  CHECK((::fcntl(h.server_out, F_GETFL) & O_NONBLOCK) != 0);
  h.close_input();
  REQUIRE(test::ready_within(h.done));
  // ...and the end of the run puts them back.
  CHECK((::fcntl(h.server_in, F_GETFL) & O_NONBLOCK) == 0);
  CHECK((::fcntl(h.server_out, F_GETFL) & O_NONBLOCK) == 0);
}

TEST_CASE("stdio: a regular file as stdin is read to its end") {
  TempDir dir;
  const auto path = dir.path() / "input.jsonl";
  {
    std::ofstream file(path);
    file << test::initialize_request(1) << "\n" << test::request_text(2, "tools/list") << "\n"
         << test::request_text(3, "ping") << "\n";
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  {
    StdioHarness h(4096, fd);
    std::set<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) ids.insert(h.read_message().at("id").as_int64());
    CHECK(ids == std::set<std::int64_t>{1, 2, 3});
    CHECK(test::ready_within(h.done));  // EOF of the file ends the run by itself
  }
  ::close(fd);
}

StdioOptions with_grace(std::chrono::milliseconds grace) {
  StdioOptions options = lines_up_to(4096);
  options.shutdown_grace = grace;
  return options;
}

// Starts call 1 in `mode` ("gate" or "block") and, once it runs, drains.
void drain_during_call(StdioHarness& h, std::string_view mode) {
  h.send_line(test::call_text(1, mode));
  REQUIRE(test::ready_within(h.runner.started()));
  h.transport->drain();
}

TEST_CASE("stdio: drain() stops reading, lets the call under way finish and flushes its reply") {
  StdioHarness h(with_grace(std::chrono::hours(1)));
  drain_during_call(h, "gate");
  REQUIRE(h.log_text.wait_for("\"draining\"", test::kBound));
  CHECK(h.transport->draining());
  h.send_line(test::request_text(2, "ping"));  // after reading stopped: never answered
  h.runner.open_gate();
  const json::object reply = h.read_message();
  CHECK(reply.at("id") == 1);
  CHECK(reply.at("result").at("structuredContent").at("mode") == "gate");
  CHECK(test::ready_within(h.done));  // although stdin is still open
  CHECK(h.output_closed());
  CHECK(h.pending.empty());
  CHECK(h.runner.cancelled().wait_for(0s) != std::future_status::ready);
}

TEST_CASE("stdio: drain() cancels a call still running when the grace period ends") {
  StdioHarness h(with_grace(50ms));
  drain_during_call(h, "block");
  CHECK(test::ready_within(h.runner.cancelled()));
  const json::object reply = h.read_message();  // the client learns the call was cancelled
  CHECK(reply.at("id") == 1);
  CHECK(reply.at("result").at("isError") == true);
  CHECK(test::ready_within(h.done));
  CHECK(h.output_closed());
}

TEST_CASE("stdio: stop() during the grace period cancels at once") {
  StdioHarness h(with_grace(std::chrono::hours(1)));
  drain_during_call(h, "block");
  REQUIRE(h.log_text.wait_for("\"draining\"", test::kBound));
  h.transport->stop();
  CHECK(test::ready_within(h.runner.cancelled()));
  CHECK(test::ready_within(h.done));
}

TEST_CASE("stdio: after EOF, a client that stopped reading stdout cannot hold the run past the flush timeout") {
  StdioOptions options = lines_up_to(4096);
  options.flush_timeout = 100ms;
  StdioHarness h(options);
  // The smallest pipe the kernel allows, so a few replies fill it.
  REQUIRE(::fcntl(h.from_server, F_SETPIPE_SZ, 4096) >= 0);
  for (int id = 1; id <= 40; ++id) h.send_line(test::request_text(id, "tools/list"));  // ~20 KB of replies
  h.close_input();
  CHECK(test::ready_within(h.done));
  CHECK(h.log_text.str().find("\"stdout_flush_timeout\"") != std::string::npos);
}

TEST_CASE("stdio: after EOF, a client that reads slowly but steadily gets every reply") {
  StdioOptions options = lines_up_to(4096);
  options.flush_timeout = 300ms;  // between two lines written, not for all of them
  StdioHarness h(options);
  REQUIRE(::fcntl(h.from_server, F_SETPIPE_SZ, 4096) >= 0);
  constexpr int kRequests = 100;
  for (int id = 1; id <= kRequests; ++id) h.send_line(test::request_text(id, "tools/list"));
  h.close_input();
  // Reading it all takes over a second, several flush timeouts; no line waits one of them.
  std::set<std::int64_t> answered;
  for (int i = 0; i < kRequests; ++i) {
    std::this_thread::sleep_for(10ms);
    auto line = h.read_line();
    REQUIRE(line.has_value());
    answered.insert(json::parse(*line).as_object().at("id").to_number<std::int64_t>());
  }
  CHECK(answered.size() == kRequests);
  CHECK(h.output_closed());
  CHECK(h.log_text.str().find("\"stdout_flush_timeout\"") == std::string::npos);
}

}  // namespace kmcp
