#include "server/pipeline/tool_pipeline.hpp"

#include <boost/beast/http/verb.hpp>

#include "server/core/server_metrics.hpp"
#include "server/core/tool_error.hpp"
#include "server/pipeline/confirmation_store.hpp"
#include "server/pipeline/confirmation_tokens.hpp"
#include "server/pipeline/cursor_table.hpp"
#include "server/pipeline/job_waiter.hpp"
#include "server/pipeline/klaviyo_errors.hpp"
#include "server/pipeline/list_pages.hpp"
#include "server/pipeline/list_result.hpp"
#include "server/pipeline/paging_plan.hpp"
#include "server/pipeline/prepared_call.hpp"
#include "server/pipeline/recipient_estimate.hpp"
#include "server/pipeline/request_description.hpp"
#include "server/pipeline/result_shaper.hpp"
#include "server/pipeline/upstream_exchange.hpp"
#include "server/pipeline/write_preview.hpp"
#include "server/registry/job_wait_arguments.hpp"
#include "server/registry/output_schemas.hpp"
#include "server/registry/paging_arguments.hpp"
#include "server/registry/safe_write_arguments.hpp"

namespace kmcp {
namespace {

// What the logs say about one call: never the key, never a body.
struct CallRecord {
  std::string account;
  std::string path;
  unsigned status = 0;      // 0: no HTTP answer
  std::string error_kind;   // empty on success
  std::chrono::milliseconds upstream{0};  // in exchanges with Klaviyo, rate waits and retries included
};

json::object failed(CallRecord& record, const ToolError& error) {
  record.error_kind = error.kind;
  return to_call_tool_result(error);
}

// Built outside the coroutines: g++12 miscompiles braced initializers inside them.
ToolError not_json(const ToolSpec& tool) { return ToolError{"upstream", tool.name + " answered with a body that is not JSON."}; }

ToolError dry_run_answer(const ToolSpec& tool, json::object request) {
  return ToolError{"dry_run",
                   "Dry run: nothing was sent. " + tool.name +
                       " would send the request below; call again without dry_run to send it.",
                   json::object{{"request", std::move(request)}}};
}

std::string token_refusal(ConfirmationTokens::Redeemed redeemed, std::chrono::seconds lifetime) {
  switch (redeemed) {
    case ConfirmationTokens::Redeemed::expired:
      return "The confirmation_token expired (tokens last " + std::to_string(lifetime.count()) + " seconds).";
    case ConfirmationTokens::Redeemed::mismatch:
      return "The confirmation_token was issued for other arguments and is now void: a token runs only the call "
             "the human saw.";
    default:
      return "The confirmation_token is unknown or was already used: a token runs one call, once.";
  }
}

RecipientEstimate estimate_unavailable(std::string why) { return RecipientEstimate{std::nullopt, std::move(why)}; }
RecipientEstimate estimate_of(std::int64_t count) { return RecipientEstimate{count, ""}; }

CallContext poll_context(std::string account, SteadyTime deadline) {
  CallContext context;
  context.account = std::move(account);
  context.deadline = deadline;
  return context;
}

}  // namespace

struct ToolPipeline::Impl {
  explicit Impl(PipelineDeps d)
      : deps(std::move(d)),
        cursors(deps.clock),
        own_tokens(deps.clock, deps.random),
        own_store(own_tokens),
        tokens(deps.confirmations ? *deps.confirmations : own_store) {}

  PipelineDeps deps;
  CursorTable cursors;  // next_cursor tokens of this process
  // Mutable: redeeming a token is not a change to the pipeline a caller could see (thread-safe).
  mutable ConfirmationTokens own_tokens;
  mutable LocalConfirmationStore own_store;
  ConfirmationStore& tokens;  // own_store, or the one the replicas share

  ExchangeDeps exchange_deps_() const {
    return ExchangeDeps{
        deps.limiter, deps.upstream, deps.clock, deps.sleeper, deps.retry_budget, deps.random, deps.routes, deps.retry,
        [&limiter = deps.limiter](const std::string& account, const BucketRef& bucket, const QuotaReport& report) {
          limiter.learn(account, bucket, report);
        },
        deps.metrics};
  }

  // One request: checked, prepared, sent within the rate budget (with retries), a Klaviyo error
  // mapped. The answer is a 2xx.
  asio::awaitable<boost::system::result<UpstreamResponse, ToolError>> fetch(const ToolSpec& spec, const json::object& args,
                                                                            const CallContext& context, CallRecord& record,
                                                                            const ProgressReporter& progress) const {
    auto prepared = prepare_call(spec, args, context.account, deps);
    if (!prepared) co_return prepared.error();
    record.account = prepared->rate_account;
    record.path = prepared->path;
    // A dry run shows the request and spends nothing: no confirmation, no rate budget.
    if (requested_dry_run(spec, args)) co_return dry_run_answer(spec, describe_request(prepared->request, deps.base_url));
    if (spec.annotations.destructive && deps.confirm_destructive) {
      auto refusal = co_await confirm(spec, args, prepared->request, context);
      if (refusal) co_return std::move(*refusal);
    }

    const ExchangeDeps exchange_deps = exchange_deps_();
    const SteadyTime exchange_started = deps.clock.now();
    auto answer = co_await exchange(exchange_deps, spec, *prepared, context.deadline, progress);
    record.upstream += std::chrono::duration_cast<std::chrono::milliseconds>(deps.clock.now() - exchange_started);
    if (!answer) {
      // result::error() returns a copy: keep it, or `status` would point into a freed temporary.
      ToolError error = answer.error();
      // A given-up 5xx still had an HTTP status, which the logs show.
      if (const json::value* status = error.details.if_contains("status")) {
        boost::system::error_code ec;
        const auto number = status->to_number<unsigned>(ec);
        if (!ec) record.status = number;
      }
      co_return std::move(error);
    }
    record.status = answer->status;
    if (answer->status >= 400) co_return map_klaviyo_error(spec, *answer, deps.key_env_var);
    co_return std::move(*answer);
  }

  // Whether a destructive call may run: nullopt when it may, else the isError answer (a preview
  // and a fresh token, or the human's refusal). Nothing is sent to the write's endpoint here.
  asio::awaitable<std::optional<ToolError>> confirm(const ToolSpec& spec, const json::object& given,
                                                    const UpstreamRequest& request, const CallContext& context) const {
    const auto stripped = without_safe_write_arguments(spec, given);
    const json::object& args = stripped ? *stripped : given;
    const std::string binding = confirmation_binding(spec.name, context.account, args);
    std::string refusal;
    if (const auto token = given_confirmation_token(spec, given)) {
      const auto redeemed = co_await tokens.redeem(*token, binding);
      if (redeemed == ConfirmationTokens::Redeemed::ok) co_return std::nullopt;
      refusal = token_refusal(redeemed, tokens.lifetime());
    }
    const auto estimate = co_await recipient_estimate(spec, args, context);
    const WritePreview preview = preview_write(spec, args, request, estimate);
    if (context.confirm) {
      const std::optional<bool> accepted = co_await context.confirm(confirmation_question(preview));
      if (accepted) {
        if (*accepted) co_return std::nullopt;
        co_return confirmation_declined(preview);
      }
    }
    const std::string issued = co_await tokens.issue(binding);
    co_return confirmation_required(spec, preview, issued, tokens.lifetime(), refusal);
  }

  // For a campaign send: the recipient estimate, read through the pipeline like any call.
  asio::awaitable<std::optional<RecipientEstimate>> recipient_estimate(const ToolSpec& spec, const json::object& args,
                                                                       const CallContext& context) const {
    auto estimate = recipient_estimate_read(spec, args, deps.routes);
    if (!estimate) co_return std::nullopt;
    auto document = co_await read(*estimate->tool, std::move(estimate->args), context.account, context.deadline);
    if (!document) co_return estimate_unavailable(document.error().kind + ": " + document.error().message);
    const auto count = estimated_recipients(*document);
    if (!count) co_return estimate_unavailable(estimate->tool->name + " gave no estimated_recipient_count");
    co_return estimate_of(*count);
  }

  asio::awaitable<json::object> execute(const ToolSpec& spec, json::object args, const CallContext& context,
                                        CallRecord& record) {
    if (result_kind(spec) == ResultKind::list) co_return co_await read_list(spec, std::move(args), context, record);

    // With `wait`, progress is the job's own (job_waiter.hpp), not this request's steps.
    const auto wait = requested_job_wait(spec, args);
    ProgressReporter request_progress;  // not chosen with ?: in the co_await: g++12 miscompiles that
    if (!wait) request_progress = context.progress;
    auto answer = co_await fetch(spec, args, context, record, request_progress);
    if (!answer) co_return failed(record, answer.error());
    if (wait) {
      boost::system::error_code ec;
      const json::value started = json::parse(answer->body, ec);
      if (!ec) {
        const JobWaitDeps waiting = job_wait_deps(context);
        co_return co_await wait_for_job(waiting, spec, started, *wait, context.deadline, context.progress);
      }
    }
    json::object result = shape_result(spec, answer->status, answer->body, deps.max_result_chars);
    if (context.progress) context.progress(2, 2, "done");
    co_return result;
  }

  // A list: one page, or with max_items page after page until enough records or the last page.
  asio::awaitable<json::object> read_list(const ToolSpec& spec, json::object args, const CallContext& context,
                                          CallRecord& record) {
    auto plan = plan_paging(spec, std::move(args), cursors, context.account);
    if (!plan) co_return failed(record, plan.error());
    ListShapeOptions options = list_options(spec, *plan, deps.max_result_chars);

    std::vector<FetchedPage> pages;
    const PageProgress progress(context.progress, expected_pages(*plan));
    json::object page_args = plan->args;
    std::optional<std::string> cursor = plan->first_cursor;
    std::size_t skip = plan->skip, records = 0;
    for (;;) {
      auto answer = co_await fetch(spec, page_args, context, record, progress.for_page(pages.size()));
      if (!answer) {
        if (pages.empty() || answer.error().kind == "cancelled") co_return failed(record, answer.error());
        options.stopped_kind = answer.error().kind;
        options.stopped_message = answer.error().message;
        break;
      }
      pages.push_back(fetched_page(answer->body, cursor, skip));
      records += page_records(pages.back());
      auto next = next_page_cursor(pages.back());
      if (!plan->pages || plan->max_items == 0 || records >= plan->max_items || !next) break;
      page_args[cursor_param(spec)->arg] = *next;
      cursor = std::move(next);
      skip = 0;
    }

    auto issue = [&](const Continuation& next) {
      return cursors.issue(CursorEntry{context.account, spec.name, next.klaviyo_cursor, next.skip, plan->page_size});
    };
    json::object result = call_tool_result(shape_list(pages, options, issue));
    progress.done(pages.size());
    co_return result;
  }

  JobWaitDeps job_wait_deps(const CallContext& context) const {
    return JobWaitDeps{deps.clock, deps.sleeper, deps.job_polling,
                       [this, account = context.account, deadline = context.deadline](const ToolSpec& tool,
                                                                                      json::object args) {
                         return read(tool, std::move(args), account, deadline);
                       }};
  }

  // One call of another tool on the caller's behalf (a job's poll): the same checks, rate
  // buckets, send and error mapping as any call.
  asio::awaitable<boost::system::result<json::value, ToolError>> read(const ToolSpec& tool, json::object args,
                                                                      std::string account, SteadyTime deadline) const {
    const CallContext context = poll_context(std::move(account), deadline);
    CallRecord unlogged;                 // the caller's call is logged, not each poll
    const ProgressReporter no_progress;  // the caller hears about the job, not about each poll
    auto answer = co_await fetch(tool, args, context, unlogged, no_progress);
    if (!answer) co_return answer.error();
    boost::system::error_code ec;
    json::value document = json::parse(answer->body, ec);
    if (ec) co_return not_json(tool);
    co_return document;
  }

  void log(const ToolSpec& spec, const CallRecord& record, const CallContext& context, SteadyTime started) const {
    auto duration_ms = std::chrono::duration_cast<Millis>(deps.clock.now() - started).count();
    if (context.log && !record.path.empty()) {
      json::object line{{"method", std::string(boost::beast::http::to_string(spec.method))},
                        {"path", record.path},
                        {"status", record.status},
                        {"duration_ms", duration_ms}};
      context.log(LogLevel::debug, std::move(line));
    }
    if (!deps.logger.enabled(LogLevel::info)) return;  // not worth building a line nobody writes
    json::object fields{{"tool", spec.name},
                        {"account", record.account},
                        {"status", record.status},
                        {"duration_ms", duration_ms},
                        {"upstream_ms", record.upstream.count()}};
    if (!context.request_id.empty()) fields["request_id"] = context.request_id;
    if (!context.rpc_id.is_null()) fields["rpc_id"] = context.rpc_id;
    if (!context.session.empty()) fields["session"] = context.session;
    if (!record.error_kind.empty()) fields["error"] = record.error_kind;
    deps.logger.info("tool_call", std::move(fields));
  }
};

ToolPipeline::ToolPipeline(PipelineDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}

ToolPipeline::~ToolPipeline() = default;

asio::awaitable<json::object> ToolPipeline::call(const ToolSpec& spec, json::object arguments, CallContext context) {
  const SteadyTime started = impl_->deps.clock.now();
  Metrics* const metrics = impl_->deps.metrics;
  if (metrics) metrics->add(metric::kToolCallsInFlight, {}, 1);
  struct InFlight {  // given back however the call ends
    Metrics* metrics;
    ~InFlight() {
      if (metrics) metrics->add(metric::kToolCallsInFlight, {}, -1);
    }
  } in_flight{metrics};
  CallRecord record;
  record.account = context.account;
  json::object result;
  try {
    result = co_await impl_->execute(spec, std::move(arguments), context, record);
  } catch (const boost::system::system_error& e) {
    // Asio throws operation_aborted from a co_await made after cancellation; that is a
    // cancelled call, not a fault.
    if (e.code() != asio::error::operation_aborted) throw;
    result = failed(record, cancelled_error());
  }
  impl_->log(spec, record, context, started);
  if (metrics) {
    metrics->add(metric::kToolCalls, {{"tool", spec.name}, {"outcome", record.error_kind.empty() ? "ok" : record.error_kind}});
    metrics->observe(metric::kToolCallSeconds, {{"tool", spec.name}},
                     std::chrono::duration<double>(impl_->deps.clock.now() - started).count());
  }
  if (impl_->deps.redactor) {
    json::value whole = std::move(result);
    if (impl_->deps.redactor->redact(whole)) impl_->deps.logger.warn("secret_redacted", {{"tool", spec.name}});
    result = std::move(whole.as_object());
  }
  co_return result;
}

}  // namespace kmcp
