#pragma once
// Production client: Beast over TCP or TLS (OpenSSL; SNI, certificate and host-name checks),
// a keep-alive pool per host, a deadline per call.
#include <memory>
#include <string>

#include "server/klaviyo/upstream_client.hpp"

namespace kmcp {

struct UpstreamOptions {
  std::string base_url = "https://a.klaviyo.com";  // http:// allowed (tests, local fakes)
  std::string ca_file;                              // extra trusted CA (PEM); system CAs always
  std::size_t max_idle_connections = 16;            // kept-alive connections per host
  std::size_t max_response_bytes = 32 * 1024 * 1024;
};

class BeastUpstreamClient final : public UpstreamClient {
 public:
  // Throws std::runtime_error on a malformed base URL or unreadable CA file (startup error).
  BeastUpstreamClient(asio::any_io_executor executor, UpstreamOptions options);
  ~BeastUpstreamClient() override;

  asio::awaitable<UpstreamResult> send(UpstreamRequest request, SteadyTime deadline) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
