// Job-starting tools: the "job" field, its links to the poll and errors tools, and the `wait`
// arguments the registry adds to their inputSchema.
#include <doctest/doctest.h>

#include "server/registry/job_wait_arguments.hpp"
#include "server/registry/lazy_schema_validator.hpp"
#include "tests/unit/registry/spec_fixture.hpp"

namespace kmcp {
namespace {

using test::load_fault;
using test::SpecFiles;

json::object import_with_job() {
  auto spec = test::bulk_import_spec();
  spec["job"] = json::parse(R"({"poll_tool": "get_bulk_import_profiles_job",
      "status": {"attribute": "status", "running": ["processing", "queued"]},
      "counters": {"completed": "completed_count", "total": "total_count", "failed": "failed_count"},
      "errors_tool": "get_errors_for_bulk_import_profiles_job"})");
  return spec;
}

json::object job_reader(std::string name, std::string path, std::string kind) {
  auto spec = json::parse(R"({
    "toolset": "profiles", "description": "Reads a job.",
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true},
    "request": {"method": "GET", "path_args": {"job_id": "job_id"}},
    "rate": {"burst": 10, "steady": 150},
    "inputSchema": {"type": "object", "properties": {"job_id": {"type": "string"}}, "required": ["job_id"],
                    "additionalProperties": false}
  })").as_object();
  spec["name"] = name;
  spec["request"].as_object()["path"] = path;
  spec["response"] = json::object{{"kind", kind}};
  return spec;
}

SpecFiles job_files(const json::object& starter) {
  SpecFiles files;
  files.add(starter)
      .add(job_reader("get_bulk_import_profiles_job", "/api/profile-bulk-import-jobs/{job_id}", "resource"))
      .add(job_reader("get_errors_for_bulk_import_profiles_job", "/api/profile-bulk-import-jobs/{job_id}/import-errors",
                      "collection"))
      .add(test::update_list_spec())
      .add(test::get_profiles_spec());
  return files;
}

std::string fault_with_job(const std::function<void(json::object& job, json::object& spec)>& edit) {
  auto spec = import_with_job();
  edit(spec.at("job").as_object(), spec);
  const auto fault = load_fault(job_files(spec));
  CAPTURE(fault);
  CHECK(fault.starts_with("profiles/bulk_import_profiles.json: "));
  return fault;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a job-starting tool links its poll and errors tools and takes wait arguments") {
  const auto files = job_files(import_with_job());
  const auto registry = ToolRegistry::load(files.files(), test::fake_hooks());
  const auto& spec = *registry.find("bulk_import_profiles");
  REQUIRE(spec.job.has_value());
  const auto& job = *spec.job;
  CHECK(job.status_attribute == "status");
  CHECK(job.running == std::vector<std::string>{"processing", "queued"});
  CHECK(job.completed_counter == "completed_count");
  CHECK(job.total_counter == "total_count");
  CHECK(job.failed_counter == "failed_count");
  REQUIRE(job.poll != nullptr);
  CHECK(job.poll.get() == registry.find("get_bulk_import_profiles_job"));
  CHECK(job.poll_id_arg == "job_id");
  REQUIRE(job.errors != nullptr);
  CHECK(job.errors->name == "get_errors_for_bulk_import_profiles_job");
  CHECK(job.errors_id_arg == "job_id");
  CHECK_FALSE(registry.find("get_bulk_import_profiles_job")->job.has_value());

  const auto& listed = spec.listing.at("inputSchema").at("properties").as_object();
  CHECK(listed.at("wait").at("type") == "boolean");
  CHECK(contains(std::string(listed.at("wait").at("description").as_string()), "get_bulk_import_profiles_job"));
  CHECK(listed.at("wait_timeout_seconds").at("maximum") == 600);
  CHECK(spec.validator->validate(json::parse(R"({"profiles": [{}], "wait": true, "wait_timeout_seconds": 30})")).empty());
  CHECK(spec.validator->validate(json::parse(R"({"profiles": [{}], "wait": true, "wait_timeout_seconds": 0})")).size() == 1);
  CHECK(spec.validator->validate(json::parse(R"({"profiles": [{}], "wait_timeout_seconds": 601})")).size() == 1);
  CHECK(spec.validator->validate(json::parse(R"({"profiles": [{}], "wait": "yes"})")).size() == 1);
}

TEST_CASE("job fields and links that cannot work are refused") {
  CHECK(contains(fault_with_job([](json::object& job, json::object&) { job["poll_tool"] = "get_nothing"; }),
                 "job.poll_tool 'get_nothing' is not a tool name"));
  CHECK(contains(fault_with_job([](json::object& job, json::object&) { job["poll_tool"] = "update_list"; }),
                 "must be a GET tool"));
  CHECK(contains(fault_with_job([](json::object& job, json::object&) { job["poll_tool"] = "get_profiles"; }),
                 "one path argument"));
  CHECK(contains(fault_with_job([](json::object& job, json::object&) {
                   job["errors_tool"] = "get_bulk_import_profiles_job";
                 }),
                 "must answer with a collection"));
  CHECK(contains(fault_with_job([](json::object& job, json::object&) {
                   job["status"].as_object()["running"] = json::array{};
                 }),
                 "job.status.running"));
  CHECK(contains(fault_with_job([](json::object& job, json::object&) { job["wait"] = true; }), "job.wait"));
  CHECK(contains(fault_with_job([](json::object&, json::object& spec) {
                   spec["inputSchema"].as_object()["properties"].as_object()["wait"] = json::object{{"type", "boolean"}};
                 }),
                 "inputSchema has 'wait'"));
  CHECK(contains(fault_with_job([](json::object&, json::object& spec) {
                   spec["response"] = json::object{{"kind", "empty"}};
                 }),
                 "must answer with the job"));
}

TEST_CASE("requested_job_wait reads wait and its timeout; the wait arguments never reach the request") {
  const auto files = job_files(import_with_job());
  const auto registry = ToolRegistry::load(files.files(), test::fake_hooks());
  const auto& spec = *registry.find("bulk_import_profiles");
  using std::chrono::seconds;
  auto args = [](std::string_view text) { return json::parse(text).as_object(); };
  CHECK_FALSE(requested_job_wait(spec, args(R"({"profiles": []})")).has_value());
  CHECK_FALSE(requested_job_wait(spec, args(R"({"wait": false, "wait_timeout_seconds": 5})")).has_value());
  CHECK(requested_job_wait(spec, args(R"({"wait": true})")) == kDefaultJobWait);
  CHECK(requested_job_wait(spec, args(R"({"wait": true, "wait_timeout_seconds": 5})")) == seconds(5));
  CHECK(requested_job_wait(spec, args(R"({"wait": true, "wait_timeout_seconds": 100000})")) == kMaxJobWait);
  CHECK(requested_job_wait(spec, args(R"({"wait": true, "wait_timeout_seconds": "x"})")) == kDefaultJobWait);
  // A tool without a job ignores the word.
  CHECK_FALSE(requested_job_wait(*registry.find("update_list"), args(R"({"wait": true})")).has_value());

  CHECK_FALSE(without_job_wait_arguments(spec, args(R"({"profiles": []})")).has_value());
  CHECK(without_job_wait_arguments(spec, args(R"({"profiles": [], "wait": true, "wait_timeout_seconds": 5})")) ==
        args(R"({"profiles": []})"));
}

}  // namespace kmcp
