#include "server/core/tool_error.hpp"

namespace kmcp {

json::object to_call_tool_result(const ToolError& error) {
  json::object err;
  err["kind"] = error.kind;
  err["message"] = error.message;
  for (const auto& [k, v] : error.details) err[k] = v;

  // The model reads the text; a program reads the same facts under _meta. No structuredContent:
  // clients check it against the tool's outputSchema, which describes success.
  std::string text = error.kind + ": " + error.message;
  if (!error.details.empty()) text += "\ndetails: " + json::serialize(error.details);
  json::object result;
  result["content"] = json::array{json::object{{"type", "text"}, {"text", std::move(text)}}};
  result["isError"] = true;
  result["_meta"] = json::object{{std::string(kErrorMetaKey), std::move(err)}};
  return result;
}

}  // namespace kmcp
