#include "server/registry/spec_parser.hpp"

#include <stdexcept>

#include "server/registry/job_fields.hpp"
#include "server/registry/job_wait_arguments.hpp"
#include "server/registry/safe_write_arguments.hpp"
#include "server/registry/lazy_schema_validator.hpp"
#include "server/registry/spec_fields.hpp"

namespace kmcp {
namespace {

namespace http = boost::beast::http;

// MCP tool names: 1-128 of [A-Za-z0-9_.-].
void check_tool_name(const SpecFields& fields, std::string_view key, const std::string& name) {
  bool ok = !name.empty() && name.size() <= 128;
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                c == '.');
  if (!ok) fields.fail(key, "has '" + name + "', not a valid tool name (1-128 of A-Z a-z 0-9 _ - .)");
}

Annotations read_annotations(const SpecFields& f) {
  f.allow_only({"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"});
  return Annotations{
      .read_only = f.flag("readOnlyHint"),
      .destructive = f.flag("destructiveHint"),
      .idempotent = f.flag("idempotentHint"),
      .open_world = f.flag("openWorldHint"),
  };
}

http::verb read_method(const SpecFields& f) {
  const auto method = f.text("method");
  if (method == "GET") return http::verb::get;
  if (method == "POST") return http::verb::post;
  if (method == "PUT") return http::verb::put;
  if (method == "PATCH") return http::verb::patch;
  if (method == "DELETE") return http::verb::delete_;
  f.fail("method", "is '" + method + "'; expected GET, POST, PUT, PATCH or DELETE");
}

QueryParamSpec read_query_param(const SpecFields& f) {
  f.allow_only({"param", "arg", "style", "allowed", "filter_fields"});
  QueryParamSpec q;
  q.param = f.text("param");
  q.arg = f.text("arg");
  const auto style = f.text("style");
  if (style == "plain") q.style = QueryParamSpec::Style::plain;
  else if (style == "csv") q.style = QueryParamSpec::Style::csv;
  else if (style == "filter") q.style = QueryParamSpec::Style::filter;
  else if (style == "cursor") q.style = QueryParamSpec::Style::cursor;
  else f.fail("style", "is '" + style + "'; expected plain, csv, filter or cursor");

  if (f.has("allowed") && q.style != QueryParamSpec::Style::csv) f.fail("allowed", "applies only to style csv");
  q.allowed = f.text_list("allowed");
  if (const auto* fields = f.optional_object("filter_fields")) {
    if (q.style != QueryParamSpec::Style::filter) f.fail("filter_fields", "applies only to style filter");
    SpecFields filter_fields(*fields, f.path("filter_fields"));
    for (const auto& member : *fields) {
      auto operators = filter_fields.text_list(member.key());
      if (operators.empty())
        filter_fields.fail(member.key(), "must be a non-empty array of operator names");
      q.filter_fields.emplace(std::string(member.key()), std::move(operators));
    }
  }
  return q;
}

RelationshipSpec read_relationship(const SpecFields& f);

AttributeSpec read_attribute(const SpecFields& f) {
  f.allow_only({"attribute", "wrap", "type", "relationships"});
  AttributeSpec a;
  a.attribute = f.text("attribute");
  a.wrap = f.optional_text("wrap").value_or("");
  if (!a.wrap.empty() && a.wrap != "resource_list" && a.wrap != "id_list")
    f.fail("wrap", "is '" + a.wrap + "'; the wraps are resource_list and id_list");
  if (a.wrap.empty() && f.has("type")) f.fail("type", "applies only with a wrap (resource_list or id_list)");
  if (!a.wrap.empty()) a.type = f.text("type");
  if (const auto* relationships = f.optional_object("relationships")) {
    if (a.wrap != "resource_list") f.fail("relationships", "applies only with \"wrap\": \"resource_list\"");
    SpecFields all(*relationships, f.path("relationships"));
    for (const auto& member : *relationships)
      a.relationships.emplace(std::string(member.key()), read_relationship(all.child(member.key())));
  }
  return a;
}

RelationshipSpec read_relationship(const SpecFields& f) {
  f.allow_only({"name", "type", "many"});
  return RelationshipSpec{.name = f.text("name"), .type = f.text("type"), .many = f.optional_flag("many").value_or(false)};
}

BodySpec read_body(const SpecFields& f) {
  f.allow_only({"kind", "type", "id_arg", "attributes", "relationships", "meta", "data_array", "ids_arg", "fields",
                "file"});
  BodySpec body;
  const auto kind = f.text("kind");
  if (kind == "none") {
    body.kind = BodySpec::Kind::none;
    f.allow_only({"kind"});
    return body;
  }
  if (kind == "relationships") {
    body.kind = BodySpec::Kind::relationships;
    f.allow_only({"kind", "type", "ids_arg"});
    body.type = f.text("type");
    body.ids_arg = f.text("ids_arg");
    return body;
  }
  if (kind == "multipart") {
    body.kind = BodySpec::Kind::multipart;
    f.allow_only({"kind", "fields", "file"});
    if (const auto* fields = f.optional_object("fields")) {
      SpecFields all(*fields, f.path("fields"));
      for (const auto& member : *fields) body.form_fields.emplace(std::string(member.key()), all.text(member.key()));
    }
    const auto file = f.child("file");
    file.allow_only({"field", "content_arg", "path_arg", "filename_arg"});
    body.file = MultipartFileSpec{.field = file.text("field"), .content_arg = file.text("content_arg"),
                                  .path_arg = file.text("path_arg"), .filename_arg = file.text("filename_arg")};
    return body;
  }
  if (kind != "resource") f.fail("kind", "is '" + kind + "'; expected none, resource, relationships or multipart");
  body.kind = BodySpec::Kind::resource;
  f.allow_only({"kind", "type", "id_arg", "attributes", "relationships", "meta", "data_array"});
  body.type = f.text("type");
  body.id_arg = f.optional_text("id_arg").value_or("");
  body.data_array = f.optional_flag("data_array").value_or(false);
  if (const auto* attributes = f.optional_object("attributes")) {
    SpecFields all(*attributes, f.path("attributes"));
    for (const auto& member : *attributes)
      body.attributes.emplace(std::string(member.key()), read_attribute(all.child(member.key())));
  }
  if (const auto* relationships = f.optional_object("relationships")) {
    SpecFields all(*relationships, f.path("relationships"));
    for (const auto& member : *relationships)
      body.relationships.emplace(std::string(member.key()), read_relationship(all.child(member.key())));
  }
  if (const auto* meta = f.optional_object("meta")) {
    SpecFields all(*meta, f.path("meta"));
    for (const auto& member : *meta) body.meta.emplace(std::string(member.key()), all.text(member.key()));
  }
  return body;
}

WindowLimits read_limits(const SpecFields& f) {
  return WindowLimits{.per_second = f.positive("burst"), .per_minute = f.positive("steady"),
                      .per_day = f.optional_positive("daily")};
}

void read_rate(const SpecFields& f, ToolSpec& spec) {
  f.allow_only({"burst", "steady", "daily", "conditional"});
  spec.rate = BucketRef{.key = spec.name, .limits = read_limits(f)};
  for (const auto& entry : f.children("conditional")) {
    entry.allow_only({"arg", "value", "bucket", "burst", "steady", "daily"});
    spec.conditional_rates.push_back(ConditionalRate{
        .arg = entry.text("arg"),
        .value = entry.text("value"),
        .bucket = BucketRef{.key = entry.text("bucket"), .limits = read_limits(entry)},
    });
  }
}

std::string read_response_kind(const SpecFields& f) {
  f.allow_only({"kind"});
  auto kind = f.text("kind");
  if (kind != "collection" && kind != "resource" && kind != "empty")
    f.fail("kind", "is '" + kind + "'; expected collection, resource or empty");
  return kind;
}

}  // namespace

ToolSpec parse_tool_spec(const json::object& root) {
  const SpecFields f(root, "");
  f.allow_only({"name", "title", "aliases", "toolset", "description", "annotations", "scopes", "auth", "request", "rate",
                "preconditions", "inputSchema", "response", "core", "customer_content", "job"});
  ToolSpec spec;
  spec.name = f.text("name");
  check_tool_name(f, "name", spec.name);
  spec.title = f.optional_text("title").value_or("");
  spec.aliases = f.text_list("aliases");
  for (const auto& alias : spec.aliases) check_tool_name(f, "aliases", alias);
  spec.toolset = f.text("toolset");
  spec.description = f.text("description");
  spec.annotations = read_annotations(f.child("annotations"));
  spec.core = f.optional_flag("core").value_or(false);
  spec.customer_content = f.optional_flag("customer_content").value_or(false);
  spec.scopes = f.text_list("scopes");
  const auto auth = f.optional_text("auth").value_or("private_key");
  if (auth != "private_key" && auth != "public_key") f.fail("auth", "is '" + auth + "'; expected private_key or public_key");
  spec.public_key_auth = auth == "public_key";

  const auto request = f.child("request");
  request.allow_only({"method", "path", "path_args", "query", "body"});
  spec.method = read_method(request);
  spec.path = request.text("path");
  if (spec.path.front() != '/') request.fail("path", "must start with '/'");
  if (const auto* path_args = request.optional_object("path_args")) {
    SpecFields args(*path_args, request.path("path_args"));
    for (const auto& member : *path_args) spec.path_args.emplace(std::string(member.key()), args.text(member.key()));
  }
  for (const auto& entry : request.children("query")) spec.query.push_back(read_query_param(entry));
  if (request.has("body")) spec.body = read_body(request.child("body"));

  read_rate(f.child("rate"), spec);

  for (const auto& entry : f.children("preconditions")) {
    PreconditionSpec p;
    p.hook = entry.text("hook");
    p.settings = entry.raw();
    p.settings.erase("hook");
    spec.preconditions.push_back(std::move(p));
  }

  spec.input_schema = f.object("inputSchema");
  if (f.has("job")) {
    spec.job = read_job(f.child("job"));
    try {
      add_job_wait_arguments(spec.input_schema, *spec.job);
    } catch (const std::exception& e) {
      f.fail("inputSchema", e.what());
    }
  }
  try {
    add_safe_write_arguments(spec.input_schema, spec.annotations);
  } catch (const std::exception& e) {
    f.fail("inputSchema", e.what());
  }
  spec.validator = std::make_shared<const LazySchemaValidator>(spec.input_schema);
  spec.response_kind = read_response_kind(f.child("response"));
  return spec;
}

}  // namespace kmcp
