#include "server/sandbox/sandbox_exchange.hpp"

#include <cstdio>
#include <functional>

namespace kmcp::sandbox {

SandboxResponse document_response(unsigned status, const json::value& document) {
  return SandboxResponse{.status = status,
                         .headers = {{"Content-Type", "application/vnd.api+json"}},
                         .body = json::serialize(document)};
}

SandboxResponse error_response(unsigned status, std::string code, std::string title, std::string detail,
                               std::string pointer, json::object meta) {
  // Klaviyo gives every error an id to quote to support; here one derived from the error.
  char id[40];
  std::snprintf(id, sizeof id, "sandbox-%016zx", std::hash<std::string>{}(code + detail));
  json::object error{{"id", id},
                     {"status", status},
                     {"code", std::move(code)},
                     {"title", std::move(title)},
                     {"detail", std::move(detail)}};
  if (!pointer.empty()) error["source"] = json::object{{"pointer", std::move(pointer)}};
  if (!meta.empty()) error["meta"] = std::move(meta);
  return document_response(status, json::object{{"errors", json::array{std::move(error)}}});
}

}  // namespace kmcp::sandbox
