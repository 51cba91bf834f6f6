#pragma once
// The simulated Klaviyo on a loopback port: its own thread and io_context, like a separate
// service, so the server's client reaches it over real HTTP exactly as it reaches Klaviyo.
// Requests are answered one at a time on that thread, so the API and its store need no locks.
#include <functional>
#include <memory>
#include <string>

#include "server/sandbox/sandbox_api.hpp"

namespace kmcp::sandbox {

class SandboxServer {
 public:
  // Listens on 127.0.0.1 at a free port. `after_change` runs on the sandbox thread after each
  // request that changed the store (to save it).
  explicit SandboxServer(SandboxApi& api, std::function<void()> after_change = {});
  ~SandboxServer();  // stops serving; open connections are closed
  SandboxServer(const SandboxServer&) = delete;
  SandboxServer& operator=(const SandboxServer&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // "http://127.0.0.1:P"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp::sandbox
