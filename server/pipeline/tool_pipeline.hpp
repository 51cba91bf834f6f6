#pragma once
// The one path every tool call takes: validate -> preconditions -> build request -> rate
// buckets -> send -> map errors -> shape result. Per-tool behaviour comes from the spec. A list
// call with max_items repeats the request part page by page, each page a real request.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/credentials.hpp"
#include "server/core/json.hpp"
#include "server/core/logger.hpp"
#include "server/core/metrics.hpp"
#include "server/pipeline/job_poll_options.hpp"
#include "server/pipeline/retry_policy.hpp"
#include "server/pipeline/tool_routes.hpp"
#include "server/pipeline/tool_runner.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

class ConfirmationStore;
class HookTable;
class RandomSource;
class RateLimiter;
class RetryBudget;
class Sleeper;
class UpstreamClient;

struct PipelineDeps {
  const HookTable& hooks;
  RateLimiter& limiter;
  UpstreamClient& upstream;
  std::map<std::string, AccountCredentials> accounts;  // by account label; "default" for stdio
  const SecretRedactor* redactor = nullptr;  // cuts any secret out of results
  Metrics* metrics = nullptr;                // calls by tool and outcome, Klaviyo requests
  std::string revision = "2026-07-15";
  std::string user_agent;                              // "klaviyo-mcp/<version>"
  Logger& logger;
  const Clock& clock;
  Sleeper& sleeper;                                    // backoff between retries and between job polls
  RetryBudget& retry_budget;                           // process-wide allowance for fault retries
  RandomSource& random;                                // backoff jitter, generated unique ids
  std::string key_env_var = "KLAVIYO_API_KEY";          // named in "no key" errors
  std::string upload_dir;                              // --upload-dir: file_path reads only under it
  ToolRoutes routes;                                   // names the tool that checks a create's outcome
  RetryOptions retry;
  JobPollOptions job_polling;                          // `wait` on job-starting tools
  std::string base_url = "https://a.klaviyo.com";      // shown in dry runs' URLs
  // Destructive tools (destructiveHint) run only after the human agreed: through the caller's
  // CallContext::confirm (MCP elicitation), else a preview and a single-use confirmation_token
  // the call must come back with. false (--no-confirm): they run at once.
  bool confirm_destructive = true;
  // Where confirmation tokens are kept; null: in this pipeline's memory (one process).
  ConfirmationStore* confirmations = nullptr;
  std::size_t max_result_chars = 20000;                // --max-result-chars: text budget of one result
};

class ToolPipeline final : public ToolRunner {
 public:
  explicit ToolPipeline(PipelineDeps deps);
  ~ToolPipeline();

  asio::awaitable<json::object> call(const ToolSpec& spec, json::object arguments, CallContext context) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
