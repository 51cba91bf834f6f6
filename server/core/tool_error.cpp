#include "server/core/tool_error.hpp"

namespace kmcp {

json::object to_call_tool_result(const ToolError& error) {
  json::object err;
  err["kind"] = error.kind;
  err["message"] = error.message;
  for (const auto& [k, v] : error.details) err[k] = v;

  std::string text = error.kind + ": " + error.message;
  json::object result;
  result["content"] = json::array{json::object{{"type", "text"}, {"text", text}}};
  result["structuredContent"] = json::object{{"error", std::move(err)}};
  result["isError"] = true;
  return result;
}

}  // namespace kmcp
