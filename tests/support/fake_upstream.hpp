#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (port 0) standing in for Klaviyo in tests. It runs on its
// own thread and io_context, so synchronous test code can script it and inspect what arrived.
// Keep-alive capable; optionally TLS with a throwaway CA generated at construction.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kmcp {

struct RecordedRequest {
  std::string method;  // "POST"
  std::string target;  // raw, as sent: "/api/lists?page%5Bsize%5D=2"
  std::string path;    // percent-decoded path: "/api/lists"
  // Percent-decoded keys and values; '+' reads as a space, as a form-decoding server does.
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
  std::string body;

  // The first value of query parameter `key`, or "" when absent.
  std::string query_value(const std::string& key) const;
  // The value of header `lower_case_name`, or "" when absent.
  std::string header(const std::string& lower_case_name) const;
};

struct ScriptedResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is computed
  std::string body;
  std::chrono::milliseconds delay{0};  // before answering; cut short when the fake shuts down
  bool reset_connection = false;       // read the request, then drop the socket (RST), no answer

  // A response with Content-Type application/vnd.api+json. The fake's default handler answers
  // json(200, R"({"data":[]})").
  static ScriptedResponse json(unsigned status, std::string body);
};

struct FakeUpstreamOptions {
  bool tls = false;
  // Off: requests() stays empty, for a benchmark's hundreds of thousands of requests.
  bool record_requests = true;
};

class FakeUpstream {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;

  explicit FakeUpstream(FakeUpstreamOptions options = {});
  ~FakeUpstream();  // stops promptly, even with a delayed response pending
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // "http://127.0.0.1:P" or "https://127.0.0.1:P"
  // With tls: the PEM file of the CA that signed the server certificate (SAN IP:127.0.0.1 and
  // DNS:localhost), in a temporary directory removed by the destructor. Empty without tls.
  std::string ca_file() const;

  // Answers every request not covered by enqueue(). Runs on the fake's thread.
  void set_handler(Handler handler);
  // One-shot responses, first in first out; they take precedence over the handler.
  void enqueue(ScriptedResponse response);

  std::vector<RecordedRequest> requests() const;
  // Waits until at least `count` requests arrived in total; false on timeout.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
  // Forgets the recorded requests and any enqueued responses (the handler stays).
  void clear();
  std::size_t connections_accepted() const;
  // The most connections open at once. The fake sees a close only when it next reads, a little
  // after the client closed: compare it to a bound only where no connection is closed.
  std::size_t peak_open_connections() const;
  // With tls: handshakes that resumed an earlier session rather than starting a new one.
  std::size_t tls_sessions_resumed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
