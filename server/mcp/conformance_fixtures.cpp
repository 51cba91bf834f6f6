#include "server/mcp/conformance_fixtures.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <array>
#include <chrono>

namespace kmcp::fixtures {
namespace {

using namespace std::chrono_literals;

// A 1x1 PNG and a minimal WAV: the suite checks only that the data is valid base64.
constexpr std::string_view kPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
constexpr std::string_view kWav = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

json::object text(std::string_view value) { return {{"type", "text"}, {"text", value}}; }
json::object image() { return {{"type", "image"}, {"data", kPng}, {"mimeType", "image/png"}}; }
json::object embedded(std::string_view uri, std::string_view mime, std::string_view body) {
  return {{"type", "resource"}, {"resource", {{"uri", uri}, {"mimeType", mime}, {"text", body}}}};
}
json::object result_of(json::array content, bool is_error = false) {
  json::object out{{"content", std::move(content)}};
  if (is_error) out["isError"] = true;
  return out;
}

json::object object_schema(json::object properties = {}, json::array required = {}) {
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json::object tool(std::string_view name, std::string_view description, json::object schema = object_schema()) {
  return {{"name", name}, {"description", description}, {"inputSchema", std::move(schema)}};
}

json::object string_property(std::string_view description) { return {{"type", "string"}, {"description", description}}; }

std::string argument(const json::object& arguments, std::string_view name) {
  const json::value* v = arguments.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

json::object sampling_request(std::string prompt) {
  return {{"messages", {{{"role", "user"}, {"content", text(prompt)}}}}, {"maxTokens", 100}};
}

json::object elicitation_basic() {
  return object_schema({{"username", string_property("User's response")}, {"email", string_property("User's email address")}},
                       json::array{"username", "email"});
}

json::object elicitation_sep1034() {
  return object_schema(
      {{"name", {{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
       {"age", {{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
       {"score", {{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
       {"status",
        {{"type", "string"}, {"description", "User status"}, {"enum", {"active", "inactive", "pending"}}, {"default", "active"}}},
       {"verified", {{"type", "boolean"}, {"description", "Verification status"}, {"default", true}}}});
}

json::array titled(std::initializer_list<std::pair<std::string_view, std::string_view>> options) {
  json::array out;
  for (const auto& [value, title] : options) out.push_back(json::object{{"const", value}, {"title", title}});
  return out;
}

json::object elicitation_sep1330() {
  return object_schema(
      {{"untitledSingle", {{"type", "string"}, {"description", "Select one option"}, {"enum", {"option1", "option2", "option3"}}}},
       {"titledSingle",
        {{"type", "string"},
         {"description", "Select one titled option"},
         {"oneOf", titled({{"value1", "First Option"}, {"value2", "Second Option"}, {"value3", "Third Option"}})}}},
       {"legacyEnum",
        {{"type", "string"},
         {"description", "Select one (legacy names)"},
         {"enum", {"opt1", "opt2", "opt3"}},
         {"enumNames", {"Option One", "Option Two", "Option Three"}}}},
       {"untitledMulti",
        {{"type", "array"},
         {"description", "Select several options"},
         {"minItems", 1},
         {"maxItems", 3},
         {"items", {{"type", "string"}, {"enum", {"option1", "option2", "option3"}}}}}},
       {"titledMulti",
        {{"type", "array"},
         {"description", "Select several titled options"},
         {"minItems", 1},
         {"maxItems", 3},
         {"items",
          {{"anyOf", titled({{"value1", "First Choice"}, {"value2", "Second Choice"}, {"value3", "Third Choice"}})}}}}}});
}

// Asks the client to fill `schema` and reports its answer as the tool's text.
// g++ 12: no braced initializer list may live across a co_await in these coroutines (it rejects
// them, "array used as initializer"), so requests are built in named objects first.
asio::awaitable<json::object> elicit(const AskClient& ask, std::string message, json::object schema) {
  json::object params;
  params["message"] = std::move(message);
  params["requestedSchema"] = std::move(schema);
  auto answer = co_await ask("elicitation/create", std::move(params));
  if (!answer) co_return result_of({text(answer.error().message)}, true);
  const json::value* action = answer->if_contains("action");
  const json::value* content = answer->if_contains("content");
  co_return result_of({text("User response: action=" + (action ? json::serialize(*action) : std::string("none")) +
                            ", content=" + (content ? json::serialize(*content) : std::string("{}")))});
}

}  // namespace

json::array tool_listings() {
  return {
      tool("test_simple_text", "Conformance fixture: answers with one text block."),
      tool("test_image_content", "Conformance fixture: answers with an image block."),
      tool("test_audio_content", "Conformance fixture: answers with an audio block."),
      tool("test_embedded_resource", "Conformance fixture: answers with an embedded resource."),
      tool("test_multiple_content_types", "Conformance fixture: answers with text, image and resource blocks."),
      tool("test_tool_with_logging", "Conformance fixture: sends three log notifications while it runs."),
      tool("test_tool_with_progress", "Conformance fixture: reports progress three times while it runs."),
      tool("test_error_handling", "Conformance fixture: always fails as a tool result (isError)."),
      tool("test_sampling", "Conformance fixture: asks the client's model to complete a prompt.",
           object_schema({{"prompt", string_property("The prompt to send")}}, {"prompt"})),
      tool("test_elicitation", "Conformance fixture: asks the user for a name and an email address.",
           object_schema({{"message", string_property("The question to show")}}, {"message"})),
      tool("test_elicitation_sep1034_defaults", "Conformance fixture: asks the user with defaults on every field."),
      tool("test_elicitation_sep1330_enums", "Conformance fixture: asks the user to choose among enumerations."),
      tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
           {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"type", "object"},
            {"$defs",
             {{"address",
               {{"type", "object"}, {"properties", {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
            {"properties", {{"name", {{"type", "string"}}}, {"address", {{"$ref", "#/$defs/address"}}}}},
            {"additionalProperties", false}}),
  };
}

bool is_tool(std::string_view name) {
  for (const json::value& t : tool_listings())
    if (t.at("name").get_string() == name) return true;
  return false;
}

asio::awaitable<json::object> call_tool(std::string_view name, const json::object& arguments,
                                        const CallContext& context, const AskClient& ask) {
  if (name == "test_simple_text") co_return result_of({text("This is a simple text response for testing.")});
  if (name == "test_image_content") co_return result_of({image()});
  if (name == "test_audio_content")
    co_return result_of({json::object{{"type", "audio"}, {"data", kWav}, {"mimeType", "audio/wav"}}});
  if (name == "test_embedded_resource")
    co_return result_of({embedded("test://embedded-resource", "text/plain", "This is an embedded resource content.")});
  if (name == "test_multiple_content_types")
    co_return result_of({text("Multiple content types test:"), image(),
                         embedded("test://mixed-content-resource", "application/json", R"({"test":"data","value":123})")});
  if (name == "test_error_handling")
    co_return result_of({text("This tool intentionally returns an error for testing")}, true);
  if (name == "test_tool_with_logging") {
    static constexpr std::array<std::string_view, 3> kSteps = {"Tool execution started", "Tool processing data",
                                                               "Tool execution completed"};
    for (const std::string_view step : kSteps) {
      if (context.log) context.log(LogLevel::info, json::object{{"message", step}});
      co_await pause(20ms);
    }
    co_return result_of({text("Tool with logging executed successfully")});
  }
  if (name == "test_tool_with_progress") {
    static constexpr std::array<double, 3> kSteps = {0.0, 50.0, 100.0};
    for (const double step : kSteps) {
      if (context.progress) context.progress(step, 100.0, "");
      co_await pause(20ms);
    }
    co_return result_of({text("Tool with progress executed successfully")});
  }
  if (name == "test_sampling") {
    json::object params = sampling_request(argument(arguments, "prompt"));
    auto answer = co_await ask("sampling/createMessage", std::move(params));
    if (!answer) co_return result_of({text(answer.error().message)}, true);
    const json::value* content = answer->if_contains("content");
    const json::value* said = content && content->is_object() ? content->get_object().if_contains("text") : nullptr;
    co_return result_of({text("LLM response: " + (said && said->is_string() ? std::string(said->get_string()) : ""))});
  }
  if (name == "test_elicitation") co_return co_await elicit(ask, argument(arguments, "message"), elicitation_basic());
  if (name == "test_elicitation_sep1034_defaults")
    co_return co_await elicit(ask, "Please review your information", elicitation_sep1034());
  if (name == "test_elicitation_sep1330_enums")
    co_return co_await elicit(ask, "Please choose your options", elicitation_sep1330());
  co_return result_of({text("This fixture is only listed, never run.")}, true);
}

json::array resources() {
  return {
      json::object{{"uri", "test://static-text"}, {"name", "Static text"}, {"description", "A fixed text resource"},
                   {"mimeType", "text/plain"}},
      json::object{{"uri", "test://static-binary"}, {"name", "Static binary"}, {"description", "A fixed PNG image"},
                   {"mimeType", "image/png"}},
      json::object{{"uri", "test://watched-resource"}, {"name", "Watched resource"},
                   {"description", "A resource clients may subscribe to"}, {"mimeType", "text/plain"}},
  };
}

json::array resource_templates() {
  return {json::object{{"uriTemplate", "test://template/{id}/data"}, {"name", "Template data"},
                       {"description", "Data for any id"}, {"mimeType", "application/json"}}};
}

std::optional<json::object> read_resource(std::string_view uri) {
  const auto contents = [](json::object item) { return json::object{{"contents", json::array{std::move(item)}}}; };
  if (uri == "test://static-text")
    return contents({{"uri", uri}, {"mimeType", "text/plain"}, {"text", "This is the content of the static text resource."}});
  if (uri == "test://static-binary") return contents({{"uri", uri}, {"mimeType", "image/png"}, {"blob", kPng}});
  if (uri == "test://watched-resource")
    return contents({{"uri", uri}, {"mimeType", "text/plain"}, {"text", "The watched resource's content."}});
  constexpr std::string_view prefix = "test://template/", suffix = "/data";
  if (uri.starts_with(prefix) && uri.ends_with(suffix) && uri.size() > prefix.size() + suffix.size()) {
    const std::string id(uri.substr(prefix.size(), uri.size() - prefix.size() - suffix.size()));
    if (id.find('/') == std::string::npos) {
      const json::object body{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
      return contents({{"uri", uri}, {"mimeType", "application/json"}, {"text", json::serialize(body)}});
    }
  }
  return std::nullopt;
}

json::array prompts() {
  const auto arg = [](std::string_view name, std::string_view description) {
    return json::object{{"name", name}, {"description", description}, {"required", true}};
  };
  return {
      json::object{{"name", "test_simple_prompt"}, {"description", "Conformance fixture: a prompt without arguments"}},
      json::object{{"name", "test_prompt_with_arguments"},
                   {"description", "Conformance fixture: a prompt with two arguments"},
                   {"arguments", {arg("arg1", "First test argument"), arg("arg2", "Second test argument")}}},
      json::object{{"name", "test_prompt_with_embedded_resource"},
                   {"description", "Conformance fixture: a prompt that embeds a resource"},
                   {"arguments", {arg("resourceUri", "The URI of the resource to embed")}}},
      json::object{{"name", "test_prompt_with_image"}, {"description", "Conformance fixture: a prompt with an image"}},
  };
}

boost::system::result<json::object, std::string> get_prompt(std::string_view name, const json::object& arguments) {
  const auto message = [](json::object content) { return json::object{{"role", "user"}, {"content", std::move(content)}}; };
  const auto messages = [](json::array list) { return json::object{{"messages", std::move(list)}}; };
  if (name == "test_simple_prompt") return messages({message(text("This is a simple prompt for testing."))});
  if (name == "test_prompt_with_arguments") {
    for (const char* required : {"arg1", "arg2"})
      if (!arguments.contains(required)) return "missing argument " + std::string(required);
    return messages({message(text("Prompt with arguments: arg1='" + argument(arguments, "arg1") + "', arg2='" +
                                  argument(arguments, "arg2") + "'"))});
  }
  if (name == "test_prompt_with_embedded_resource") {
    const std::string uri = argument(arguments, "resourceUri");
    if (uri.empty()) return std::string("missing argument resourceUri");
    return messages({message(embedded(uri, "text/plain", "Embedded resource content for testing.")),
                     message(text("Please process the embedded resource above."))});
  }
  if (name == "test_prompt_with_image")
    return messages({message(image()), message(text("Please analyze the image above."))});
  return "Unknown prompt: " + std::string(name);
}

}  // namespace kmcp::fixtures
