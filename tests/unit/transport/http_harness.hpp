#pragma once
// An HttpTransport on 127.0.0.1, port 0, served by two io threads inside the test process,
// with a client io_context for the test side.
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "server/transport/http_transport.hpp"
#include "tests/unit/transport/http_test_client.hpp"
#include "tests/unit/transport/transport_harness.hpp"

namespace kmcp::test {

struct HttpHarness : DispatchParts {
  explicit HttpHarness(HttpOptions options = {});
  ~HttpHarness();

  Response send(const Request& request) { return send_once(client, port, request); }
  Request post(std::string body, std::string_view session = {}) { return mcp_post(port, std::move(body), session); }
  // Sends until a reply is not 503 (or the bound passes), and returns the last reply: a closed
  // connection's place is given back when the server sees the close, a moment after.
  Response send_admitted(const Request& request, std::chrono::milliseconds bound = kBound);
  bool served_within(const Request& request) { return send_admitted(request).result_int() == 200; }
  // initialize + notifications/initialized; returns the session id.
  std::string open_session();
  // stop(), then whether run() returned within the bound.
  bool stop();
  // Whether run() returned (or returns within the bound), without asking it to.
  bool finished() { return ready_within(done); }

  asio::io_context io{2};
  std::optional<HttpTransport> transport;
  unsigned short port = 0;
  std::future<void> done;
  std::vector<std::thread> threads;
  asio::io_context client;
  bool stopped = false;
};

}  // namespace kmcp::test
