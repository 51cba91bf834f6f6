#include "server/pipeline/job_waiter.hpp"

#include <boost/asio/this_coro.hpp>

#include "server/pipeline/job_state.hpp"
#include "server/pipeline/result_shaper.hpp"

namespace kmcp {
namespace {

// Time kept back from the call's deadline for the last poll's own request.
constexpr std::chrono::seconds kLastPollAllowance{2};
// Failed items shown in the answer; the errors tool pages through the rest.
constexpr std::size_t kMaxItemErrors = 20;

bool is_cancelled(const asio::cancellation_state& state) { return state.cancelled() != asio::cancellation_type::none; }

// The arguments of a call reading job `job_id` (built outside the coroutines: g++12 miscompiles
// braced initializers inside them).
json::object id_args(const std::string& arg, const std::string& job_id) { return json::object{{arg, job_id}}; }

json::object poll_call(const JobSpec& job, const std::string& job_id) {
  return json::object{{"tool", job.poll_tool}, {"arguments", id_args(job.poll_id_arg, job_id)}};
}

ToolError answer_without_job(const JobSpec& job) { return ToolError{"upstream", job.poll_tool + " answered without the job."}; }

std::string check_later(const JobSpec& job, const std::string& job_id) {
  return "check it with " + job.poll_tool + " (" + job.poll_id_arg + ": \"" + job_id + "\")";
}

// A failed poll: the error as the poll tool reported it, plus the job that keeps running.
ToolError failed_poll(ToolError error, const JobSpec& job, const std::string& job_id) {
  error.message += " The job " + job_id + " was started and keeps running at Klaviyo; " + check_later(job, job_id) + ".";
  error.details["job_id"] = job_id;
  error.details["check_later"] = poll_call(job, job_id);
  return error;
}

// Progress in the job's own items when it counts them, else in polls made.
void report(const ProgressReporter& progress, const JobSpec& job, const JobState& state, int polls) {
  if (!progress) return;
  const bool counted = !job.completed_counter.empty() && !job.total_counter.empty();
  if (!counted) return progress(polls, std::nullopt, "job " + describe(state));
  std::optional<double> total;
  if (state.total && *state.total > 0) total = state.total;
  progress(state.completed.value_or(0), total, "job " + describe(state));
}

class JobWait {
 public:
  JobWait(const JobWaitDeps& deps, const JobSpec& job, JobState state, const ProgressReporter& progress)
      : deps_(deps), job_(job), state_(std::move(state)), progress_(progress) {}

  asio::awaitable<json::object> run(SteadyTime give_up) {
    // Checked before every co_await: awaiting anything after a cancellation would throw instead.
    asio::cancellation_state cancellation = co_await asio::this_coro::cancellation_state;
    int polls = 0;
    report(progress_, job_, state_, polls);
    Millis interval = deps_.options.first_interval;
    bool still_running = false;
    while (state_.running) {
      const SteadyTime next = deps_.clock.now() + interval;
      if (next > give_up) {
        still_running = true;
        break;
      }
      if (is_cancelled(cancellation)) co_return to_call_tool_result(cancelled_job_wait(job_, state_.id));
      const auto slept = co_await deps_.sleeper.sleep_until(next);
      if (slept || is_cancelled(cancellation)) co_return to_call_tool_result(cancelled_job_wait(job_, state_.id));

      auto answer = co_await deps_.read(*job_.poll, id_args(job_.poll_id_arg, state_.id));
      if (is_cancelled(cancellation)) co_return to_call_tool_result(cancelled_job_wait(job_, state_.id));
      if (!answer) co_return to_call_tool_result(failed_poll(answer.error(), job_, state_.id));
      auto polled = read_job_state(job_, *answer);
      if (!polled) co_return to_call_tool_result(failed_poll(answer_without_job(job_), job_, state_.id));
      state_ = std::move(*polled);
      report(progress_, job_, state_, ++polls);
      interval = std::min(interval * 2, std::max(deps_.options.max_interval, deps_.options.first_interval));
    }

    json::object structured = job_result(state_.resource);
    structured["still_running"] = still_running;
    if (still_running) {
      structured["check_later"] = poll_call(job_, state_.id);
      structured["note"] = "The job is still running at Klaviyo (" + describe(state_) + "); " +
                           check_later(job_, state_.id) + ".";
    } else if (job_.errors && (!state_.failed || *state_.failed > 0)) {
      if (is_cancelled(cancellation)) co_return to_call_tool_result(cancelled_job_wait(job_, state_.id));
      co_await add_item_errors(structured);
    }
    co_return call_tool_result(std::move(structured));
  }

 private:
  // The first page of the failed items, bounded; a failure to read them is said, not fatal.
  asio::awaitable<void> add_item_errors(json::object& structured) {
    auto answer = co_await deps_.read(*job_.errors, id_args(job_.errors_id_arg, state_.id));
    if (!answer) {
      structured["item_errors_unavailable"] = answer.error().message;
      co_return;
    }
    json::object page = shape_document(*answer);
    json::array errors;
    if (auto* data = page.if_contains("data"); data && data->is_array()) errors = data->get_array();
    const auto* has_more = page.if_contains("has_more");
    const bool more = errors.size() > kMaxItemErrors || (has_more && *has_more == true);
    if (errors.size() > kMaxItemErrors) errors.resize(kMaxItemErrors);
    structured["item_errors"] = std::move(errors);
    if (more)
      structured["item_errors_note"] = "More failed items: page through " + job_.errors_tool + " (" +
                                       job_.errors_id_arg + ": \"" + state_.id + "\").";
  }

  const JobWaitDeps& deps_;
  const JobSpec& job_;
  JobState state_;
  const ProgressReporter& progress_;
};

}  // namespace

ToolError cancelled_job_wait(const JobSpec& job, const std::string& job_id) {
  ToolError error = cancelled_error();
  error.message = "The call was cancelled while waiting; the job " + job_id + " keeps running at Klaviyo: " +
                  check_later(job, job_id) + ".";
  error.details["job_id"] = job_id;
  error.details["check_later"] = poll_call(job, job_id);
  return error;
}

asio::awaitable<json::object> wait_for_job(const JobWaitDeps& deps, const ToolSpec& spec, const json::value& started,
                                           std::chrono::seconds wait_for, SteadyTime deadline,
                                           const ProgressReporter& progress) {
  auto state = spec.job ? read_job_state(*spec.job, started) : std::nullopt;
  // Nothing to wait on (no job in the answer): the answer as it came.
  if (!state) co_return call_tool_result(shape_document(started));
  const SteadyTime give_up = std::min(deps.clock.now() + wait_for, deadline - kLastPollAllowance);
  JobWait wait(deps, *spec.job, std::move(*state), progress);
  co_return co_await wait.run(give_up);
}

}  // namespace kmcp
