#pragma once
// MCP Streamable HTTP on Beast: one endpoint (/mcp) for POST, GET (SSE) and DELETE, sessions
// by Mcp-Session-Id, Origin/Host checks against DNS rebinding.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/core/metrics.hpp"
#include "server/transport/bearer_tokens.hpp"

namespace kmcp {

class Dispatcher;
class SessionDirectory;

struct HttpOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;                       // 0 = any free port
  std::string path = "/mcp";
  std::vector<std::string> allowed_origins;         // added to the loopback defaults
  std::vector<std::string> allowed_hosts;           // added to the loopback defaults
  // Klaviyo accepts bodies up to 5 MB; leave room for the JSON-RPC envelope around them.
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  // Slow clients are dropped: the request line and headers must arrive within header_timeout
  // of the first byte, the body within body_timeout of the headers; a kept-alive connection
  // may sit idle for idle_timeout. Replies are written within write_timeout.
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds write_timeout{30000};
  // Beyond these, 503 with Retry-After: open connections, requests being answered, SSE streams
  // (POST replies and the GET stream) open at once on one session.
  std::size_t max_connections = 1024;
  std::size_t max_in_flight = 256;
  std::size_t max_streams_per_session = 32;
  // Bearer tokens clients must present (401 otherwise); null or empty = none asked for, which
  // only a loopback listener may do (checked at startup).
  std::shared_ptr<const BearerTokens> tokens;
  // The Klaviyo accounts configured, and the one a session uses unless its token or the
  // X-Klaviyo-Account header says otherwise.
  std::vector<std::string> accounts = {"default"};
  std::string default_account = "default";
  // TLS for the listener when both are set: PEM files of the certificate chain and its key.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Served at /metrics when set (shared with the pipeline, which records into it).
  std::shared_ptr<Metrics> metrics;
  std::chrono::minutes session_idle_timeout{30};
  // Where replicas share sessions (null: this process alone); outlives the transport.
  SessionDirectory* session_directory = nullptr;
  // How long drain() lets requests under way finish before cancelling them.
  std::chrono::milliseconds shutdown_grace{10000};
};

class HttpTransport {
 public:
  HttpTransport(asio::any_io_executor executor, Dispatcher& dispatcher, Logger& logger, HttpOptions options);
  ~HttpTransport();
  // Binds and listens (throws on failure); returns the bound port and logs
  // {"event":"listening","host":...,"port":...}.
  unsigned short listen();
  // Accepts and serves until drain() or stop(), then shuts down; returns once every connection
  // and call is over. Logs "draining" and "stopped" with counts.
  asio::awaitable<void> run();
  // Graceful shutdown (any thread): closes the listening socket, answers new requests with 503
  // and Connection: close, lets requests under way finish for up to shutdown_grace, then does
  // what stop() does. Idle keep-alive connections and GET streams do not hold it up.
  void drain();
  // Immediate shutdown (any thread), also during a drain: ends sessions (cancelling their
  // calls) and closes every connection.
  void stop();
  // Whether drain() or stop() was called (for readiness reporting).
  bool draining() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kmcp
