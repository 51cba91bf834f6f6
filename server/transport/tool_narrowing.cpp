#include "server/transport/tool_narrowing.hpp"

#include <boost/url/parse.hpp>
#include <cctype>
#include <optional>

#include "server/registry/tool_selection.hpp"

namespace kmcp {
namespace {

namespace urls = boost::urls;

// One setting, as a header or a query parameter (never both: which would count?).
struct Setting {
  std::string_view header;
  std::string_view param;
};
constexpr Setting kToolsets{"X-MCP-Toolsets", "toolsets"};
constexpr Setting kTools{"X-MCP-Tools", "tools"};
constexpr Setting kExcludeTools{"X-MCP-Exclude-Tools", "exclude_tools"};
constexpr Setting kReadOnly{"X-MCP-Readonly", "read_only"};

// A setting's value and where it came from ("X-MCP-Tools" or "?tools="); repeated headers or
// parameters join as one comma-separated list.
struct Found {
  std::string value;
  std::string label;
};

class SettingReader {
 public:
  explicit SettingReader(const HttpRequest& request) : request_(request) {
    const auto target = urls::parse_origin_form(request.target());
    if (!target) {
      error_ = "the request target is not a valid URL path and query";
      return;
    }
    query_ = *target;
  }

  std::optional<Found> read(const Setting& setting) {
    std::optional<Found> header, param;
    for (auto [it, end] = request_.equal_range(setting.header); it != end; ++it) {
      if (!header) header = Found{"", std::string(setting.header)};
      header->value += "," + std::string(it->value());
    }
    if (query_) {
      for (const auto& p : query_->params()) {
        if (p.key != setting.param) continue;
        if (!param) param = Found{"", "?" + std::string(setting.param) + "="};
        param->value += "," + p.value;
      }
    }
    if (header && param) {
      fail(std::string(setting.header) + " and the query parameter " + std::string(setting.param) +
           " are the same setting: give it once");
      return std::nullopt;
    }
    return header ? header : param;
  }

  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  const std::string& error() const { return error_; }

 private:
  const HttpRequest& request_;
  std::optional<urls::url_view> query_;
  std::string error_;
};

std::optional<bool> parse_flag(std::string_view text) {
  std::string value;
  for (char c : text)
    if (c != ',' && c != ' ' && c != '\t') value += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "0" || value == "no" || value == "off") return false;
  return std::nullopt;
}

}  // namespace

boost::system::result<std::shared_ptr<const ToolExposure>, std::string> narrowed_tools(
    const HttpRequest& request, const ToolExposure& base) {
  SettingReader reader(request);
  const auto toolsets = reader.read(kToolsets);
  const auto tools = reader.read(kTools);
  const auto exclude = reader.read(kExcludeTools);
  const auto read_only = reader.read(kReadOnly);
  std::optional<bool> read_only_value;
  if (read_only) {
    read_only_value = parse_flag(read_only->value);
    if (!read_only_value) reader.fail(read_only->label + ": expected true or false");
  }
  if (!reader.error().empty()) return reader.error();
  if (!toolsets && !tools && !exclude && !read_only) return std::shared_ptr<const ToolExposure>();

  // A refusal names the header or parameter the client used; a hint names the header.
  SelectionLabels labels{.toolsets = std::string(kToolsets.header),
                         .tools = std::string(kTools.header),
                         .exclude_tools = std::string(kExcludeTools.header)};
  ToolSelection selection;
  const auto take = [](const std::optional<Found>& found, std::vector<std::string>& names, std::string& label) {
    if (!found) return;
    names = split_names(found->value);
    label = found->label;
  };
  take(toolsets, selection.toolsets, labels.toolsets);
  take(tools, selection.tools, labels.tools);
  take(exclude, selection.exclude_tools, labels.exclude_tools);
  selection.read_only = read_only_value.value_or(false);  // false narrows nothing: it never widens
  return select_tools(base, selection, true, labels);
}

json::object narrowing_of(const HttpRequest& request) {
  json::object headers;
  for (const Setting* setting : {&kToolsets, &kTools, &kExcludeTools, &kReadOnly}) {
    json::array values;
    for (auto [it, end] = request.equal_range(setting->header); it != end; ++it) values.emplace_back(it->value());
    if (!values.empty()) headers[setting->header] = std::move(values);
  }
  const bool has_query = request.target().find('?') != std::string_view::npos;
  if (headers.empty() && !has_query) return {};
  return json::object{{"target", request.target()}, {"headers", std::move(headers)}};
}

HttpRequest narrowing_request(const json::object& narrowing) {
  HttpRequest request;
  request.target("/");
  if (const auto* target = narrowing.if_contains("target"); target && target->is_string())
    request.target(std::string_view(target->get_string()));
  if (const auto* headers = narrowing.if_contains("headers"); headers && headers->is_object()) {
    for (const auto& header : headers->get_object()) {
      if (!header.value().is_array()) continue;
      for (const auto& value : header.value().get_array())
        if (value.is_string()) request.insert(std::string_view(header.key()), std::string_view(value.get_string()));
    }
  }
  return request;
}

}  // namespace kmcp
