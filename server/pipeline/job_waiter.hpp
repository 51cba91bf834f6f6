#pragma once
// `wait` on a job-starting tool: after Klaviyo accepted the job, poll it through the spec's
// poll tool (with a growing interval) until its status leaves the running ones, reporting its
// counters as progress, and answer with the final job (plus the first page of its failed items
// when the spec names an errors tool). Past the wait timeout the answer is the job's last state
// with still_running: true and how to check it later. Cancellation stops the polling at once;
// the job itself keeps running at Klaviyo, and the answer says so.
#include <boost/system/result.hpp>
#include <chrono>
#include <functional>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"
#include "server/core/tool_error.hpp"
#include "server/pipeline/job_poll_options.hpp"
#include "server/pipeline/upstream_exchange.hpp"
#include "server/rate/sleeper.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

// One call of `tool` with `args` through the pipeline's own path (checks, rate buckets, send,
// retries, error mapping): Klaviyo's JSON answer, or the error a call would report.
using JobReader =
    std::function<asio::awaitable<boost::system::result<json::value, ToolError>>(const ToolSpec& tool, json::object args)>;

struct JobWaitDeps {
  const Clock& clock;
  Sleeper& sleeper;
  JobPollOptions options;
  JobReader read;
};

// The ToolError of a call cancelled while it waited for job `job_id` (which keeps running).
ToolError cancelled_job_wait(const JobSpec& job, const std::string& job_id);

// `started` is Klaviyo's answer to `spec`'s start request (a JSON:API document holding the job).
// Waits at most `wait_for`, and never past `deadline`. Returns the MCP CallToolResult.
asio::awaitable<json::object> wait_for_job(const JobWaitDeps& deps, const ToolSpec& spec, const json::value& started,
                                           std::chrono::seconds wait_for, SteadyTime deadline,
                                           const ProgressReporter& progress);

}  // namespace kmcp
