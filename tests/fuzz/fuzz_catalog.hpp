#pragma once
// The shipped tool catalog for fuzz targets: libFuzzer calls a target millions of times, so the
// registry is loaded once, on the first input, and kept for the process.
#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_registry.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp::fuzz {

struct FuzzCatalog {
  HookTable hooks = make_standard_hooks();
  ToolRegistry registry = ToolRegistry::load(embedded_specs(), hooks);
};

inline const FuzzCatalog& catalog() {
  static const FuzzCatalog loaded;  // a fuzz process's one fixture; the product has no such state
  return loaded;
}

// The tool an input's first byte picks, with the rest of the input.
inline const ToolSpec& pick_tool(const std::uint8_t*& data, std::size_t& size) {
  const auto& tools = catalog().registry.tools();
  std::size_t index = 0;
  if (size >= 2) {
    index = (static_cast<std::size_t>(data[0]) << 8 | data[1]) % tools.size();
    data += 2;
    size -= 2;
  }
  return *tools[index];
}

}  // namespace kmcp::fuzz
