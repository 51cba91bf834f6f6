#pragma once
// Reads a spec's "job" field (format: schemas/README.md) into a JobSpec. The tools it names are
// linked and checked once every spec is loaded (job_links.hpp).
#include "server/registry/spec_fields.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// Throws std::runtime_error naming the faulty field.
JobSpec read_job(const SpecFields& f);

}  // namespace kmcp
