#pragma once
// --sandbox: a simulated Klaviyo account served on loopback, with its store, its seed data and
// (with --sandbox-state) its file. The composition root builds one and points the client at it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/registry/tool_spec.hpp"
#include "server/sandbox/sandbox_time.hpp"

namespace kmcp::sandbox {

struct SandboxOptions {
  std::string state_file;  // empty: in memory only, fresh seed data each run
  std::string private_key;  // the key the sandbox accepts (random per run)
  std::string public_key = "SbXpub";
  WallClock clock;         // empty: the system clock
};

class Sandbox {
 public:
  // Loads the state file (or seeds a fresh account) and starts listening. Throws
  // std::runtime_error naming the file when the state cannot be opened or read.
  Sandbox(const std::vector<std::shared_ptr<const ToolSpec>>& tools, SandboxOptions options);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  std::string base_url() const;
  const std::string& private_key() const;
  const std::string& public_key() const;
  bool restored() const;      // the state came from the file
  std::size_t resources() const;  // at startup
  // The last failure to save the state file, if any (reported, never fatal: the API goes on).
  std::optional<std::string> save_problem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp::sandbox
