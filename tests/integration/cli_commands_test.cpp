// The helper subcommands against the real binary: `tools list|show|export` agree with what the
// server lists under the same switches, and `call` runs one call through the server's pipeline
// to a fake Klaviyo, printing its result; the key never shows.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"
#include "tests/support/temp_dir.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

const std::string kKey = "pk_cli_secret_never_shown_0123";

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// A run with the key in the environment; neither stream may ever carry it.
BinaryRun run(std::vector<std::string> args, const std::string& base_url = "http://127.0.0.1:9",
              const std::string& input = "") {
  auto r = run_binary(std::move(args), server_env(base_url, kKey), input);
  CHECK_MESSAGE(!contains(r.out, kKey), r.out);
  CHECK_MESSAGE(!contains(r.err, kKey), r.err);
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The names the server itself lists over stdio under `switches`.
std::vector<std::string> served_names(const std::vector<std::string>& switches) {
  StdioServer server(server_env("http://127.0.0.1:9"), switches);
  server.initialize();
  return server.tool_names();
}

json::value parse_out(const BinaryRun& r) {
  try {
    return json::parse(r.out);
  } catch (const std::exception&) {
    FAIL("stdout is not JSON: " << r.out);
  }
  return nullptr;
}

}  // namespace

TEST_CASE("tools list: one line per exposed tool, as the server lists them, under the same switches") {
  for (const auto& switches : std::vector<std::vector<std::string>>{{}, {"--toolsets", "all", "--read-only"}}) {
    CAPTURE(switches.size());
    std::vector<std::string> args{"tools", "list"};
    args.insert(args.end(), switches.begin(), switches.end());
    const auto r = run(args);
    CHECK(r.status == 0);
    const auto lines = lines_of(r.out);
    const auto served = served_names(switches);
    REQUIRE(lines.size() == served.size());
    for (std::size_t i = 0; i < lines.size(); ++i) CHECK(lines[i].starts_with(served[i] + " "));
    if (!switches.empty())
      for (const auto& line : lines) CHECK_MESSAGE(line.ends_with("read-only"), line);
  }
}

TEST_CASE("tools list --all, --toolset and --json") {
  const auto all = run({"tools", "list", "--all"});
  CHECK(all.status == 0);
  CHECK(lines_of(all.out).size() == served_names({"--toolsets", "all"}).size());

  const auto lists = run({"tools", "list", "--toolset", "lists", "--json"});
  CHECK(lists.status == 0);
  const auto entries = parse_out(lists).as_array();
  CHECK(entries.size() == 13);
  for (const auto& e : entries) {
    CHECK(e.at("toolset") == "lists");
    CHECK(e.at("readOnly").is_bool());
  }
  const auto bad = run({"tools", "list", "--toolset", "listz"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "unknown toolset 'listz'"));
}

TEST_CASE("tools show: everything about a tool by name or alias; an unknown name exits 2 with close matches") {
  const auto r = run({"tools", "show", "get_lists"});
  CHECK(r.status == 0);
  for (const char* part : {"get_lists - ", "toolset:      lists (core)", "annotations:  read-only", "rate limits:  ",
                           "/s, ", "/min", "scopes:       lists:read", "exposed:      yes", "input schema:\n{\n",
                           "  \"properties\": {"})
    CHECK_MESSAGE(contains(r.out, part), part);

  const auto alias = run({"tools", "show", "add_profile_to_list"});
  CHECK(alias.status == 0);
  CHECK(alias.out.starts_with("add_profiles_to_list - "));

  const auto hidden = run({"tools", "show", "delete_list", "--read-only"});
  CHECK(hidden.status == 0);
  CHECK(contains(hidden.out, "exposed:      no: "));

  const auto unknown = run({"tools", "show", "get_profils"});
  CHECK(unknown.status == 2);
  CHECK(unknown.out.empty());
  CHECK(contains(unknown.err, "unknown tool 'get_profils' (did you mean get_profile or get_profiles?)"));
}

TEST_CASE("tools export: each format is a JSON array with one valid definition per exposed tool") {
  for (const auto& switches : std::vector<std::vector<std::string>>{{}, {"--toolsets", "lists,tags"}}) {
    const auto served = served_names(switches);
    for (const std::string format : {"openai", "anthropic", "mcp"}) {
      CAPTURE(format);
      std::vector<std::string> args{"tools", "export", "--format", format};
      args.insert(args.end(), switches.begin(), switches.end());
      const auto r = run(args);
      REQUIRE(r.status == 0);
      const auto tools = parse_out(r).as_array();
      REQUIRE(tools.size() == served.size());
      for (std::size_t i = 0; i < tools.size(); ++i) {
        const auto& t = tools[i].as_object();
        if (format == "openai") {
          CHECK(t.at("type") == "function");
          const auto& f = t.at("function").as_object();
          CHECK(std::string(f.at("name").as_string()) == served[i]);
          CHECK(f.at("description").as_string().size() > 0);
          CHECK(f.at("parameters").at("type") == "object");
        } else if (format == "anthropic") {
          CHECK(t.size() == 3);
          CHECK(std::string(t.at("name").as_string()) == served[i]);
          CHECK(t.at("description").as_string().size() > 0);
          CHECK(t.at("input_schema").at("type") == "object");
        } else {
          CHECK(std::string(t.at("name").as_string()) == served[i]);
          CHECK(t.at("inputSchema").at("type") == "object");
          CHECK(t.at("annotations").at("readOnlyHint").is_bool());
        }
      }
    }
  }
  CHECK(run({"tools", "export", "--format", "yaml"}).status == 2);
}

TEST_CASE("call: one call reaches Klaviyo with the key, and its result is printed; exit 0") {
  FakeUpstream upstream;
  upstream.enqueue(ScriptedResponse::json(
      200, R"({"data":[{"type":"list","id":"L1","attributes":{"name":"Newsletter"}}],"links":{"next":null}})"));
  const auto r = run({"call", "get_lists", "--args", R"({"page_size": 2})"}, upstream.base_url());
  CHECK_MESSAGE(r.status == 0, r.err);
  const auto requests = upstream.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/api/lists");
  CHECK(requests[0].query_value("page[size]") == "2");
  CHECK(contains(requests[0].header("authorization"), kKey));
  const auto result = parse_out(r).as_object();
  CHECK(result.at("isError") == false);
  CHECK(contains(json::serialize(result.at("structuredContent")), "Newsletter"));
  CHECK(contains(r.out, "\n  \"content\": ["));  // pretty-printed
}

TEST_CASE("call: a Klaviyo error is an isError result on stdout; exit 1") {
  FakeUpstream upstream;
  upstream.enqueue(ScriptedResponse::json(
      404, R"({"errors":[{"status":404,"code":"not_found","title":"Not found","detail":"No list L9."}]})"));
  const auto r = run({"call", "get_list", "--args", R"({"list_id":"L9"})"}, upstream.base_url());
  CHECK_MESSAGE(r.status == 1, r.err);
  CHECK(upstream.requests().size() == 1);
  const auto result = parse_out(r).as_object();
  CHECK(result.at("isError") == true);
  CHECK(contains(r.out, "No list L9."));
}

TEST_CASE("call: --args from stdin (-) and from a file (@FILE), aliases, and the switches") {
  FakeUpstream upstream;
  const auto piped = run({"call", "get_lists", "--args", "-"}, upstream.base_url(), R"({"page_size": 3})");
  CHECK_MESSAGE(piped.status == 0, piped.err);
  REQUIRE(upstream.requests().size() == 1);
  CHECK(upstream.requests()[0].query_value("page[size]") == "3");

  TempDir dir;
  const auto file = dir.path() / "args.json";
  std::ofstream(file) << R"({"page_size": 4})";
  const auto from_file = run({"call", "get_lists", "--args", "@" + file.string()}, upstream.base_url());
  CHECK_MESSAGE(from_file.status == 0, from_file.err);
  REQUIRE(upstream.requests().size() == 2);
  CHECK(upstream.requests()[1].query_value("page[size]") == "4");

  // A tool outside the selection is refused as the server would, naming the switch.
  const auto hidden = run({"call", "get_tag", "--args", R"({"tag_id":"T1"})"}, upstream.base_url());
  CHECK(hidden.status == 2);
  CHECK(contains(hidden.err, "--toolsets"));
  const auto exposed = run({"--toolsets", "all", "call", "get_tag", "--args", R"({"tag_id":"T1"})"},
                           upstream.base_url());
  CHECK_MESSAGE(exposed.status == 0, exposed.err);
  CHECK(upstream.requests().size() == 3);
}

TEST_CASE("call: bad usage exits 2 and sends nothing") {
  FakeUpstream upstream;
  const auto bad_json = run({"call", "get_lists", "--args", "{page_size: 2}"}, upstream.base_url());
  CHECK(bad_json.status == 2);
  CHECK(contains(bad_json.err, "--args: not valid JSON"));
  CHECK(bad_json.out.empty());

  const auto not_object = run({"call", "get_lists", "--args", "[]"}, upstream.base_url());
  CHECK(not_object.status == 2);

  const auto unknown = run({"call", "get_listz"}, upstream.base_url());
  CHECK(unknown.status == 2);
  CHECK(contains(unknown.err, "unknown tool 'get_listz' (did you mean get_list or get_lists?)"));

  const auto missing_file = run({"call", "get_lists", "--args", "@/nonexistent/args.json"}, upstream.base_url());
  CHECK(missing_file.status == 2);
  CHECK(upstream.requests().empty());
}

TEST_CASE("call: invalid arguments are an isError result naming the argument; nothing is sent; exit 1") {
  FakeUpstream upstream;
  const auto r = run({"call", "get_lists", "--args", R"({"page_size": "many"})"}, upstream.base_url());
  CHECK(r.status == 1);
  CHECK(parse_out(r).at("isError") == true);
  CHECK(contains(r.out, "page_size"));
  CHECK(upstream.requests().empty());
}
