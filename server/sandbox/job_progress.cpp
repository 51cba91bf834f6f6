#include "server/sandbox/job_progress.hpp"

#include <algorithm>

namespace kmcp::sandbox {
namespace {

// Completed statuses as Klaviyo spells them: "complete" for jobs; estimations likewise.
constexpr const char* kComplete = "complete";

std::string first_running(const JobSpec& spec, const std::string& preferred) {
  for (const auto& status : spec.running)
    if (status == preferred) return status;
  return spec.running.empty() ? std::string("queued") : spec.running.front();
}

}  // namespace

JobTable::JobTable(const std::vector<std::shared_ptr<const ToolSpec>>& tools) {
  for (const auto& tool : tools)
    if (tool->job && tool->body.kind == BodySpec::Kind::resource) jobs_.emplace(tool->body.type, &*tool->job);
}

const JobSpec* JobTable::find(const std::string& type) const {
  const auto it = jobs_.find(type);
  return it == jobs_.end() ? nullptr : it->second;
}

Resource make_job(const JobTable& table, const std::string& type, std::string id, int total, int failed,
                  WallTime now, const std::string& effect, const std::string& target) {
  const JobSpec* spec = table.find(type);
  json::object attributes;
  const std::string status_attribute = spec && !spec->status_attribute.empty() ? spec->status_attribute : "status";
  attributes[status_attribute] = spec ? first_running(*spec, "queued") : std::string("queued");
  if (spec && !spec->total_counter.empty()) attributes[spec->total_counter] = total;
  if (spec && !spec->completed_counter.empty()) attributes[spec->completed_counter] = 0;
  if (spec && !spec->failed_counter.empty()) attributes[spec->failed_counter] = 0;
  attributes["created_at"] = iso_time(now);
  attributes["completed_at"] = nullptr;
  return json::object{{"type", type},
                      {"id", std::move(id)},
                      {"attributes", std::move(attributes)},
                      {"relationships", json::object{}},
                      {"_sandbox", json::object{{"started_ms", epoch_ms(now)},
                                                {"total", total},
                                                {"failed", failed},
                                                {"effect", effect},
                                                {"target", target},
                                                {"done", false}}}};
}

void advance_jobs(ResourceStore& store, const JobTable& table, WallTime now, const JobCompletion& completed) {
  for (const auto& [type, spec] : table.jobs()) {
    for (Resource* job : store.all_mutable(type)) {
      auto* book = job->if_contains("_sandbox");
      if (!book || !book->is_object() || book->get_object().at("done").as_bool()) continue;
      json::object& sandbox = book->get_object();
      json::object& attributes = job->at("attributes").as_object();
      if (sandbox.contains("cancelled") && sandbox.at("cancelled").as_bool()) continue;
      const std::string status_attribute = spec->status_attribute.empty() ? "status" : spec->status_attribute;
      const auto elapsed = std::chrono::milliseconds(epoch_ms(now) - sandbox.at("started_ms").to_number<long long>());
      const int total = sandbox.at("total").to_number<int>();
      const int failed = sandbox.at("failed").to_number<int>();
      if (elapsed < kJobQueued) continue;
      if (elapsed < kJobDuration) {
        attributes[status_attribute] = first_running(*spec, "processing");
        const double share = double((elapsed - kJobQueued).count()) / double((kJobDuration - kJobQueued).count());
        if (!spec->completed_counter.empty())
          attributes[spec->completed_counter] = static_cast<int>((total - failed) * share);
        store.touch();
        continue;
      }
      attributes[status_attribute] = kComplete;
      if (!spec->completed_counter.empty()) attributes[spec->completed_counter] = total - failed;
      if (!spec->failed_counter.empty()) attributes[spec->failed_counter] = failed;
      attributes["completed_at"] = iso_time(now);
      sandbox["done"] = true;
      store.touch();
      completed(*job);
    }
  }
}

}  // namespace kmcp::sandbox
