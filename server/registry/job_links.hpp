#pragma once
// Once every spec is loaded: a job-starting tool's poll and errors tools exist, read one
// resource (or page) by one id, and are linked into its JobSpec so the pipeline can call them.
#include <functional>
#include <memory>
#include <string_view>

#include "server/registry/tool_spec.hpp"

namespace kmcp {

using ToolLookup = std::function<std::shared_ptr<const ToolSpec>(std::string_view name)>;

// Sets spec.job's poll/errors links. Throws std::runtime_error naming the fault.
void link_job(ToolSpec& spec, const ToolLookup& find);

}  // namespace kmcp
