// Tool definitions for OpenAI, Anthropic and MCP: their shapes, and one per exposed tool.
#include <doctest/doctest.h>

#include "server/app/export_formats.hpp"
#include "tests/unit/app/app_fixture.hpp"

namespace kmcp {
namespace {

TEST_CASE("parse_export_format knows openai, anthropic and mcp only") {
  CHECK(parse_export_format("openai") == ExportFormat::openai);
  CHECK(parse_export_format("anthropic") == ExportFormat::anthropic);
  CHECK(parse_export_format("mcp") == ExportFormat::mcp);
  CHECK_FALSE(parse_export_format("OpenAI"));
  CHECK_FALSE(parse_export_format(""));
}

TEST_CASE("openai: function definitions with the input schema as parameters") {
  const auto spec = test::sample_spec("get_lists", "Get Lists", "lists", true, false);
  const auto out = export_tools({&spec}, ExportFormat::openai);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == json::value{{"type", "function"},
                              {"function",
                               {{"name", "get_lists"},
                                {"description", spec.description},
                                {"parameters", spec.input_schema}}}});
}

TEST_CASE("anthropic: name, description and input_schema") {
  const auto spec = test::sample_spec("get_lists", "Get Lists", "lists", true, false);
  const auto out = export_tools({&spec}, ExportFormat::anthropic);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == json::value{{"name", "get_lists"}, {"description", spec.description}, {"input_schema", spec.input_schema}});
}

TEST_CASE("mcp: the tools/list entries themselves") {
  const auto spec = test::sample_spec("get_lists", "Get Lists", "lists", true, false);
  const auto out = export_tools({&spec}, ExportFormat::mcp);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == spec.listing);
}

TEST_CASE("every real tool exports in every format, in order, with names frameworks accept") {
  const auto& tools = test::real_tools();
  const auto& all = tools.everything->listed();
  for (const auto format : {ExportFormat::openai, ExportFormat::anthropic, ExportFormat::mcp}) {
    const auto out = export_tools(all, format);
    REQUIRE(out.size() == all.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto& entry = out[i].as_object();
      const auto& named = format == ExportFormat::openai ? entry.at("function").as_object() : entry;
      const std::string name(named.at("name").as_string());
      CHECK(name == all[i]->name);
      // OpenAI and Anthropic both require ^[a-zA-Z0-9_-]{1,64}$.
      CHECK(name.size() <= 64);
      CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
            std::string::npos);
      const char* schema_key = format == ExportFormat::openai      ? "parameters"
                               : format == ExportFormat::anthropic ? "input_schema"
                                                                   : "inputSchema";
      CHECK(named.at(schema_key).at("type") == "object");
    }
  }
}

}  // namespace
}  // namespace kmcp
