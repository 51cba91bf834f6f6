#include "server/pipeline/result_shaper.hpp"

#include "server/pipeline/request_builder.hpp"
#include "server/pipeline/resource_flattening.hpp"
#include "server/pipeline/result_notices.hpp"
#include "server/pipeline/untrusted_fields.hpp"
#include "server/registry/output_schemas.hpp"

namespace kmcp {
namespace {

constexpr std::size_t kRawTextShown = 2000;  // of a body that is not JSON

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

json::object ok_result(unsigned status) {
  json::object ok{{"ok", true}, {"status", status}};
  if (status == 202) {
    ok["accepted"] = true;
    ok["note"] = "Klaviyo accepted the request and processes it asynchronously; its effect can take a while to show.";
  }
  return ok;
}

// job: {id, status?} from the job record under data, when it has an id.
void add_job_summary(json::object& out) {
  const auto* data = out.if_contains("data");
  if (!data || !data->is_object()) return;
  json::object job;
  const auto& record = data->get_object();
  if (const auto* id = record.if_contains("id"); id && id->is_string()) job["id"] = *id;
  if (const auto* state = record.if_contains("status"); state && state->is_string()) job["status"] = *state;
  if (job.contains("id")) out["job"] = std::move(job);
}

void mark_untrusted(json::object& out) {
  out.erase("untrusted_content");
  if (auto note = untrusted_note(out)) out["untrusted_content"] = std::move(*note);
}

// Leaves out what does not fit max_chars, field by field (a single record cannot be cut at a
// record boundary), and says so.
json::object fit_single(json::object out, const ToolSpec& spec, std::size_t max_chars) {
  if (result_chars(out) <= max_chars) return out;
  std::vector<std::string> omitted;
  if (out.erase("included")) omitted.push_back("included");
  if (out.erase("records")) omitted.push_back("records");
  auto* data = out.if_contains("data");
  if (data && data->is_object() && result_chars(out) > max_chars) {
    json::object all = std::move(data->get_object());
    json::object kept;
    for (const auto* key : {"type", "id"})
      if (const auto* value = all.if_contains(key)) kept[key] = *value;
    for (const auto& [key, value] : all) {
      if (key == "type" || key == "id") continue;
      kept[key] = value;
      out["data"] = kept;
      if (result_chars(out) + kNoticeReserve > max_chars) {
        kept.erase(key);
        omitted.emplace_back(key);
      }
    }
    out["data"] = std::move(kept);
  }
  json::object fitted = with_notice(out, record_too_large_notice(omitted, fieldset_args(spec), max_chars));
  fitted["omitted_fields"] = json::value_from(omitted);
  // A long list of left-out names can still overflow: give up further fields from the end.
  while (result_chars(fitted) > max_chars) {
    auto& record = fitted["data"];
    if (!record.is_object() || record.get_object().size() <= 2) break;
    auto& fields = record.get_object();
    const std::string last(std::prev(fields.end())->key());
    fields.erase(last);
    omitted.push_back(last);
    fitted["notice"] = record_too_large_notice(omitted, fieldset_args(spec), max_chars);
    fitted["omitted_fields"] = json::value_from(omitted);
  }
  mark_untrusted(fitted);
  return fitted;
}

}  // namespace

json::object shape_document(const json::value& document) {
  if (!document.is_object() || !document.get_object().contains("data"))
    return json::object{{"data", nullptr}, {"document", document}};  // not JSON:API: as sent
  const json::object& doc = document.get_object();
  IncludedPool pool;
  if (const auto* included = doc.if_contains("included")) pool.add(*included);
  const json::value& data = doc.at("data");
  std::vector<const json::object*> records;
  if (data.is_object()) records.push_back(&data.get_object());
  if (data.is_array())
    for (const auto& item : data.get_array())
      if (item.is_object()) records.push_back(&item.get_object());
  FlattenedRecords flat = flatten_with_included(records, pool);

  json::object out;
  if (data.is_object()) {
    out["data"] = std::move(flat.records.front());
  } else if (data.is_array()) {
    out["data"] = std::move(flat.records);
    out["has_more"] = next_cursor(doc).has_value();
  } else {
    out["data"] = nullptr;
  }
  if (!flat.shared.empty()) out["included"] = std::move(flat.shared);
  if (const auto* meta = doc.if_contains("meta"); meta && meta->is_object() && !meta->get_object().empty())
    out["meta"] = *meta;
  return out;
}

json::object job_result(const json::object& resource) {
  json::object out{{"data", flatten_resource(resource)}};
  add_job_summary(out);
  return out;
}

json::object call_tool_result(json::object structured) {
  json::object result;
  result["content"] = json::array{json::object{{"type", "text"}, {"text", json::serialize(structured)}}};
  result["structuredContent"] = std::move(structured);
  result["isError"] = false;
  return result;
}

std::size_t result_chars(const json::object& structured) { return json::serialize(structured).size(); }

std::optional<std::string> next_cursor(const json::object& document) {
  const auto* links = document.if_contains("links");
  if (!links || !links->is_object()) return std::nullopt;
  const auto* next = links->get_object().if_contains("next");
  if (!next || !next->is_string() || next->get_string().empty()) return std::nullopt;
  auto cursor = cursor_from(next->get_string());
  if (!cursor || cursor->empty()) return std::nullopt;
  return cursor;
}

std::vector<std::string> fieldset_args(const ToolSpec& spec) {
  std::vector<std::string> args;
  for (const auto& q : spec.query)
    if (q.param.starts_with("fields[")) args.push_back(q.arg);
  return args;
}

json::object shape_result(const ToolSpec& spec, unsigned status, std::string_view body, std::size_t max_chars) {
  const ResultKind kind = result_kind(spec);
  json::object out;
  if (status == 204 || is_blank(body)) {
    out = ok_result(status);
    if (kind != ResultKind::empty) {
      // A resource tool that answered without a body: no record, and the status says why.
      out.erase("ok");
      out["data"] = nullptr;
    }
    return call_tool_result(std::move(out));
  }

  boost::system::error_code ec;
  json::value document = json::parse(body, ec);
  if (ec) {
    out = kind == ResultKind::empty ? ok_result(status) : json::object{{"data", nullptr}, {"status", status}};
    out = with_notice(out, "Klaviyo answered HTTP " + std::to_string(status) + " without a JSON body; its start is in body.");
    out["body"] = std::string(body.substr(0, std::min(kRawTextShown, max_chars / 2)));
    return call_tool_result(std::move(out));
  }

  out = shape_document(document);
  if (const auto* data = out.if_contains("data"); data && data->is_array()) {
    // A single-resource tool that answered with a list: the records, beside an empty data.
    json::value records = std::move(out["data"]);
    out["data"] = nullptr;
    out["records"] = std::move(records);
    out.erase("has_more");
  }
  if (kind == ResultKind::empty) {
    json::object ok = ok_result(status);
    for (auto& [key, value] : out)
      if (!value.is_null()) ok[key] = std::move(value);
    out = std::move(ok);
  }
  if (kind == ResultKind::job) {
    add_job_summary(out);
    if (status == 202 && out.contains("job"))
      out["note"] = "Klaviyo runs this job in the background: get the job again by its id to follow job.status.";
  }
  mark_untrusted(out);
  return call_tool_result(fit_single(std::move(out), spec, max_chars));
}

}  // namespace kmcp
