// Waiting for a job on simulated time: polls with a growing interval, progress from the job's
// counters, the failed items, the wait timeout and cancellation.
#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <deque>

#include "server/pipeline/job_waiter.hpp"
#include "tests/support/simulated_sleeper.hpp"

using namespace kmcp;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<ToolSpec> reader_spec(std::string name, std::string kind) {
  auto spec = std::make_shared<ToolSpec>();
  spec->name = std::move(name);
  spec->path_args = {{"job_id", "job_id"}};
  spec->response_kind = std::move(kind);
  return spec;
}

ToolSpec import_spec() {
  ToolSpec spec;
  spec.name = "bulk_import_profiles";
  JobSpec job;
  job.poll_tool = "get_bulk_import_profiles_job";
  job.status_attribute = "status";
  job.running = {"processing", "queued"};
  job.completed_counter = "completed_count";
  job.total_counter = "total_count";
  job.failed_counter = "failed_count";
  job.errors_tool = "get_errors_for_bulk_import_profiles_job";
  job.poll = reader_spec(job.poll_tool, "resource");
  job.poll_id_arg = "job_id";
  job.errors = reader_spec(job.errors_tool, "collection");
  job.errors_id_arg = "job_id";
  spec.job = std::move(job);
  return spec;
}

json::value job_document(std::string_view status, int completed, int total, int failed = 0) {
  return json::object{
      {"data", json::object{{"type", "profile-bulk-import-job"},
                            {"id", "JOB1"},
                            {"attributes", json::object{{"status", status},
                                                        {"completed_count", completed},
                                                        {"total_count", total},
                                                        {"failed_count", failed}}}}}};
}

struct Read {
  std::string tool;
  json::object args;
  SteadyTime at;
};

struct Progress {
  double progress;
  std::optional<double> total;
  std::string message;
};

struct Harness {
  asio::io_context io;
  ManualClock clock;
  test::SimulatedSleeper sleeper{io, clock};
  std::deque<boost::system::result<json::value, ToolError>> answers;  // for the poll tool, in order
  json::value errors_page = json::object{{"data", json::array{}}};
  std::vector<Read> reads;
  std::vector<Progress> progress;
  std::function<void()> on_read;  // runs inside each read, e.g. to cancel
  ToolSpec spec = import_spec();
  SteadyTime started = clock.now();

  JobWaitDeps deps() {
    return JobWaitDeps{clock, sleeper, JobPollOptions{1000ms, 5000ms},
                       [this](const ToolSpec& tool, json::object args) { return read(tool, std::move(args)); }};
  }

  asio::awaitable<boost::system::result<json::value, ToolError>> read(const ToolSpec& tool, json::object args) {
    co_return next_answer(tool, std::move(args));
  }

  boost::system::result<json::value, ToolError> next_answer(const ToolSpec& tool, json::object args) {
    reads.push_back(Read{tool.name, std::move(args), clock.now()});
    if (on_read) on_read();
    if (tool.name == spec.job->errors_tool) return errors_page;
    if (answers.empty()) return ToolError{"upstream", "script exhausted"};
    auto next = std::move(answers.front());
    answers.pop_front();
    return next;
  }

  ProgressReporter reporter() {
    return [this](double p, std::optional<double> total, std::string message) {
      progress.push_back(Progress{p, total, std::move(message)});
    };
  }

  // Runs the wait to its end on simulated time; `signal` (if any) can cancel it.
  json::object wait(const json::value& start, std::chrono::seconds wait_for, asio::cancellation_signal* signal = nullptr,
                    SteadyTime deadline = SteadyTime::max()) {
    if (deadline == SteadyTime::max()) deadline = clock.now() + 1h;
    std::optional<json::object> out;
    auto handler = [&](std::exception_ptr error, json::object result) {
      if (error) std::rethrow_exception(error);
      out = std::move(result);
    };
    const auto waiting = deps();
    const auto reporting = reporter();
    auto task = wait_for_job(waiting, spec, start, wait_for, deadline, reporting);
    if (signal)
      asio::co_spawn(io, std::move(task), asio::bind_cancellation_slot(signal->slot(), handler));
    else
      asio::co_spawn(io, std::move(task), handler);
    REQUIRE(sleeper.run(10'000).has_value());
    REQUIRE(out.has_value());
    return *out;
  }

  std::size_t polls() const {
    return std::count_if(reads.begin(), reads.end(), [&](const Read& r) { return r.tool == spec.job->poll_tool; });
  }
};

const json::object& structured(const json::object& result) {
  REQUIRE(result.at("isError") == false);
  return result.at("structuredContent").as_object();
}

const json::object& error_of(const json::object& result) {
  REQUIRE(result.at("isError") == true);
  return result.at("_meta").at(kErrorMetaKey).as_object();
}

}  // namespace

TEST_CASE("a job is polled with a growing interval until it completes, its counters as progress") {
  Harness h;
  h.answers = {job_document("processing", 0, 10), job_document("processing", 4, 10), job_document("processing", 9, 10),
               job_document("complete", 10, 10)};
  const auto result = h.wait(job_document("queued", 0, 10), 60s);

  const auto& job = structured(result);
  CHECK(job.at("job").at("id") == "JOB1");
  CHECK(job.at("job").at("status") == "complete");
  CHECK(job.at("data").at("completed_count") == 10);
  CHECK(job.at("still_running") == false);
  CHECK_FALSE(job.contains("item_errors"));  // none failed: the errors tool is not called

  REQUIRE(h.reads.size() == 4);
  for (const auto& read : h.reads) {
    CHECK(read.tool == "get_bulk_import_profiles_job");
    CHECK(read.args == json::object{{"job_id", "JOB1"}});
  }
  // 1 s, then doubling up to 5 s.
  CHECK(h.reads[0].at - h.started == 1s);
  CHECK(h.reads[1].at - h.reads[0].at == 2s);
  CHECK(h.reads[2].at - h.reads[1].at == 4s);
  CHECK(h.reads[3].at - h.reads[2].at == 5s);

  REQUIRE(h.progress.size() == 5);
  CHECK(h.progress.front().progress == 0);
  CHECK(h.progress.front().message == "job queued: 0 of 10 done");
  CHECK(h.progress[2].progress == 4);
  CHECK(h.progress[2].total == 10);
  CHECK(h.progress.back().progress == 10);
  CHECK(h.progress.back().message == "job complete: 10 of 10 done");
}

TEST_CASE("a job that ends with failed items answers with the first page of their errors, bounded") {
  Harness h;
  h.answers = {job_document("complete", 70, 100, 30)};
  json::array errors;
  for (int i = 0; i < 25; ++i)
    errors.push_back(json::object{{"type", "import-error"},
                                  {"id", "E" + std::to_string(i)},
                                  {"attributes", json::object{{"code", "invalid"}, {"detail", "bad email"}}}});
  h.errors_page = json::object{{"data", std::move(errors)}};
  const auto result = h.wait(job_document("processing", 10, 100), 60s);

  const auto& job = structured(result);
  CHECK(job.at("job").at("status") == "complete");
  CHECK(job.at("data").at("failed_count") == 30);
  REQUIRE(h.reads.size() == 2);
  CHECK(h.reads[1].tool == "get_errors_for_bulk_import_profiles_job");
  CHECK(h.reads[1].args == json::object{{"job_id", "JOB1"}});
  const auto& item_errors = job.at("item_errors").as_array();
  CHECK(item_errors.size() == 20);
  CHECK(item_errors[0].at("detail") == "bad email");
  CHECK(std::string(job.at("item_errors_note").as_string()).find("get_errors_for_bulk_import_profiles_job") !=
        std::string::npos);
}

TEST_CASE("past the wait timeout the answer is the last state, still running, with how to check later") {
  Harness h;
  for (int i = 0; i < 100; ++i) h.answers.push_back(job_document("processing", i, 100));
  const auto result = h.wait(job_document("queued", 0, 100), 10s);

  const auto& job = structured(result);
  CHECK(job.at("still_running") == true);
  CHECK(job.at("job").at("status") == "processing");
  CHECK(job.at("check_later") ==
        json::object{{"tool", "get_bulk_import_profiles_job"}, {"arguments", json::object{{"job_id", "JOB1"}}}});
  CHECK(std::string(job.at("note").as_string()).find("get_bulk_import_profiles_job") != std::string::npos);
  // Polls at 1, 3 and 7 s; the next (12 s) would be past the 10 s wait.
  CHECK(h.polls() == 3);
  CHECK(h.clock.now() - h.started <= 10s);
}

TEST_CASE("the call's deadline bounds the wait too") {
  Harness h;
  for (int i = 0; i < 100; ++i) h.answers.push_back(job_document("processing", i, 100));
  const auto result = h.wait(job_document("queued", 0, 100), 600s, nullptr, h.clock.now() + 20s);
  CHECK(structured(result).at("still_running") == true);
  CHECK(h.clock.now() - h.started <= 18s);  // keeps time for the last poll's own request
}

TEST_CASE("cancellation while sleeping between polls stops the polling at once") {
  Harness h;
  for (int i = 0; i < 100; ++i) h.answers.push_back(job_document("processing", i, 100));
  asio::cancellation_signal signal;
  h.on_read = [&] {
    if (h.polls() == 2) asio::post(h.io, [&] { signal.emit(asio::cancellation_type::terminal); });
  };
  const auto result = h.wait(job_document("queued", 0, 100), 60s, &signal);

  const auto& error = error_of(result);
  CHECK(error.at("kind") == "cancelled");
  CHECK(error.at("job_id") == "JOB1");
  CHECK(std::string(error.at("message").as_string()).find("keeps running at Klaviyo") != std::string::npos);
  CHECK(h.polls() == 2);  // nothing polled after the cancellation
}

TEST_CASE("cancellation during a poll request ends the wait when it returns") {
  Harness h;
  for (int i = 0; i < 100; ++i) h.answers.push_back(job_document("processing", i, 100));
  asio::cancellation_signal signal;
  h.on_read = [&] { signal.emit(asio::cancellation_type::terminal); };
  const auto result = h.wait(job_document("queued", 0, 100), 60s, &signal);
  CHECK(error_of(result).at("kind") == "cancelled");
  CHECK(h.polls() == 1);
}

TEST_CASE("a failed poll is the poll's error, naming the job that keeps running") {
  Harness h;
  h.answers = {ToolError{"rate_limited", "Too many calls.", json::object{{"retry_after_seconds", 30}}}};
  const auto result = h.wait(job_document("queued", 0, 10), 60s);
  const auto& error = error_of(result);
  CHECK(error.at("kind") == "rate_limited");
  CHECK(error.at("job_id") == "JOB1");
  CHECK(error.at("retry_after_seconds") == 30);
  CHECK(std::string(error.at("message").as_string()).find("get_bulk_import_profiles_job") != std::string::npos);
}

TEST_CASE("a job without counters reports polls as progress; an answer without a job is returned as it came") {
  Harness h;
  h.spec.job->completed_counter.clear();
  h.spec.job->total_counter.clear();
  h.answers = {job_document("processing", 0, 0), job_document("complete", 0, 0)};
  const auto result = h.wait(job_document("queued", 0, 0), 60s);
  CHECK(structured(result).at("job").at("status") == "complete");
  REQUIRE(h.progress.size() == 3);
  CHECK(h.progress[1].progress == 1);
  CHECK_FALSE(h.progress[1].total.has_value());
  CHECK(h.progress[2].message == "job complete");

  Harness no_job;
  const auto passed = no_job.wait(json::object{{"data", nullptr}}, 60s);
  CHECK(structured(passed).at("data").is_null());
  CHECK(no_job.reads.empty());
}
