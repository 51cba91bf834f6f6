#include "server/registry/job_wait_arguments.hpp"

#include <algorithm>
#include <string>

#include "server/registry/added_arguments.hpp"

namespace kmcp {

void add_job_wait_arguments(json::object& input_schema, const JobSpec& job) {
  auto& props = properties_for_added_arguments(input_schema, {kWaitArg, kWaitTimeoutArg}, "job-starting tools");
  props[kWaitArg] = json::object{
      {"type", "boolean"},
      {"description", "true: wait for the job to end (polling " + job.poll_tool +
                          "), with progress notifications, and return its final state. Cancelling stops the "
                          "waiting, not the job."}};
  props[kWaitTimeoutArg] = json::object{
      {"type", "integer"},
      {"minimum", 1},
      {"maximum", kMaxJobWait.count()},
      {"description", "With wait: give up waiting after this many seconds (default " +
                          std::to_string(kDefaultJobWait.count()) +
                          ") and return the job's last state with still_running: true."}};
}

std::optional<std::chrono::seconds> requested_job_wait(const ToolSpec& spec, const json::object& args) {
  if (!spec.job) return std::nullopt;
  const auto* wait = args.if_contains(kWaitArg);
  if (!wait || !wait->is_bool() || !wait->get_bool()) return std::nullopt;
  const auto* timeout = args.if_contains(kWaitTimeoutArg);
  if (!timeout || !timeout->is_number()) return kDefaultJobWait;
  boost::system::error_code ec;
  const double seconds = timeout->to_number<double>(ec);
  if (ec) return kDefaultJobWait;
  return std::chrono::seconds(static_cast<std::int64_t>(std::clamp(seconds, 1.0, double(kMaxJobWait.count()))));
}

std::optional<json::object> without_job_wait_arguments(const ToolSpec& spec, const json::object& args) {
  if (!spec.job || (!args.contains(kWaitArg) && !args.contains(kWaitTimeoutArg))) return std::nullopt;
  json::object stripped = args;
  stripped.erase(kWaitArg);
  stripped.erase(kWaitTimeoutArg);
  return stripped;
}

}  // namespace kmcp
