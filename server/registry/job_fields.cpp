#include "server/registry/job_fields.hpp"

namespace kmcp {

JobSpec read_job(const SpecFields& f) {
  f.allow_only({"poll_tool", "status", "counters", "errors_tool"});
  JobSpec job;
  job.poll_tool = f.text("poll_tool");
  job.errors_tool = f.optional_text("errors_tool").value_or("");

  const auto status = f.child("status");
  status.allow_only({"attribute", "running"});
  job.status_attribute = status.text("attribute");
  job.running = status.text_list("running");
  if (job.running.empty()) status.fail("running", "must list the statuses of a job still under way");

  if (f.has("counters")) {
    const auto counters = f.child("counters");
    counters.allow_only({"completed", "total", "failed"});
    job.completed_counter = counters.optional_text("completed").value_or("");
    job.total_counter = counters.optional_text("total").value_or("");
    job.failed_counter = counters.optional_text("failed").value_or("");
  }
  return job;
}

}  // namespace kmcp
