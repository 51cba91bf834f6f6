#pragma once
// The fixture tools, resources and prompts that the official MCP conformance suite calls by name
// (test_simple_text, test://static-text, test_simple_prompt, ...). They exist only with
// --conformance-fixtures, so the suite can check every protocol feature against this server;
// they touch no Klaviyo account and are never listed otherwise.
#include <boost/system/result.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/json.hpp"
#include "server/mcp/client_requests.hpp"
#include "server/pipeline/tool_runner.hpp"

namespace kmcp::fixtures {

// A server-to-client request on behalf of a fixture tool (sampling/createMessage, elicitation/create).
using AskClient = std::function<asio::awaitable<boost::system::result<json::object, ClientRequestFailure>>(
    std::string method, json::object params)>;

json::array tool_listings();
bool is_tool(std::string_view name);
// Runs fixture tool `name` (is_tool(name) must hold): progress and log through `context`.
asio::awaitable<json::object> call_tool(std::string_view name, const json::object& arguments,
                                        const CallContext& context, const AskClient& ask);

json::array resources();
json::array resource_templates();
// The resources/read result for `uri`, or nullopt when there is no such resource.
std::optional<json::object> read_resource(std::string_view uri);

json::array prompts();
// The prompts/get result, or a message saying what is wrong with the request.
boost::system::result<json::object, std::string> get_prompt(std::string_view name, const json::object& arguments);

}  // namespace kmcp::fixtures
