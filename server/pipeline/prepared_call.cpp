#include "server/pipeline/prepared_call.hpp"

#include "server/klaviyo/klaviyo_request.hpp"
#include "server/pipeline/argument_validation.hpp"
#include "server/pipeline/credential_selection.hpp"
#include "server/pipeline/multipart_body.hpp"
#include "server/pipeline/precondition_checks.hpp"
#include "server/pipeline/rate_buckets.hpp"
#include "server/pipeline/request_builder.hpp"
#include "server/registry/job_wait_arguments.hpp"
#include "server/registry/safe_write_arguments.hpp"

namespace kmcp {
namespace {

// Checked arguments to the request, credentials and buckets.
boost::system::result<PreparedCall, ToolError> build_call(const ToolSpec& spec, const json::object& args,
                                                          std::optional<UniqueId> unique_id,
                                                          const std::string& account, const PipelineDeps& deps) {
  auto path = build_path(spec, args);
  if (!path) return path.error();
  auto query = build_query(spec, args);
  if (!query) return query.error();
  MultipartBody body;
  if (spec.body.kind == BodySpec::Kind::multipart) {
    auto multipart = build_multipart_body(spec, args, deps.upload_dir);
    if (!multipart) return multipart.error();
    body = std::move(*multipart);
  } else {
    auto json_body = build_body(spec, args);
    if (!json_body) return json_body.error();
    body.content = std::move(*json_body);
  }

  auto selected = select_credentials(deps.accounts, account, spec.public_key_auth, deps.key_env_var);
  if (!selected) return selected.error();

  PreparedCall call;
  call.path = *path;
  KlaviyoRequestParts parts;
  parts.method = spec.method;
  parts.target = query->empty() ? std::move(*path) : *path + "?" + *query;
  parts.body = std::move(body.content);
  if (!body.content_type.empty()) parts.content_type = std::move(body.content_type);
  parts.public_key_auth = spec.public_key_auth;
  parts.revision = deps.revision;
  parts.user_agent = deps.user_agent;
  call.request = build_klaviyo_request(std::move(parts), *selected->credentials);
  call.buckets = rate_buckets(spec, args);
  call.rate_account = std::move(selected->rate_account);
  call.unique_id = std::move(unique_id);
  return call;
}

}  // namespace

boost::system::result<PreparedCall, ToolError> prepare_call(const ToolSpec& spec, const json::object& given,
                                                            const std::string& account, const PipelineDeps& deps) {
  if (auto error = validate_arguments(spec, given)) return *error;
  // `wait` and its timeout, `dry_run` and `confirmation_token` are ours, never Klaviyo's: no
  // hook or request part sees them.
  const auto waitless = without_job_wait_arguments(spec, given);
  const json::object& no_wait = waitless ? *waitless : given;
  const auto stripped = without_safe_write_arguments(spec, no_wait);
  const json::object& args = stripped ? *stripped : no_wait;
  if (auto error = check_preconditions(spec, deps.hooks, args)) return *error;

  // A create Klaviyo deduplicates by unique_id gets one before the request is built, so every
  // retry sends the same one and cannot record the event twice.
  if (unique_id_argument(spec).empty()) return build_call(spec, args, std::nullopt, account, deps);
  json::object with_id = args;
  std::optional<UniqueId> unique_id = ensure_unique_id(spec, with_id, deps.random);
  return build_call(spec, with_id, std::move(unique_id), account, deps);
}

}  // namespace kmcp
