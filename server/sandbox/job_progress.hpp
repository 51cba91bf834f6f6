#pragma once
// Asynchronous jobs (bulk imports, campaign sends, estimations) as they look from outside: a
// job is queued, then processing with its counters climbing, then complete, over a few seconds
// of the sandbox clock. Which types are jobs, and their status attribute and counters, come from
// the tool specs (a tool's "job" entry). Progress is worked out when someone looks.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/registry/tool_spec.hpp"
#include "server/sandbox/resource_store.hpp"
#include "server/sandbox/sandbox_time.hpp"

namespace kmcp::sandbox {

inline constexpr std::chrono::milliseconds kJobQueued{500};     // before processing starts
inline constexpr std::chrono::milliseconds kJobDuration{3000};  // from creation to complete

class JobTable {
 public:
  explicit JobTable(const std::vector<std::shared_ptr<const ToolSpec>>& tools);

  // The job spec of the job resource `type` ("profile-bulk-import-job"), or null.
  const JobSpec* find(const std::string& type) const;
  const std::map<std::string, const JobSpec*>& jobs() const { return jobs_; }

 private:
  std::map<std::string, const JobSpec*> jobs_;
};

// A queued job of `type` with `total` items of which `failed` will fail; `effect` names what
// happens on completion (see advance_jobs), `target` the resource it acts on.
Resource make_job(const JobTable& table, const std::string& type, std::string id, int total, int failed,
                  WallTime now, const std::string& effect = {}, const std::string& target = {});

// Called once per job that completes, with the job: the effect of finishing (a campaign sent).
using JobCompletion = std::function<void(Resource& job)>;

// Moves every job in the store to where it is at `now`.
void advance_jobs(ResourceStore& store, const JobTable& table, WallTime now, const JobCompletion& completed);

}  // namespace kmcp::sandbox
