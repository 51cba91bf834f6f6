// resources/*, prompts/* and completion/complete. Their only entries today are the conformance
// fixtures (--conformance-fixtures); without them the lists are empty and lookups fail cleanly.
#include "server/mcp/conformance_fixtures.hpp"
#include "server/mcp/dispatcher_methods.hpp"

namespace kmcp {
namespace {

// MCP's "resource not found" error code.
constexpr int kResourceNotFound = -32002;

}  // namespace

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::resources_list(Dispatcher& d, Incoming& in) {
  json::array list = d.options_.conformance_fixtures ? fixtures::resources() : json::array{};
  co_return jsonrpc::make_result(in.message.id, json::object{{"resources", std::move(list)}});
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::resource_templates_list(Dispatcher& d, Incoming& in) {
  json::array list = d.options_.conformance_fixtures ? fixtures::resource_templates() : json::array{};
  co_return jsonrpc::make_result(in.message.id, json::object{{"resourceTemplates", std::move(list)}});
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::resources_read(Dispatcher& d, Incoming& in) {
  const json::value* uri = in.message.params.if_contains("uri");
  if (!uri || !uri->is_string()) co_return invalid_params(in, "uri must be a string");
  std::optional<json::object> found;
  if (d.options_.conformance_fixtures) found = fixtures::read_resource(uri->get_string());
  if (!found)
    co_return jsonrpc::make_error(in.message.id, kResourceNotFound, "Resource not found",
                                  json::object{{"uri", *uri}});
  co_return jsonrpc::make_result(in.message.id, std::move(*found));
}

// Subscriptions are accepted for known resources; none of them changes, so no update follows.
asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::resources_subscribe(Dispatcher& d, Incoming& in) {
  const json::value* uri = in.message.params.if_contains("uri");
  if (!uri || !uri->is_string()) co_return invalid_params(in, "uri must be a string");
  const bool known = d.options_.conformance_fixtures && fixtures::read_resource(uri->get_string()).has_value();
  if (!known)
    co_return jsonrpc::make_error(in.message.id, kResourceNotFound, "Resource not found", json::object{{"uri", *uri}});
  co_return jsonrpc::make_result(in.message.id, json::object{});
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::prompts_list(Dispatcher& d, Incoming& in) {
  json::array list = d.options_.conformance_fixtures ? fixtures::prompts() : json::array{};
  co_return jsonrpc::make_result(in.message.id, json::object{{"prompts", std::move(list)}});
}

asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::prompts_get(Dispatcher& d, Incoming& in) {
  const json::value* name = in.message.params.if_contains("name");
  if (!name || !name->is_string()) co_return invalid_params(in, "name must be a string");
  json::object arguments;
  if (const json::value* args = in.message.params.if_contains("arguments"); args && !args->is_null()) {
    if (!args->is_object()) co_return invalid_params(in, "arguments must be an object");
    arguments = args->get_object();
  }
  if (!d.options_.conformance_fixtures) co_return invalid_params(in, "Unknown prompt: " + std::string(name->get_string()));
  auto prompt = fixtures::get_prompt(name->get_string(), arguments);
  if (!prompt) co_return invalid_params(in, prompt.error());
  co_return jsonrpc::make_result(in.message.id, std::move(*prompt));
}

// No argument of ours has a closed set of values worth suggesting yet: an empty completion.
asio::awaitable<Dispatcher::Methods::Reply> Dispatcher::Methods::complete(Dispatcher&, Incoming& in) {
  const json::value* ref = in.message.params.if_contains("ref");
  const json::value* argument = in.message.params.if_contains("argument");
  if (!ref || !ref->is_object()) co_return invalid_params(in, "ref must be an object");
  if (!argument || !argument->is_object()) co_return invalid_params(in, "argument must be an object");
  json::object completion{{"values", json::array{}}, {"total", 0}, {"hasMore", false}};
  co_return jsonrpc::make_result(in.message.id, json::object{{"completion", std::move(completion)}});
}

}  // namespace kmcp
