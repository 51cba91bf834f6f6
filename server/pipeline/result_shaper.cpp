#include "server/pipeline/result_shaper.hpp"

#include "server/pipeline/request_builder.hpp"

namespace kmcp {
namespace {

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

json::value relationship_ids(const json::value& data) {
  auto id_of = [](const json::value& identifier) -> json::value {
    if (identifier.is_object())
      if (auto id = identifier.get_object().find("id"); id != identifier.get_object().end()) return id->value();
    return nullptr;
  };
  if (data.is_array()) {
    json::array ids;
    for (const auto& item : data.get_array()) ids.push_back(id_of(item));
    return ids;
  }
  return id_of(data);
}

json::array flatten_all(const json::array& resources) {
  json::array out;
  for (const auto& item : resources) out.push_back(item.is_object() ? json::value(flatten_resource(item.get_object())) : item);
  return out;
}

}  // namespace

json::object call_tool_result(json::object structured) {
  json::object result;
  result["content"] = json::array{json::object{{"type", "text"}, {"text", json::serialize(structured)}}};
  result["structuredContent"] = std::move(structured);
  result["isError"] = false;
  return result;
}

json::object flatten_resource(const json::object& resource) {
  json::object out;
  if (auto type = resource.find("type"); type != resource.end()) out["type"] = type->value();
  if (auto id = resource.find("id"); id != resource.end()) out["id"] = id->value();

  // Attributes named like our own keys stay nested instead of overwriting them.
  json::object clashing;
  if (auto attributes = resource.find("attributes"); attributes != resource.end() && attributes->value().is_object()) {
    for (const auto& [key, value] : attributes->value().get_object()) {
      if (key == "type" || key == "id" || key == "relationships" || key == "attributes")
        clashing[key] = value;
      else
        out[key] = value;
    }
  }
  if (!clashing.empty()) out["attributes"] = std::move(clashing);

  json::object relationships;
  if (auto rels = resource.find("relationships"); rels != resource.end() && rels->value().is_object()) {
    for (const auto& [name, rel] : rels->value().get_object()) {
      if (!rel.is_object()) continue;
      auto data = rel.get_object().find("data");
      if (data == rel.get_object().end()) continue;  // links only: nothing to show
      relationships[name] = relationship_ids(data->value());
    }
  }
  if (!relationships.empty()) out["relationships"] = std::move(relationships);
  return out;
}

std::optional<std::string> next_cursor(const json::object& document) {
  auto links = document.find("links");
  if (links == document.end() || !links->value().is_object()) return std::nullopt;
  auto next = links->value().get_object().find("next");
  if (next == links->value().get_object().end() || !next->value().is_string()) return std::nullopt;
  std::string_view url = next->value().get_string();
  if (url.empty()) return std::nullopt;
  auto cursor = cursor_from(url);
  if (!cursor || cursor->empty()) return std::nullopt;
  return cursor;
}

json::object shape_document(const json::value& document) {
  if (!document.is_object()) return json::object{{"result", document}};
  const json::object& doc = document.get_object();
  auto data = doc.find("data");
  if (data == doc.end()) return doc;  // not JSON:API: pass through

  json::object out;
  if (data->value().is_array()) {
    out["data"] = flatten_all(data->value().get_array());
    if (auto cursor = next_cursor(doc)) out["next_cursor"] = *cursor;
  } else if (data->value().is_object()) {
    out = flatten_resource(data->value().get_object());
  } else {
    out["data"] = data->value();
  }
  if (auto included = doc.find("included"); included != doc.end() && included->value().is_array())
    out["included"] = flatten_all(included->value().get_array());
  return out;
}

json::object shape_result(unsigned status, std::string_view body) {
  if (status == 204 || is_blank(body)) {
    json::object ok{{"ok", true}, {"status", status}};
    if (status == 202) {
      ok["accepted"] = true;
      ok["note"] = "Klaviyo accepted the request and processes it asynchronously; its effect can take a while to show.";
    }
    return call_tool_result(std::move(ok));
  }
  boost::system::error_code ec;
  json::value document = json::parse(body, ec);
  if (ec) {
    json::object result;
    result["content"] = json::array{json::object{{"type", "text"}, {"text", std::string(body)}}};
    result["isError"] = false;
    return result;
  }
  return call_tool_result(shape_document(document));
}

}  // namespace kmcp
