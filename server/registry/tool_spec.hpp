#pragma once
// A tool, as data: the parsed form of one schemas/<toolset>/<name>.json (format in
// schemas/README.md). Immutable once loaded.
#include <boost/beast/http/verb.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/core/json.hpp"
#include "server/rate/rate_limits.hpp"

namespace kmcp {

class LazySchemaValidator;  // inputSchema, compiled (server/registry/lazy_schema_validator.hpp)

struct QueryParamSpec {
  enum class Style { plain, csv, filter, cursor };
  std::string param;                    // wire name, e.g. "fields[profile]"
  std::string arg;                      // argument name, e.g. "fields_profile"
  Style style = Style::plain;
  std::vector<std::string> allowed;     // csv: allowed items (checked by the server)
  std::map<std::string, std::vector<std::string>> filter_fields;  // filter: field -> operators
};

struct RelationshipSpec {
  std::string name;                     // data.relationships.<name>
  std::string type;                     // the related resource type
  bool many = false;                    // arg is an array of ids
};

struct AttributeSpec {
  std::string attribute;                // name under data.attributes
  std::string wrap;                     // "", "resource_list" or "id_list"
  std::string type;                     // with a wrap: the nested data.type
  // resource_list only: item property -> that item's relationships.<name>
  std::map<std::string, RelationshipSpec> relationships;
};

// multipart/form-data: the one file part and where its content, path and filename come from.
struct MultipartFileSpec {
  std::string field;                    // form field name, e.g. "file"
  std::string content_arg;              // base64 content argument
  std::string path_arg;                 // server-side path argument (read only under --upload-dir)
  std::string filename_arg;             // optional filename argument
};

struct BodySpec {
  enum class Kind { none, resource, relationships, multipart };
  Kind kind = Kind::none;
  std::string type;
  std::string id_arg;
  std::map<std::string, AttributeSpec> attributes;       // arg -> attribute
  std::map<std::string, RelationshipSpec> relationships; // arg -> relationship
  std::map<std::string, std::string> meta;               // arg -> key under data.meta
  bool data_array = false;              // data is a one-element array holding the resource
  std::string ids_arg;
  std::map<std::string, std::string> form_fields;        // multipart: arg -> form field name
  MultipartFileSpec file;                                // multipart: the file part
};

struct ConditionalRate {
  std::string arg;                      // argument whose value triggers the extra bucket
  std::string value;                    // equal to it, or an item of it when it is an array
  BucketRef bucket;
};

struct PreconditionSpec {
  std::string hook;                     // name in the hook table (tools/preconditions/)
  json::object settings;                // the rest of the spec entry
};

struct ToolSpec;

// A tool that starts an asynchronous Klaviyo job (a bulk import, a campaign send): how to read
// the job back, so that a call with `wait` can poll it until it ends (server/pipeline/job_waiter).
struct JobSpec {
  std::string poll_tool;                // GET tool reading the job by its id (one path argument)
  std::string status_attribute;         // the job attribute holding its status
  std::vector<std::string> running;     // statuses of a job still under way; any other ends the wait
  std::string completed_counter;        // progress counters ("" when the job has none)
  std::string total_counter;
  std::string failed_counter;
  std::string errors_tool;              // optional: pages the job's failed items

  // Resolved at registry load (server/registry/job_links.hpp).
  std::shared_ptr<const ToolSpec> poll;
  std::string poll_id_arg;              // the poll tool's one path argument
  std::shared_ptr<const ToolSpec> errors;
  std::string errors_id_arg;
};

struct Annotations {
  bool read_only = false;
  bool destructive = false;
  bool idempotent = false;
  bool open_world = true;
};

struct ToolSpec {
  std::string name;
  std::string title;
  std::vector<std::string> aliases;
  std::string toolset;
  std::string description;
  Annotations annotations;
  std::vector<std::string> scopes;
  bool public_key_auth = false;         // "auth": "public_key"
  bool core = false;                    // in the default "core" toolset
  bool customer_content = false;        // results carry customer-written text (profiles, reviews, ...)

  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string path;                     // template, e.g. "/api/lists/{id}"
  std::map<std::string, std::string> path_args;  // placeholder -> arg
  std::vector<QueryParamSpec> query;
  BodySpec body;

  BucketRef rate;                       // the endpoint's own bucket; key = name
  std::vector<ConditionalRate> conditional_rates;

  std::vector<PreconditionSpec> preconditions;
  std::string response_kind = "resource";  // "collection" | "resource" | "empty"
  std::optional<JobSpec> job;           // set when the tool starts a job

  json::object input_schema;
  // Generated at load from the result kind (server/registry/output_schemas.hpp), not written in
  // spec files: every tool of a kind returns the same shape.
  json::object output_schema;
  std::shared_ptr<const LazySchemaValidator> validator;  // of input_schema

  // The tools/list entry (name, title, description, inputSchema, outputSchema, annotations),
  // built once at load.
  json::object listing;
};

}  // namespace kmcp
