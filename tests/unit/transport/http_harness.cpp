#include "tests/unit/transport/http_harness.hpp"

namespace kmcp::test {

HttpHarness::HttpHarness(HttpOptions options) {
  options.host = "127.0.0.1";
  options.port = 0;
  transport.emplace(io.get_executor(), dispatcher, logger, options);
  port = transport->listen();
  REQUIRE(port != 0);
  // The port is announced in the log, which is how out-of-process tests find it.
  bool announced = false;
  std::istringstream lines(log_text.str());
  for (std::string line; std::getline(lines, line);) {
    const json::object entry = json::parse(line).as_object();
    if (entry.at("event") == "listening") {
      announced = entry.at("port") == port && entry.at("host") == "127.0.0.1";
    }
  }
  CHECK(announced);
  done = asio::co_spawn(io, transport->run(), asio::use_future);
  for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
}

HttpHarness::~HttpHarness() {
  if (!stopped) CHECK(stop());
  for (auto& t : threads) t.join();
}

bool HttpHarness::stop() {
  stopped = true;
  transport->stop();
  if (ready_within(done)) {
    CHECK_NOTHROW(done.get());
    return true;
  }
  io.stop();  // let the destructor join; the test already failed
  return false;
}

std::string HttpHarness::open_session() {
  Response init = send(post(initialize_request(1)));
  REQUIRE(init.result_int() == 200);
  const std::string session(init["Mcp-Session-Id"]);
  REQUIRE(!session.empty());
  Response initialized = send(post(notification_text("notifications/initialized"), session));
  REQUIRE(initialized.result_int() == 202);
  return session;
}

Response HttpHarness::send_admitted(const Request& request, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    Response reply = send(request);
    if (reply.result_int() != 503 || std::chrono::steady_clock::now() >= deadline) return reply;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace kmcp::test
