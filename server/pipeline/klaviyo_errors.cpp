#include "server/pipeline/klaviyo_errors.hpp"

#include <algorithm>
#include <charconv>

#include "server/pipeline/argument_example.hpp"
#include "server/pipeline/argument_text.hpp"

namespace kmcp {
namespace {

constexpr std::size_t kMaxErrors = 10;  // Klaviyo can list one error per bad item

std::string string_field(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->value().is_string()) return std::string(it->value().get_string());
  if (auto text = scalar_text(it->value())) return *text;
  return {};
}

struct KlaviyoError {
  std::string code, title, detail, source;
  json::object meta;  // e.g. {"duplicate_profile_id": "01H..."} on a 409
};

std::vector<KlaviyoError> parse_errors(std::string_view body) {
  std::vector<KlaviyoError> out;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return out;
  auto errors = doc.get_object().find("errors");
  if (errors == doc.get_object().end() || !errors->value().is_array()) return out;
  for (const auto& item : errors->value().get_array()) {
    if (!item.is_object() || out.size() == kMaxErrors) continue;
    const auto& e = item.get_object();
    KlaviyoError parsed{string_field(e, "code"), string_field(e, "title"), string_field(e, "detail"), {}, {}};
    if (auto meta = e.find("meta"); meta != e.end() && meta->value().is_object()) parsed.meta = meta->value().get_object();
    if (auto source = e.find("source"); source != e.end() && source->value().is_object()) {
      parsed.source = string_field(source->value().get_object(), "pointer");
      if (parsed.source.empty()) parsed.source = string_field(source->value().get_object(), "parameter");
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

std::string_view next_segment(std::string_view& pointer) {
  if (pointer.starts_with('/')) pointer.remove_prefix(1);
  auto end = pointer.find('/');
  std::string_view segment = pointer.substr(0, end);
  pointer = end == std::string_view::npos ? std::string_view{} : pointer.substr(end);
  return segment;
}

std::string with_rest(const std::string& arg, std::string_view rest) {
  return argument_name_from_pointer("/" + arg + std::string(rest));
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The id of the resource that already exists, from a 409's meta ("duplicate_profile_id", ...).
std::string existing_id(const std::vector<KlaviyoError>& errors) {
  for (const auto& e : errors)
    for (const auto& [key, value] : e.meta)
      if (key.starts_with("duplicate_") && key.ends_with("_id") && value.is_string()) return std::string(value.get_string());
  return {};
}

}  // namespace

std::chrono::seconds retry_after(const UpstreamResponse& response) {
  auto it = response.headers.find("Retry-After");
  if (it == response.headers.end()) return std::chrono::seconds(1);
  std::string_view text = it->value();
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  long long seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::chrono::seconds(1);
  (void)end;
  // Bounded so deadline arithmetic cannot overflow on a hostile header.
  constexpr long long kMaxSeconds = 24 * 60 * 60;
  return std::chrono::seconds(std::min(seconds, kMaxSeconds));
}

std::string argument_for_source(const ToolSpec& spec, std::string_view source) {
  if (!source.starts_with('/')) {
    for (const auto& q : spec.query)
      if (q.param == source) return q.arg;
    return {};
  }
  std::string_view rest = source;
  if (next_segment(rest) != "data") return {};
  std::string_view segment = next_segment(rest);
  if (segment == "id") return spec.body.id_arg;
  if (segment == "attributes") {
    std::string_view attribute = next_segment(rest);
    for (const auto& [arg, spec_attr] : spec.body.attributes) {
      if (spec_attr.attribute != attribute) continue;
      // A wrapped list reads /data/<n>/attributes/<key> where the model wrote [<n>].<key>.
      std::string_view wrapped = rest;
      if (spec_attr.wrap == "resource_list" && next_segment(wrapped) == "data") {
        std::string_view index = next_segment(wrapped);
        std::string_view member = next_segment(wrapped);
        std::string inner = index.empty() ? "" : "/" + std::string(index);
        if (member == "id") inner += "/id";
        return with_rest(arg, inner + std::string(wrapped));
      }
      return with_rest(arg, rest);
    }
    return {};
  }
  if (segment == "relationships") {
    std::string_view name = next_segment(rest);
    for (const auto& [arg, rel] : spec.body.relationships)
      if (rel.name == name) return arg;
    return {};
  }
  // A relationships body: /data/3/id -> profile_ids[3].
  if (!segment.empty() && segment.find_first_not_of("0123456789") == std::string_view::npos &&
      !spec.body.ids_arg.empty())
    return spec.body.ids_arg + "[" + std::string(segment) + "]";
  return {};
}

ToolError map_klaviyo_error(const ToolSpec& spec, const UpstreamResponse& response, std::string_view key_env_var) {
  const unsigned status = response.status;
  const std::string http = "HTTP " + std::to_string(status);
  auto errors = parse_errors(response.body);

  json::array listed;
  for (const auto& e : errors)
    listed.push_back(json::object{{"code", e.code}, {"title", e.title}, {"detail", e.detail}, {"source", e.source}});

  std::string summary;
  std::string argument;
  if (!errors.empty()) {
    summary = errors.front().detail.empty() ? errors.front().title : errors.front().detail;
    argument = argument_for_source(spec, errors.front().source);
  }
  // Our sentences add their own punctuation.
  while (!summary.empty() && (summary.back() == '.' || summary.back() == ' ')) summary.pop_back();
  if (summary.empty()) summary = "no error detail was given";
  if (!argument.empty()) summary += " (argument " + argument + ")";

  ToolError error;
  if (status == 400 || status == 413 || status == 422) {
    error = {"validation", "Klaviyo rejected the request (" + http + "): " + summary + "."};
    if (auto example = argument.empty() ? std::nullopt : argument_example(spec, argument)) {
      error.message += " For example " + argument + ": " + json::serialize(*example) + ".";
      error.details["example"] = json::object{{argument, *example}};
    }
    error.message += " Fix the argument and call again.";
    error.details["origin"] = "klaviyo";
  } else if (status == 401) {
    std::string var = spec.public_key_auth ? "KLAVIYO_PUBLIC_KEY" : std::string(key_env_var);
    error = {"auth", "Klaviyo did not accept the credentials (" + http + "): " + summary + ". Check that " + var +
                         " holds a valid key for the account and restart the server."};
  } else if (status == 403) {
    std::string scopes = spec.scopes.empty() ? "" : " This tool needs the scope(s): " + join(spec.scopes) + ".";
    error = {"missing_scope", "Klaviyo refused access (" + http + "): " + summary +
                                  ". The API key lacks a scope this tool needs; the account owner must create a key "
                                  "with it (retrying will not help)." + scopes};
    if (!spec.scopes.empty()) {
      json::array needed;
      for (const auto& s : spec.scopes) needed.push_back(json::string(s));
      error.details["required_scopes"] = std::move(needed);
    }
  } else if (status == 404) {
    error = {"not_found", "Not found (" + http + "): " + summary +
                              ". Check the id, for example by listing the resources, and call again."};
  } else if (status == 409) {
    error = {"conflict", "Conflict (" + http + "): " + summary + "."};
    if (auto id = existing_id(errors); !id.empty()) {
      error.message += " The existing resource's id is " + id + ": use it (get or update it) instead of creating another.";
      error.details["existing_id"] = id;
    }
  } else if (status == 429) {
    auto wait = retry_after(response).count();
    error = {"rate_limited", "Klaviyo's rate limit was reached (" + http + "). Retry after " + std::to_string(wait) +
                                 " second(s)."};
    error.details["retry_after_seconds"] = wait;
  } else if (status >= 500) {
    error = {"upstream_unavailable", "Klaviyo had a server error (" + http + "): " + summary + ". Try again later."};
  } else {
    error = {"upstream", "Klaviyo answered " + http + ": " + summary + "."};
  }
  error.details["status"] = status;
  if (!argument.empty()) error.details["argument"] = argument;
  error.details["errors"] = std::move(listed);
  return error;
}

}  // namespace kmcp
