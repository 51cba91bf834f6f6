// `tools list` and `tools show` as text and JSON, and the refusal of an unknown tool.
#include <doctest/doctest.h>

#include <sstream>

#include "server/app/tools_command.hpp"
#include "tests/unit/app/app_fixture.hpp"

namespace kmcp {
namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_CASE("tool_lines: one aligned line per tool with its title, toolset and access") {
  const auto a = test::sample_spec("get_lists", "Get Lists", "lists", true, false);
  const auto b = test::sample_spec("update_list", "Update List", "lists", false, false);
  const auto c = test::sample_spec("delete_campaign", "Delete Campaign", "campaigns", false, true);
  const auto lines = lines_of(tool_lines({&a, &b, &c}));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "get_lists        Get Lists        lists      read-only");
  CHECK(lines[1] == "update_list      Update List      lists      write");
  CHECK(lines[2] == "delete_campaign  Delete Campaign  campaigns  destructive");
  CHECK(tool_lines({}).empty());
}

TEST_CASE("tool_summaries: name, title, toolset, access marks and aliases as JSON") {
  auto spec = test::sample_spec("update_list", "Update List", "lists", false, false);
  spec.aliases = {"rename_list"};
  const auto summaries = tool_summaries({&spec});
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0] == json::value{{"name", "update_list"},
                                    {"title", "Update List"},
                                    {"toolset", "lists"},
                                    {"readOnly", false},
                                    {"destructive", false},
                                    {"aliases", json::array{"rename_list"}}});
}

TEST_CASE("tool_details: description, annotations, rate limits, scopes, exposure and the schema") {
  auto spec = test::sample_spec("get_lists", "Get Lists", "lists", true, false);
  spec.core = true;
  spec.aliases = {"KLAVIYO_GET_LISTS"};
  spec.rate.limits.per_day = 1000;
  const std::string text = tool_details(spec, std::nullopt);
  CHECK(text.starts_with("get_lists - Get Lists\n"));
  CHECK(contains(text, "toolset:      lists (core)\n"));
  CHECK(contains(text, "aliases:      KLAVIYO_GET_LISTS\n"));
  CHECK(contains(text, "annotations:  read-only, idempotent, open-world\n"));
  CHECK(contains(text, "rate limits:  10/s, 150/min, 1000/day\n"));
  CHECK(contains(text, "scopes:       lists:read\n"));
  CHECK(contains(text, "auth:         private key (KLAVIYO_API_KEY)\n"));
  CHECK(contains(text, "exposed:      yes\n"));
  CHECK(contains(text, "Does the thing to get_lists.\n"));
  // Pretty-printed: one member per line, two-space indent.
  CHECK(contains(text, "input schema:\n{\n  \"type\": \"object\",\n  \"properties\": {\n    \"list_id\": {\n"));

  const std::string hidden = tool_details(spec, Hidden{.reason = HiddenReason::not_selected});
  CHECK(contains(hidden, "exposed:      no: "));
  CHECK(contains(hidden, "--toolsets"));
}

TEST_CASE("tool_details of a real tool names its conditional rate bucket and job polling") {
  const auto& tools = test::real_tools();
  const ToolSpec* import = tools.registry.find("bulk_import_profiles");
  REQUIRE(import);
  CHECK(contains(tool_details(*import, std::nullopt), "job:          takes wait: true; polls "));
  for (const auto& spec : tools.registry.tools()) {
    if (spec->conditional_rates.empty()) continue;
    CHECK(contains(tool_details(*spec, std::nullopt), "plus "));
    break;
  }
}

TEST_CASE("unknown_tool_message suggests close names, or points a toolset at tools list") {
  const auto& registry = test::real_tools().registry;
  CHECK(unknown_tool_message(registry, "get_profils") == "unknown tool 'get_profils' (did you mean get_profile or get_profiles?)");
  CHECK(unknown_tool_message(registry, "lists") ==
        "unknown tool 'lists' ('lists' is a toolset: see `klaviyo-mcp tools list --toolset lists`)");
  CHECK(unknown_tool_message(registry, "zzzzzzzzzzzz") == "unknown tool 'zzzzzzzzzzzz'");
}

TEST_CASE("run_tools_command: list and export follow the exposure; show finds aliases; unknown exits 2") {
  const auto& tools = test::real_tools();
  const auto core = tools.select({"core"});
  std::ostringstream out, err;

  CliCommand list{.kind = CliCommand::Kind::tools_list};
  CHECK(run_tools_command(list, *core, out, err) == 0);
  CHECK(lines_of(out.str()).size() == core->listed().size());

  list.json = true;
  out.str("");
  CHECK(run_tools_command(list, *core, out, err) == 0);
  CHECK(json::parse(out.str()).as_array().size() == core->listed().size());

  CliCommand show{.kind = CliCommand::Kind::tools_show, .tool = "add_profile_to_list"};  // an alias
  out.str("");
  CHECK(run_tools_command(show, *core, out, err) == 0);
  CHECK(out.str().starts_with("add_profiles_to_list - "));

  show.tool = "get_profils";
  out.str("");
  CHECK(run_tools_command(show, *core, out, err) == 2);
  CHECK(out.str().empty());
  CHECK(contains(err.str(), "did you mean get_profile or get_profiles?"));

  CliCommand bad_format{.kind = CliCommand::Kind::tools_export, .format = "yaml"};
  CHECK(run_tools_command(bad_format, *core, out, err) == 2);
}

}  // namespace
}  // namespace kmcp
