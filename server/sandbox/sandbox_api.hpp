#pragma once
// The simulated Klaviyo API: one request in, one response out, no sockets. It checks what
// Klaviyo checks (the key, the revision header, the content type, the key's scopes, the
// endpoint's fixed rate windows), then serves the route the tool specs describe from the store.
#include <memory>
#include <string>
#include <vector>

#include "server/registry/tool_spec.hpp"
#include "server/sandbox/fixed_windows.hpp"
#include "server/sandbox/job_progress.hpp"
#include "server/sandbox/resource_store.hpp"
#include "server/sandbox/route_table.hpp"
#include "server/sandbox/sandbox_exchange.hpp"
#include "server/sandbox/sandbox_time.hpp"

namespace kmcp::sandbox {

struct SandboxAccount {
  std::string private_key;            // Authorization: Klaviyo-API-Key <private_key>
  std::string public_key;             // company_id of the /client endpoints
  std::vector<std::string> scopes;    // "lists:write" (implies lists:read); empty: every scope
};

class SandboxApi {
 public:
  SandboxApi(const std::vector<std::shared_ptr<const ToolSpec>>& tools, SandboxAccount account, WallClock clock,
             ResourceStore& store);

  // `base_url` is where the API is reached ("http://127.0.0.1:P"), for links in documents.
  SandboxResponse handle(const SandboxRequest& request, const std::string& base_url);

  ResourceStore& store() { return store_; }

 private:
  SandboxResponse serve(const SandboxRequest& request, const std::string& base_url);

  RouteTable routes_;
  JobTable jobs_;
  SandboxAccount account_;
  WallClock clock_;
  ResourceStore& store_;
  FixedWindows windows_;
};

}  // namespace kmcp::sandbox
