#pragma once
// What a job resource says, read through its JobSpec: id, status, whether it is still running,
// and its counters. Pure.
#include <optional>
#include <string>

#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

struct JobState {
  json::object resource;  // the JSON:API resource (data) as Klaviyo sent it
  std::string id;
  std::string status;     // "" when absent
  bool running = false;
  std::optional<double> completed, total, failed;
};

// The job in a JSON:API document, or nullopt when it holds no resource with a string id.
std::optional<JobState> read_job_state(const JobSpec& job, const json::value& document);

// "processing: 40 of 100 done" or "queued".
std::string describe(const JobState& state);

}  // namespace kmcp
