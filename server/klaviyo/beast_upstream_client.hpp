#pragma once
// Production client: Beast over TCP or TLS (OpenSSL; SNI, certificate and host-name checks,
// session resumption), a bounded keep-alive pool per host, a deadline per call.
#include <memory>
#include <string>

#include "server/klaviyo/upstream_client.hpp"

namespace kmcp {

struct UpstreamOptions {
  std::string base_url = "https://a.klaviyo.com";  // http:// allowed (tests, local fakes)
  std::string ca_file;                              // extra trusted CA (PEM); system CAs always
  std::size_t max_connections = 64;                 // open at once, idle and busy; at least 1
  std::size_t max_idle_connections = 16;            // kept-alive connections per host
  std::size_t max_response_bytes = 32 * 1024 * 1024;
};

// A snapshot of the pool, for logs and tests.
struct UpstreamPoolStats {
  std::size_t busy = 0;     // calls holding one of the max_connections slots
  std::size_t idle = 0;     // kept-alive connections nobody uses
  std::size_t waiting = 0;  // calls in line for a slot
};

class BeastUpstreamClient final : public UpstreamClient {
 public:
  // Throws std::runtime_error on a malformed base URL, an unreadable CA file or
  // max_connections 0 (startup errors).
  BeastUpstreamClient(asio::any_io_executor executor, UpstreamOptions options);
  ~BeastUpstreamClient() override;

  // With max_connections calls in flight, a further call waits in line (first come first
  // served) until one ends; still waiting at its deadline it fails with kind timeout,
  // maybe_sent false.
  asio::awaitable<UpstreamResult> send(UpstreamRequest request, SteadyTime deadline, WriteHook on_write) override;

  UpstreamPoolStats pool_stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
