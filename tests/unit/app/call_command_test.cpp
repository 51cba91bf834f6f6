// `call`: reading --args, one tools/call through a real Dispatcher, and the printed result with
// its exit code.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "server/app/call_command.hpp"
#include "server/core/clock.hpp"
#include "server/mcp/dispatcher.hpp"
#include "server/pipeline/tool_runner.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/app/app_fixture.hpp"

namespace kmcp {
namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

using ReadArguments = boost::system::result<json::object, std::string>;

json::object value_of(const ReadArguments& read) {
  REQUIRE_MESSAGE(read.has_value(), read.error());
  return *read;
}

TEST_CASE("read_call_arguments: an object as text, from a file, or from stdin") {
  std::istringstream none;
  CHECK(value_of(read_call_arguments("{}", none)).empty());
  CHECK(value_of(read_call_arguments(R"({"list_id":"L1"})", none)) == json::object{{"list_id", "L1"}});

  std::istringstream input(R"({"page_size": 2})");
  CHECK(value_of(read_call_arguments("-", input)) == json::object{{"page_size", 2}});

  TempDir dir;
  const auto path = dir.path() / "args.json";
  std::ofstream(path) << R"({"email":"a@example.com"})";
  CHECK(value_of(read_call_arguments("@" + path.string(), none)) == json::object{{"email", "a@example.com"}});
}

TEST_CASE("read_call_arguments: bad JSON, a non-object or an unreadable file is a clear refusal") {
  std::istringstream none;
  const auto bad = read_call_arguments("{list_id: L1}", none);
  REQUIRE(bad.has_error());
  CHECK(bad.error().starts_with("--args: not valid JSON"));
  const auto array = read_call_arguments("[1]", none);
  REQUIRE(array.has_error());
  CHECK(array.error() == "--args: give a JSON object of arguments, not [1]");
  std::istringstream garbage("nope");
  CHECK(read_call_arguments("-", garbage).error().starts_with("--args - (stdin): not valid JSON"));
  const auto missing = read_call_arguments("@/nonexistent/args.json", none);
  REQUIRE(missing.has_error());
  CHECK(missing.error() == "--args: cannot read '/nonexistent/args.json'");
}

TEST_CASE("print_call_reply: the result pretty on stdout; exit 0, 1 on isError, 2 on invalid params") {
  std::ostringstream out, err;
  json::object ok{{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"content", json::array{}}, {"isError", false}}}};
  CHECK(print_call_reply(ok, out, err) == kCallSucceeded);
  CHECK(out.str() == "{\n  \"content\": [],\n  \"isError\": false\n}\n");
  CHECK(err.str().empty());

  out.str("");
  json::object failed{{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"content", json::array{}}, {"isError", true}}}};
  CHECK(print_call_reply(failed, out, err) == kCallFailed);
  CHECK(contains(out.str(), "\"isError\": true"));

  out.str("");
  json::object refused{{"jsonrpc", "2.0"}, {"id", 1}, {"error", {{"code", -32602}, {"message", "Unknown tool: x"}}}};
  CHECK(print_call_reply(refused, out, err) == kCallMisused);
  CHECK(out.str().empty());
  CHECK(err.str() == "Unknown tool: x\n");

  json::object internal{{"jsonrpc", "2.0"}, {"id", 1}, {"error", {{"code", -32603}, {"message", "Internal error"}}}};
  CHECK(print_call_reply(internal, out, err) == kCallFailed);
  CHECK(print_call_reply(std::nullopt, out, err) == kCallFailed);
}

// Records what reached it and answers with a result naming the tool.
class RecordingRunner final : public ToolRunner {
 public:
  asio::awaitable<json::object> call(const ToolSpec& spec, json::object arguments, CallContext) override {
    calls.emplace_back(spec.name, arguments);
    co_return json::object{{"content", json::array{json::object{{"type", "text"}, {"text", spec.name}}}},
                           {"isError", false}};
  }
  std::vector<std::pair<std::string, json::object>> calls;
};

std::optional<json::object> call(Dispatcher& dispatcher, std::string name, json::object arguments) {
  asio::io_context io;
  std::ostringstream notes;
  std::optional<json::object> reply;
  asio::co_spawn(io, call_once(dispatcher, std::move(name), std::move(arguments), notes),
                 [&](std::exception_ptr error, std::optional<json::object> r) {
                   REQUIRE_FALSE(error);
                   reply = std::move(r);
                 });
  io.run();
  return reply;
}

TEST_CASE("call_once: a tools/call through the dispatcher, by name or alias, within the exposure") {
  const auto& tools = test::real_tools();
  RecordingRunner runner;
  std::ostringstream log_text;
  Logger logger(log_text, LogLevel::error);
  ManualClock clock;
  Dispatcher dispatcher(tools.registry, runner, logger, clock,
                        DispatcherOptions{.exposure = tools.select({"core"}, /*read_only=*/true)});

  const auto reply = call(dispatcher, "get_lists", {{"page_size", 2}});
  REQUIRE(reply);
  std::ostringstream out, err;
  CHECK(print_call_reply(reply, out, err) == kCallSucceeded);
  REQUIRE(runner.calls.size() == 1);
  CHECK(runner.calls[0].first == "get_lists");
  CHECK(runner.calls[0].second == json::object{{"page_size", 2}});

  // A write tool under read-only never reaches the runner: invalid params, exit 2.
  const auto hidden = call(dispatcher, "add_profile_to_list", {});
  CHECK(print_call_reply(hidden, out, err) == kCallMisused);
  CHECK(contains(err.str(), "read-only"));
  CHECK(runner.calls.size() == 1);
}

}  // namespace
}  // namespace kmcp
