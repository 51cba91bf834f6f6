#pragma once
// --sandbox-state FILE: the simulated account kept in an SQLite file between runs. The whole
// store is written in one transaction after each change (a sandbox holds a few thousand
// resources: milliseconds), so a crash leaves the last complete state.
#include <memory>
#include <optional>
#include <string>

#include "server/sandbox/resource_store.hpp"

namespace kmcp::sandbox {

class StateFile {
 public:
  // Opens or creates `path`; throws std::runtime_error naming the file when it cannot.
  explicit StateFile(const std::string& path);
  ~StateFile();
  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;

  // Fills `store` from the file; false when the file holds no state yet.
  bool load(ResourceStore& store);
  // Replaces the file's state with `store`; the reason on failure.
  std::optional<std::string> save(const ResourceStore& store);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp::sandbox
