#include "server/pipeline/request_description.hpp"

#include <boost/beast/http/verb.hpp>

namespace kmcp {
namespace {

std::string masked_authorization(std::string_view value) {
  const auto space = value.find(' ');
  return std::string(value.substr(0, space == std::string_view::npos ? 0 : space + 1)) + "***";
}

std::string_view header_value(const UpstreamRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return {};
}

// The text after `prefix` in a part's headers, up to `end`, or "".
std::string text_after(std::string_view headers, const std::string& prefix, std::string_view end) {
  const auto at = headers.find(prefix);
  if (at == std::string_view::npos) return {};
  const auto start = at + prefix.size();
  const auto stop = headers.find(end, start);
  return std::string(headers.substr(start, stop == std::string_view::npos ? std::string_view::npos : stop - start));
}

std::string disposition_param(std::string_view headers, std::string_view key) {
  return text_after(headers, "; " + std::string(key) + "=\"", "\"");
}

// The parts of a body encode_multipart built: plain fields with their value, files by size.
json::array describe_multipart(std::string_view body, std::string_view content_type) {
  json::array parts;
  const auto b = content_type.find("boundary=");
  if (b == std::string_view::npos) return parts;
  const std::string delimiter = "--" + std::string(content_type.substr(b + 9));
  std::size_t pos = body.find(delimiter);
  while (pos != std::string_view::npos) {
    const auto headers_start = pos + delimiter.size() + 2;  // past the delimiter's CRLF (or "--")
    if (body.substr(pos + delimiter.size(), 2) == "--") break;
    const auto headers_end = body.find("\r\n\r\n", headers_start);
    if (headers_end == std::string_view::npos) break;
    const auto next = body.find("\r\n" + delimiter, headers_end + 4);
    if (next == std::string_view::npos) break;
    const auto headers = body.substr(headers_start, headers_end - headers_start);
    const auto content = body.substr(headers_end + 4, next - headers_end - 4);
    json::object part{{"name", disposition_param(headers, "name")}};
    if (auto filename = disposition_param(headers, "filename"); !filename.empty()) {
      part["filename"] = filename;
      part["content_type"] = text_after(headers, "Content-Type: ", "\r\n");
      part["bytes"] = content.size();
    } else {
      part["value"] = content;
    }
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

}  // namespace

json::object describe_request(const UpstreamRequest& request, std::string_view base_url) {
  std::string url(base_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += request.target;

  json::object headers;
  for (const auto& [name, value] : request.headers)
    headers[name] = name == "Authorization" ? masked_authorization(value) : value;

  json::object described{{"method", std::string(boost::beast::http::to_string(request.method))},
                         {"url", std::move(url)},
                         {"headers", std::move(headers)}};
  if (request.body.empty()) return described;
  const auto content_type = header_value(request, "Content-Type");
  if (content_type.starts_with("multipart/")) {
    described["body"] = json::object{{"multipart", describe_multipart(request.body, content_type)}};
    return described;
  }
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  described["body"] = ec ? json::value(request.body) : std::move(body);
  return described;
}

}  // namespace kmcp
