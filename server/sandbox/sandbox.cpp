#include "server/sandbox/sandbox.hpp"

#include <mutex>

#include "server/sandbox/sandbox_api.hpp"
#include "server/sandbox/sandbox_server.hpp"
#include "server/sandbox/seed_data.hpp"
#include "server/sandbox/state_file.hpp"

namespace kmcp::sandbox {

struct Sandbox::Impl {
  SandboxOptions options;
  ResourceStore store;
  std::unique_ptr<StateFile> state;
  bool restored = false;
  std::size_t resources = 0;
  mutable std::mutex problem_mutex;  // written on the sandbox thread, read on others
  std::optional<std::string> save_problem;
  std::unique_ptr<SandboxApi> api;
  std::unique_ptr<SandboxServer> server;  // last: stops before the rest goes
};

Sandbox::Sandbox(const std::vector<std::shared_ptr<const ToolSpec>>& tools, SandboxOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  impl.options = std::move(options);
  if (!impl.options.state_file.empty()) {
    impl.state = std::make_unique<StateFile>(impl.options.state_file);
    impl.restored = impl.state->load(impl.store);
  }
  if (!impl.restored) {
    seed_store(impl.store, impl.options.clock());
    if (impl.state)
      if (auto problem = impl.state->save(impl.store)) throw std::runtime_error(*problem);
  }
  impl.resources = impl.store.size();
  impl.api = std::make_unique<SandboxApi>(
      tools, SandboxAccount{.private_key = impl.options.private_key, .public_key = impl.options.public_key},
      impl.options.clock, impl.store);
  std::function<void()> save;
  if (impl.state)
    save = [&impl] {
      auto problem = impl.state->save(impl.store);
      const std::lock_guard lock(impl.problem_mutex);
      impl.save_problem = std::move(problem);
    };
  impl.server = std::make_unique<SandboxServer>(*impl.api, std::move(save));
}

Sandbox::~Sandbox() { impl_->server.reset(); }

std::string Sandbox::base_url() const { return impl_->server->base_url(); }
const std::string& Sandbox::private_key() const { return impl_->options.private_key; }
const std::string& Sandbox::public_key() const { return impl_->options.public_key; }
bool Sandbox::restored() const { return impl_->restored; }
std::size_t Sandbox::resources() const { return impl_->resources; }
std::optional<std::string> Sandbox::save_problem() const {
  const std::lock_guard lock(impl_->problem_mutex);
  return impl_->save_problem;
}

}  // namespace kmcp::sandbox
