#include "server/pipeline/job_state.hpp"

#include <algorithm>

namespace kmcp {
namespace {

std::optional<double> number_at(const json::object* attributes, const std::string& name) {
  if (!attributes || name.empty()) return std::nullopt;
  const auto* value = attributes->if_contains(name);
  if (!value || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

std::string whole(double v) { return std::to_string(static_cast<long long>(v)); }

}  // namespace

std::optional<JobState> read_job_state(const JobSpec& job, const json::value& document) {
  if (!document.is_object()) return std::nullopt;
  const auto* data = document.get_object().if_contains("data");
  if (!data || !data->is_object()) return std::nullopt;
  const auto* id = data->get_object().if_contains("id");
  if (!id || !id->is_string() || id->get_string().empty()) return std::nullopt;

  JobState state;
  state.resource = data->get_object();
  state.id = std::string(id->get_string());
  const auto* attributes_value = state.resource.if_contains("attributes");
  const json::object* attributes =
      attributes_value && attributes_value->is_object() ? &attributes_value->get_object() : nullptr;
  if (attributes)
    if (const auto* status = attributes->if_contains(job.status_attribute); status && status->is_string())
      state.status = std::string(status->get_string());
  state.running = std::find(job.running.begin(), job.running.end(), state.status) != job.running.end();
  state.completed = number_at(attributes, job.completed_counter);
  state.total = number_at(attributes, job.total_counter);
  state.failed = number_at(attributes, job.failed_counter);
  return state;
}

std::string describe(const JobState& state) {
  std::string text = state.status.empty() ? "status unknown" : state.status;
  if (state.completed && state.total && *state.total > 0)
    text += ": " + whole(*state.completed) + " of " + whole(*state.total) + " done";
  return text;
}

}  // namespace kmcp
