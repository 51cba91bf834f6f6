#include "server/registry/job_links.hpp"

#include <stdexcept>
#include <string>

namespace kmcp {
namespace {

// The tool `name` must read the job by one id: a read-only GET whose one path argument is it.
std::shared_ptr<const ToolSpec> read_by_id_tool(const std::string& field, const std::string& name,
                                                const std::string& kind, const ToolLookup& find, std::string& id_arg) {
  auto tool = find(name);
  const auto where = "job." + field + " '" + name + "'";
  if (!tool || tool->name != name) throw std::runtime_error(where + " is not a tool name");
  if (tool->method != boost::beast::http::verb::get || tool->job)
    throw std::runtime_error(where + " must be a GET tool that reads the job");
  if (tool->path_args.size() != 1) throw std::runtime_error(where + " must take the job's id as its one path argument");
  if (tool->response_kind != kind) throw std::runtime_error(where + " must answer with a " + kind);
  id_arg = tool->path_args.begin()->second;
  return tool;
}

}  // namespace

void link_job(ToolSpec& spec, const ToolLookup& find) {
  if (!spec.job) return;
  auto& job = *spec.job;
  job.poll = read_by_id_tool("poll_tool", job.poll_tool, "resource", find, job.poll_id_arg);
  if (!job.errors_tool.empty())
    job.errors = read_by_id_tool("errors_tool", job.errors_tool, "collection", find, job.errors_id_arg);
}

}  // namespace kmcp
