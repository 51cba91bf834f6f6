#pragma once
// What a handler of the simulated API works with during one request.
#include <string>

#include "server/sandbox/job_progress.hpp"
#include "server/sandbox/resource_documents.hpp"
#include "server/sandbox/resource_store.hpp"
#include "server/sandbox/route_table.hpp"
#include "server/sandbox/sandbox_exchange.hpp"
#include "server/sandbox/sandbox_time.hpp"

namespace kmcp::sandbox {

struct ApiContext {
  ResourceStore& store;
  const JobTable& jobs;
  const RouteMatch& match;
  const QueryParams& query;
  std::string path;      // percent-decoded
  std::string base_url;  // for links
  WallTime now;
  std::string now_iso;

  DocumentContext documents() const { return DocumentContext{store, base_url, path, query}; }
};

// An action route's answer (a POST that is not a plain create): imports, jobs, renders, reports.
// `data` is the request body's "data" member (an object, or null when there was no body).
SandboxResponse run_action(ApiContext& context, const json::value& data);

// Consequences of a finished job (a campaign send marks its campaign sent).
void complete_job(ResourceStore& store, Resource& job, const std::string& now_iso);

// Stores a new resource of `type` from a request's data (attributes and relationships), with
// creation times and the defaults Klaviyo gives that type.
Resource& create_resource(ResourceStore& store, const std::string& type, const json::object& data,
                          const std::string& now_iso);

}  // namespace kmcp::sandbox
