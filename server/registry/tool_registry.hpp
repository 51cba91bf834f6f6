#pragma once
// Every tool the server knows, looked up by name or alias.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/registry/embedded_specs.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

class HookTable;  // tools/preconditions/hook_table.hpp

class ToolRegistry {
 public:
  // Parses, checks and compiles every spec. Throws std::runtime_error naming the file and the
  // fault on an inconsistent spec: unknown hook, unmapped path placeholder, argument used by the
  // request but absent from inputSchema or present but unused, duplicate name or alias,
  // missing rate limits, invalid schema (with SchemaCompilation::at_load; on_first_use leaves
  // compiling to the first call of each tool, for a fast start on specs a test already loaded).
  enum class SchemaCompilation { at_load, on_first_use };
  static ToolRegistry load(std::span<const EmbeddedSpec> files, const HookTable& hooks,
                           SchemaCompilation schemas = SchemaCompilation::at_load);

  // By name or alias.
  const ToolSpec* find(std::string_view name) const;
  // In a stable order (toolset, then name).
  const std::vector<std::shared_ptr<const ToolSpec>>& tools() const { return tools_; }

 private:
  std::vector<std::shared_ptr<const ToolSpec>> tools_;
  std::unordered_map<std::string, const ToolSpec*> by_name_;  // names and aliases
};

}  // namespace kmcp
