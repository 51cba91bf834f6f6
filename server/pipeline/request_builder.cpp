#include "server/pipeline/request_builder.hpp"

#include <algorithm>
#include <cctype>

#include "server/pipeline/argument_text.hpp"
#include "server/pipeline/argument_validation.hpp"
#include "server/pipeline/filter_expression.hpp"

namespace kmcp {
namespace {

// std::string is also a valid (paren-aggregate) ToolError initializer, so say which side it is.
BuildResult<std::string> text_result(std::string text) { return {boost::system::in_place_value, std::move(text)}; }

const json::value* find_arg(const json::object& args, const std::string& name) {
  auto it = args.find(name);
  if (it == args.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lenient: a '%' not followed by two hex digits stays as is.
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

std::string list_some(const std::vector<std::string>& values) {
  constexpr std::size_t kShown = 12;
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < kShown; ++i) out += (i ? ", " : "") + values[i];
  if (values.size() > kShown) out += " (and " + std::to_string(values.size() - kShown) + " more)";
  return out;
}

BuildResult<std::string> csv_value(const QueryParamSpec& q, const json::value& value) {
  std::vector<std::string> items;
  if (value.is_array()) {
    for (const auto& item : value.get_array()) {
      auto text = scalar_text(item);
      if (!text) return invalid_argument(q.arg, "every item must be a string");
      items.push_back(std::move(*text));
    }
  } else if (auto text = scalar_text(value)) {
    // A comma-joined string is accepted too; its items are checked the same way.
    std::string_view rest = *text;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      items.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  } else {
    return invalid_argument(q.arg, "expected an array of strings");
  }
  std::string joined;
  for (const auto& item : items) {
    if (!q.allowed.empty() && std::find(q.allowed.begin(), q.allowed.end(), item) == q.allowed.end()) {
      ToolError error = invalid_argument(
          q.arg, "'" + item + "' is not an allowed value. Allowed values: " + list_some(q.allowed) + ".");
      error.details["value"] = item;
      return error;
    }
    if (!joined.empty()) joined.push_back(',');
    joined += item;
  }
  return text_result(std::move(joined));
}

// nullopt: the parameter is left out (an empty list).
BuildResult<std::optional<std::string>> query_value(const QueryParamSpec& q, const json::value& value) {
  switch (q.style) {
    case QueryParamSpec::Style::plain: {
      if (value.is_array()) {
        auto joined = csv_value(q, value);
        if (!joined) return joined.error();
        return std::optional<std::string>(*joined);
      }
      auto text = scalar_text(value);
      if (!text) return invalid_argument(q.arg, "expected a string, number or boolean");
      return std::optional<std::string>(std::move(*text));
    }
    case QueryParamSpec::Style::csv: {
      auto joined = csv_value(q, value);
      if (!joined) return joined.error();
      if (joined->empty()) return std::optional<std::string>();
      return std::optional<std::string>(*joined);
    }
    case QueryParamSpec::Style::filter: {
      if (!value.is_string()) return invalid_argument(q.arg, "expected a filter expression string");
      std::string_view expression = value.get_string();
      if (auto problem = check_filter_expression(expression, q.filter_fields)) return invalid_argument(q.arg, *problem);
      return std::optional<std::string>(std::string(expression));
    }
    case QueryParamSpec::Style::cursor: {
      if (!value.is_string()) return invalid_argument(q.arg, "expected a page cursor string");
      auto cursor = cursor_from(value.get_string());
      if (!cursor)
        return invalid_argument(q.arg, "the URL has no page[cursor] parameter; pass the next_cursor of a previous page");
      if (cursor->empty()) return std::optional<std::string>();
      return std::optional<std::string>(std::move(*cursor));
    }
  }
  return std::optional<std::string>();
}

json::object resource_identifier(const std::string& type, std::string id) {
  return json::object{{"type", type}, {"id", std::move(id)}};
}

BuildResult<json::value> relationship_data(const std::string& arg, const RelationshipSpec& rel,
                                           const json::value& value) {
  if (!rel.many) {
    auto id = scalar_text(value);
    if (!id) return invalid_argument(arg, "expected an id string");
    return json::value(resource_identifier(rel.type, std::move(*id)));
  }
  json::array data;
  auto add = [&](const json::value& item) -> std::optional<ToolError> {
    auto id = scalar_text(item);
    if (!id) return invalid_argument(arg, "every item must be an id string");
    data.push_back(resource_identifier(rel.type, std::move(*id)));
    return std::nullopt;
  };
  if (value.is_array()) {
    for (const auto& item : value.get_array())
      if (auto error = add(item)) return *error;
  } else if (auto error = add(value)) {
    return *error;
  }
  return json::value(std::move(data));
}

// Klaviyo nests some lists as JSON:API documents: [{id?, ...}] -> {"data": [{type, id?, attributes}]}.
BuildResult<json::value> wrap_resource_list(const std::string& arg, const AttributeSpec& spec, const json::value& value) {
  if (!value.is_array()) return invalid_argument(arg, "expected an array of objects");
  json::array data;
  for (const auto& item : value.get_array()) {
    if (!item.is_object()) return invalid_argument(arg, "every item must be an object");
    json::object attributes = item.get_object();
    json::object resource{{"type", spec.type}};
    if (auto id = attributes.find("id"); id != attributes.end()) {
      resource["id"] = id->value();
      attributes.erase(id);
    }
    json::object relationships;
    for (const auto& [key, rel] : spec.relationships) {
      auto found = attributes.find(key);
      if (found == attributes.end()) continue;
      if (!found->value().is_null()) {
        auto rel_data = relationship_data(arg, rel, found->value());
        if (!rel_data) return rel_data.error();
        relationships[rel.name] = json::object{{"data", std::move(*rel_data)}};
      }
      attributes.erase(found);
    }
    resource["attributes"] = std::move(attributes);
    if (!relationships.empty()) resource["relationships"] = std::move(relationships);
    data.push_back(std::move(resource));
  }
  return json::value(json::object{{"data", std::move(data)}});
}

BuildResult<std::string> resource_body(const BodySpec& body, const json::object& args) {
  json::object data{{"type", body.type}};
  if (!body.id_arg.empty()) {
    if (const json::value* id = find_arg(args, body.id_arg)) {
      auto text = scalar_text(*id);
      if (!text) return invalid_argument(body.id_arg, "expected an id string");
      data["id"] = *text;
    }
  }
  // Klaviyo requires "attributes" on most create/update bodies, even when it ends up empty.
  if (!body.attributes.empty()) {
    json::object attributes;
    for (const auto& [arg, attribute] : body.attributes) {
      auto it = args.find(arg);
      if (it == args.end()) continue;  // null is sent: it clears a field
      if (attribute.wrap == "resource_list" && !it->value().is_null()) {
        auto wrapped = wrap_resource_list(arg, attribute, it->value());
        if (!wrapped) return wrapped.error();
        attributes[attribute.attribute] = std::move(*wrapped);
      } else if (attribute.wrap == "id_list" && !it->value().is_null()) {
        // [id, ...] -> {"data": [{type, id}, ...]}
        auto ids = relationship_data(arg, RelationshipSpec{"", attribute.type, true}, it->value());
        if (!ids) return ids.error();
        attributes[attribute.attribute] = json::object{{"data", std::move(*ids)}};
      } else {
        attributes[attribute.attribute] = it->value();
      }
    }
    data["attributes"] = std::move(attributes);
  }
  json::object relationships;
  for (const auto& [arg, rel] : body.relationships) {
    const json::value* value = find_arg(args, arg);
    if (!value) continue;
    auto rel_data = relationship_data(arg, rel, *value);
    if (!rel_data) return rel_data.error();
    relationships[rel.name] = json::object{{"data", std::move(*rel_data)}};
  }
  if (!relationships.empty()) data["relationships"] = std::move(relationships);
  json::object meta;
  for (const auto& [arg, key] : body.meta)
    if (const json::value* value = find_arg(args, arg)) meta[key] = *value;
  if (!meta.empty()) data["meta"] = std::move(meta);
  if (body.data_array) return text_result(json::serialize(json::object{{"data", json::array{std::move(data)}}}));
  return text_result(json::serialize(json::object{{"data", std::move(data)}}));
}

BuildResult<std::string> relationships_body(const BodySpec& body, const json::object& args) {
  const json::value* ids = find_arg(args, body.ids_arg);
  if (!ids) return invalid_argument(body.ids_arg, "is required: give the ids to link or unlink");
  auto data = relationship_data(body.ids_arg, RelationshipSpec{"", body.type, true}, *ids);
  if (!data) return data.error();
  return text_result(json::serialize(json::object{{"data", std::move(*data)}}));
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::optional<std::string> cursor_from(std::string_view value) {
  const bool url = starts_with_ci(value, "http://") || starts_with_ci(value, "https://");
  const bool carries_param = value.find("page[cursor]=") != std::string_view::npos ||
                             value.find("page%5Bcursor%5D=") != std::string_view::npos ||
                             value.find("page%5bcursor%5d=") != std::string_view::npos;
  if (!url && !carries_param) return std::string(value);

  std::string_view query = value;
  if (auto q = query.find('?'); q != std::string_view::npos) query.remove_prefix(q + 1);
  else if (url) return std::nullopt;
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (percent_decode(pair.substr(0, eq)) == "page[cursor]") return percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

BuildResult<std::string> build_path(const ToolSpec& spec, const json::object& args) {
  std::string out;
  std::string_view rest = spec.path;
  while (!rest.empty()) {
    auto open = rest.find('{');
    if (open == std::string_view::npos) {
      out += rest;
      break;
    }
    auto close = rest.find('}', open);
    if (close == std::string_view::npos) {
      out += rest;
      break;
    }
    out += rest.substr(0, open);
    std::string placeholder(rest.substr(open + 1, close - open - 1));
    rest.remove_prefix(close + 1);

    auto mapped = spec.path_args.find(placeholder);
    const std::string& arg = mapped == spec.path_args.end() ? placeholder : mapped->second;
    const json::value* value = find_arg(args, arg);
    if (!value) return invalid_argument(arg, "is required: it is part of the request path");
    auto text = scalar_text(*value);
    if (!text || text->empty()) return invalid_argument(arg, "must be a non-empty id string");
    out += percent_encode(*text);
  }
  return text_result(std::move(out));
}

BuildResult<std::string> build_query(const ToolSpec& spec, const json::object& args) {
  std::string out;
  for (const auto& q : spec.query) {
    const json::value* value = find_arg(args, q.arg);
    if (!value) continue;
    auto text = query_value(q, *value);
    if (!text) return text.error();
    if (!*text) continue;
    if (!out.empty()) out.push_back('&');
    out += percent_encode(q.param);
    out.push_back('=');
    out += percent_encode(**text);
  }
  return text_result(std::move(out));
}

BuildResult<std::string> build_target(const ToolSpec& spec, const json::object& args) {
  auto path = build_path(spec, args);
  if (!path) return path.error();
  auto query = build_query(spec, args);
  if (!query) return query.error();
  if (query->empty()) return path;
  return text_result(*path + "?" + *query);
}

BuildResult<std::string> build_body(const ToolSpec& spec, const json::object& args) {
  switch (spec.body.kind) {
    case BodySpec::Kind::none:
      return text_result({});
    case BodySpec::Kind::resource:
      return resource_body(spec.body, args);
    case BodySpec::Kind::relationships:
      return relationships_body(spec.body, args);
    case BodySpec::Kind::multipart:  // not JSON: build_multipart_body (multipart_body.hpp)
      return ToolError{"config", "Tool " + spec.name + " sends multipart/form-data, not a JSON body."};
  }
  return text_result({});
}

}  // namespace kmcp
