// The helper subcommands on the command line: which one was asked for, its options, and the
// server flags around it.
#include <doctest/doctest.h>

#include "server/app/config.hpp"
#include "tests/unit/app/parse_args.hpp"

namespace kmcp {
namespace {

ParseOutcome parse(std::vector<std::string> args) { return test::parse_args(std::move(args)); }

using Kind = CliCommand::Kind;
using Names = std::vector<std::string>;

TEST_CASE("no subcommand serves, as before") {
  const auto r = parse({"--read-only"});
  REQUIRE(r.config);
  CHECK(r.config->command.kind == Kind::serve);
  CHECK(r.config->tool_selection.read_only);
}

TEST_CASE("tools list: --toolset and --all replace --toolsets; server flags may follow the subcommand") {
  auto r = parse({"tools", "list"});
  REQUIRE(r.config);
  CHECK(r.config->command.kind == Kind::tools_list);
  CHECK(r.config->tool_selection.toolsets == Names{"core"});

  r = parse({"tools", "list", "--all", "--read-only", "--json"});
  REQUIRE(r.config);
  CHECK(r.config->tool_selection.toolsets == Names{"all"});
  CHECK(r.config->tool_selection.read_only);
  CHECK(r.config->command.json);

  r = parse({"--toolsets", "core", "tools", "list", "--toolset", "lists,tags"});
  REQUIRE(r.config);
  CHECK(r.config->tool_selection.toolsets == Names{"lists", "tags"});
}

TEST_CASE("tools show and export take their name and format") {
  auto r = parse({"tools", "show", "get_lists"});
  REQUIRE(r.config);
  CHECK(r.config->command.kind == Kind::tools_show);
  CHECK(r.config->command.tool == "get_lists");

  r = parse({"tools", "export", "--format", "anthropic", "--toolsets", "all"});
  REQUIRE(r.config);
  CHECK(r.config->command.kind == Kind::tools_export);
  CHECK(r.config->command.format == "anthropic");
  CHECK(r.config->tool_selection.toolsets == Names{"all"});
}

TEST_CASE("call takes a name and --args, which defaults to no arguments") {
  auto r = parse({"call", "get_lists"});
  REQUIRE(r.config);
  CHECK(r.config->command.kind == Kind::call);
  CHECK(r.config->command.args == "{}");

  r = parse({"call", "get_lists", "--args", "-", "--call-timeout", "5"});
  REQUIRE(r.config);
  CHECK(r.config->command.args == "-");
  CHECK(r.config->call_timeout == std::chrono::seconds(5));
}

TEST_CASE("misused subcommands are usage errors (exit 2)") {
  CHECK(parse({"tools"}).exit_code == 2);                               // which one?
  CHECK(parse({"tools", "show"}).exit_code == 2);                       // no name
  CHECK(parse({"tools", "export"}).exit_code == 2);                     // no format
  CHECK(parse({"tools", "export", "--format", "yaml"}).exit_code == 2);
  CHECK(parse({"call"}).exit_code == 2);
  CHECK(parse({"call", "get_lists", "--http", "8080"}).exit_code == 2);  // serves nothing
  CHECK(parse({"--stdio", "tools", "list"}).exit_code == 2);
}

}  // namespace
}  // namespace kmcp
