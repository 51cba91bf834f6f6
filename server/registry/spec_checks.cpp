#include "server/registry/spec_checks.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "server/registry/job_wait_arguments.hpp"
#include "server/registry/safe_write_arguments.hpp"

namespace kmcp {
namespace {

namespace http = boost::beast::http;

[[noreturn]] void fault(const std::string& message) { throw std::runtime_error(message); }

// The names between braces in a path template, in order.
std::vector<std::string> placeholders(const std::string& path) {
  std::vector<std::string> names;
  std::size_t at = 0;
  while ((at = path.find_first_of("{}", at)) != std::string::npos) {
    if (path[at] == '}') fault("request.path '" + path + "' has an unmatched '}'");
    auto close = path.find_first_of("{}", at + 1);
    if (close == std::string::npos || path[close] != '}' || close == at + 1)
      fault("request.path '" + path + "' has a malformed placeholder");
    names.push_back(path.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return names;
}

// nullptr when the schema declares no properties.
const json::object* properties_of(const json::object& schema) {
  const auto* properties = schema.if_contains("properties");
  if (!properties) return nullptr;
  if (!properties->is_object()) fault("inputSchema.properties must be an object");
  return &properties->get_object();
}

void check_input_schema_root(const json::object& schema, const json::object& properties) {
  const auto* type = schema.if_contains("type");
  if (!type || !type->is_string() || type->get_string() != "object")
    fault("inputSchema must have \"type\": \"object\" at its root");
  const auto* additional = schema.if_contains("additionalProperties");
  if (!additional || !additional->is_bool() || additional->get_bool())
    fault("inputSchema must have \"additionalProperties\": false so that misspelt arguments are refused");
  if (const auto* required = schema.if_contains("required"); required && required->is_array())
    for (const auto& name : required->get_array())
      if (name.is_string() && !properties.contains(name.get_string()))
        fault("inputSchema.required names '" + std::string(name.get_string()) + "', which is not in inputSchema.properties");
}

bool is_required(const json::object& schema, const std::string& arg) {
  const auto* required = schema.if_contains("required");
  if (!required || !required->is_array()) return false;
  const auto& list = required->get_array();
  return std::find(list.begin(), list.end(), json::value(arg)) != list.end();
}

void check_annotations(const ToolSpec& spec) {
  const auto& a = spec.annotations;
  if (spec.method == http::verb::get && (!a.read_only || a.destructive))
    fault("annotations: a GET tool must have readOnlyHint true and destructiveHint false");
  // Some reads are POSTs (reports, metric aggregates take their query as a body): curation may
  // mark those read-only. PATCH, PUT and DELETE always change something.
  if (spec.method != http::verb::get && spec.method != http::verb::post && a.read_only)
    fault("annotations: only GET and POST tools may have readOnlyHint true (this one is " +
          std::string(http::to_string(spec.method)) + ")");
  if (a.read_only && a.destructive) fault("annotations: a read-only tool cannot be destructive");
  if (spec.method == http::verb::delete_ && !a.destructive)
    fault("annotations: a DELETE tool must have destructiveHint true");
}

void check_path(const ToolSpec& spec) {
  const auto names = placeholders(spec.path);
  for (const auto& name : names)
    if (!spec.path_args.contains(name))
      fault("request.path placeholder '{" + name + "}' has no entry in request.path_args");
  for (const auto& [placeholder, arg] : spec.path_args)
    if (std::find(names.begin(), names.end(), placeholder) == names.end())
      fault("request.path_args names '" + placeholder + "', which is not a placeholder in request.path '" + spec.path + "'");
  for (const auto& [placeholder, arg] : spec.path_args)
    if (!is_required(spec.input_schema, arg))
      fault("path argument '" + arg + "' must be listed in inputSchema.required: the path cannot be built without it");
}

void check_request_shape(const ToolSpec& spec) {
  if (spec.method == http::verb::get && spec.body.kind != BodySpec::Kind::none)
    fault("request.body: a GET request has no body; use kind none");
  std::set<std::string> params, args;
  for (const auto& q : spec.query) {
    if (!params.insert(q.param).second) fault("request.query has the parameter '" + q.param + "' twice");
    if (!args.insert(q.arg).second) fault("request.query uses the argument '" + q.arg + "' twice");
  }
  std::set<std::string> attribute_names, relationship_names;
  for (const auto& [arg, a] : spec.body.attributes)
    if (!attribute_names.insert(a.attribute).second)
      fault("request.body.attributes writes the attribute '" + a.attribute + "' twice");
  for (const auto& [arg, r] : spec.body.relationships)
    if (!relationship_names.insert(r.name).second)
      fault("request.body.relationships writes the relationship '" + r.name + "' twice");
  std::set<std::string> meta_keys;
  for (const auto& [arg, key] : spec.body.meta)
    if (!meta_keys.insert(key).second) fault("request.body.meta writes the key '" + key + "' twice");
  if (spec.body.kind == BodySpec::Kind::multipart) {
    const auto& file = spec.body.file;
    std::set<std::string> form_names{file.field};
    for (const auto& [arg, name] : spec.body.form_fields)
      if (!form_names.insert(name).second) fault("request.body.fields writes the form field '" + name + "' twice");
    std::set<std::string> file_args{file.content_arg, file.path_arg, file.filename_arg};
    if (file_args.size() != 3) fault("request.body.file: content_arg, path_arg and filename_arg must differ");
    for (const auto& [arg, name] : spec.body.form_fields)
      if (file_args.count(arg)) fault("request.body.fields uses the file argument '" + arg + "'");
  }
}

void check_job(const ToolSpec& spec) {
  if (spec.job && spec.response_kind != "resource")
    fault("job: a tool that starts a job must answer with the job (response kind resource)");
}

// Argument -> the first thing that uses it, for messages.
using Uses = std::map<std::string, std::string>;

void use(Uses& uses, const std::string& arg, std::string by) { uses.emplace(arg, std::move(by)); }

Uses request_uses(const ToolSpec& spec) {
  Uses uses;
  for (const auto& [placeholder, arg] : spec.path_args) use(uses, arg, "request.path_args");
  for (const auto& q : spec.query) use(uses, q.arg, "request.query '" + q.param + "'");
  if (!spec.body.id_arg.empty()) use(uses, spec.body.id_arg, "request.body.id_arg");
  if (!spec.body.ids_arg.empty()) use(uses, spec.body.ids_arg, "request.body.ids_arg");
  for (const auto& [arg, a] : spec.body.attributes) use(uses, arg, "request.body.attributes");
  for (const auto& [arg, r] : spec.body.relationships) use(uses, arg, "request.body.relationships");
  for (const auto& [arg, key] : spec.body.meta) use(uses, arg, "request.body.meta");
  for (const auto& [arg, name] : spec.body.form_fields) use(uses, arg, "request.body.fields");
  if (spec.job) {
    use(uses, std::string(kWaitArg), "job");
    use(uses, std::string(kWaitTimeoutArg), "job");
  }
  if (!spec.annotations.read_only) use(uses, std::string(kDryRunArg), "annotations (a write tool)");
  if (spec.annotations.destructive) use(uses, std::string(kConfirmationTokenArg), "annotations.destructiveHint");
  if (spec.body.kind == BodySpec::Kind::multipart) {
    use(uses, spec.body.file.content_arg, "request.body.file.content_arg");
    use(uses, spec.body.file.path_arg, "request.body.file.path_arg");
    use(uses, spec.body.file.filename_arg, "request.body.file.filename_arg");
  }
  return uses;
}

void check_preconditions(const ToolSpec& spec, const HookTable& hooks, Uses& uses) {
  for (std::size_t i = 0; i < spec.preconditions.size(); ++i) {
    const auto& p = spec.preconditions[i];
    const std::string where = "preconditions[" + std::to_string(i) + "] (" + p.hook + ")";
    const auto* hook = hooks.find(p.hook);
    if (!hook) fault(where + ": unknown hook '" + p.hook + "'");
    if (hook->check_settings)
      if (auto problem = hook->check_settings(p.settings, spec.input_schema)) fault(where + ": " + *problem);
    if (hook->args_used)
      for (const auto& arg : hook->args_used(p.settings)) use(uses, arg, where);
  }
}

void check_rates(const ToolSpec& spec, const json::object& properties) {
  for (const auto& c : spec.conditional_rates)
    if (!properties.contains(c.arg))
      fault("rate.conditional uses the argument '" + c.arg + "', which is not in inputSchema.properties");
}

}  // namespace

void check_tool_spec(const ToolSpec& spec, const HookTable& hooks) {
  const json::object no_properties;
  const auto* declared = properties_of(spec.input_schema);
  const auto& properties = declared ? *declared : no_properties;
  check_input_schema_root(spec.input_schema, properties);
  check_job(spec);
  check_annotations(spec);
  check_request_shape(spec);

  Uses uses = request_uses(spec);
  check_preconditions(spec, hooks, uses);
  for (const auto& [arg, by] : uses)
    if (!properties.contains(arg))
      fault("argument '" + arg + "' used by " + by + " is not in inputSchema.properties");
  for (const auto& member : properties)
    if (!uses.contains(std::string(member.key())))
      fault("inputSchema property '" + std::string(member.key()) +
            "' is not used by the request (path, query, body) or by any precondition");
  check_path(spec);
  check_rates(spec, properties);
}

}  // namespace kmcp
