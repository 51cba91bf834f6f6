#pragma once
// Which of the registry's tools a client sees and may call, and why each other one is hidden.
// Immutable once built (tool_selection.hpp builds them); shared by the sessions that use it.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/registry/tool_registry.hpp"

namespace kmcp {

enum class HiddenReason : std::uint8_t {
  not_selected,      // in none of the selected toolsets, and not added by name
  excluded,          // excluded by name
  read_only,         // a write tool (not readOnlyHint) under read-only
  customer_content,  // its results carry customer-written text, and such tools are hidden
};

struct Hidden {
  HiddenReason reason;
  bool by_session = false;  // the session's narrowing hid it, not the operator's switches
};

class ToolExposure {
 public:
  // `hidden`: the tools not exposed and why; every other tool of `registry` is exposed.
  ToolExposure(const ToolRegistry& registry, std::unordered_map<const ToolSpec*, Hidden> hidden);
  // Every tool exposed.
  static std::shared_ptr<const ToolExposure> everything(const ToolRegistry& registry);

  const ToolRegistry& registry() const { return *registry_; }
  std::optional<Hidden> hidden(const ToolSpec& spec) const;
  bool exposes(const ToolSpec& spec) const { return !hidden(spec); }
  // The exposed tools, in registry order: what tools/list shows.
  const std::vector<const ToolSpec*>& listed() const { return listed_; }

  // tools/list's result for the `size` listed tools from `offset`, serialized:
  // {"tools":[...]} plus "nextCursor" (the next page's offset as decimal text) when more follow.
  // Built on first use and kept (thread-safe): the listings never change, and rebuilding and
  // serializing them was most of a tools/list.
  std::shared_ptr<const std::string> listing_page(std::size_t offset, std::size_t size) const;

 private:
  const ToolRegistry* registry_;
  std::unordered_map<const ToolSpec*, Hidden> hidden_;
  std::vector<const ToolSpec*> listed_;
  mutable std::mutex pages_mutex_;
  mutable std::map<std::pair<std::size_t, std::size_t>, std::shared_ptr<const std::string>> pages_;
};

}  // namespace kmcp
