// Choosing the exposed tools: toolsets, tools by name or alias, exclusions, read-only,
// customer content, a session's narrowing that never widens, and refusals of unknown names.
#include <doctest/doctest.h>

#include <algorithm>

#include "server/registry/name_suggestions.hpp"
#include "server/registry/spec_parser.hpp"
#include "server/registry/tool_selection.hpp"
#include "tests/unit/registry/spec_fixture.hpp"

namespace kmcp {
namespace {

using test::SpecFiles;

// A read-only copy of get_profiles under another name and toolset.
json::object reader(std::string name, std::string toolset) {
  auto spec = test::get_profiles_spec();
  spec["name"] = std::move(name);
  spec["toolset"] = std::move(toolset);
  return spec;
}

// lists: get_lists (core), remove_profiles_from_list (write), update_list (write, core, alias
// rename_list); profiles: bulk_import_profiles (write), get_profiles (core, customer content);
// reviews: get_reviews (customer content).
struct Tools {
  HookTable hooks = test::fake_hooks();
  SpecFiles files;
  ToolRegistry registry;
  std::shared_ptr<const ToolExposure> everything;

  Tools() : registry(load()), everything(ToolExposure::everything(registry)) {}
  ToolRegistry load() {
    auto update_list = test::update_list_spec();
    update_list["core"] = true;
    auto get_profiles = test::get_profiles_spec();
    get_profiles["core"] = true;
    get_profiles["customer_content"] = true;
    auto get_lists = reader("get_lists", "lists");
    get_lists["core"] = true;
    auto get_reviews = reader("get_reviews", "reviews");
    get_reviews["customer_content"] = true;
    files.add(update_list).add(get_profiles).add(get_lists).add(get_reviews).add(test::remove_profiles_spec())
        .add(test::bulk_import_spec());
    return ToolRegistry::load(files.files(), hooks);
  }

  const ToolSpec& tool(std::string_view name) const { return *registry.find(name); }

  std::shared_ptr<const ToolExposure> select(const ToolSelection& selection) const {
    return select_from(*everything, selection, false);
  }
  static std::shared_ptr<const ToolExposure> select_from(const ToolExposure& base, const ToolSelection& selection,
                                                         bool by_session) {
    auto result = select_tools(base, selection, by_session, SelectionLabels{});
    REQUIRE_MESSAGE(result.has_value(), (result.has_error() ? result.error() : ""));
    return *result;
  }
  std::string refusal(const ToolSelection& selection, const SelectionLabels& labels = {}) const {
    auto result = select_tools(*everything, selection, false, labels);
    REQUIRE(result.has_error());
    return result.error();
  }
};

std::vector<std::string> listed(const ToolExposure& exposure) {
  std::vector<std::string> names;
  for (const auto* spec : exposure.listed()) names.push_back(spec->name);
  return names;
}

using Names = std::vector<std::string>;

TEST_CASE("the toolsets are core, all and every toolset of the registry") {
  Tools t;
  CHECK(toolset_names(t.registry) == Names{"core", "all", "lists", "profiles", "reviews"});
}

TEST_CASE("core is the curated tools; all is every tool; toolsets add up") {
  Tools t;
  CHECK(listed(*t.select({.toolsets = {"core"}})) == Names{"get_lists", "update_list", "get_profiles"});
  CHECK(listed(*t.select({.toolsets = {"all"}})).size() == 6);
  CHECK(listed(*t.select({.toolsets = {"reviews", "lists"}})) ==
        Names{"get_lists", "remove_profiles_from_list", "update_list", "get_reviews"});
  const auto core = t.select({.toolsets = {"core"}});
  REQUIRE(core->hidden(t.tool("get_reviews")));
  CHECK(core->hidden(t.tool("get_reviews"))->reason == HiddenReason::not_selected);
  CHECK_FALSE(core->hidden(t.tool("get_reviews"))->by_session);
  CHECK(core->exposes(t.tool("get_profiles")));
}

TEST_CASE("an exposure's tools/list pages are its listings, serialized once and kept") {
  Tools t;
  const auto core = t.select({.toolsets = {"core"}});
  const auto first = core->listing_page(0, 2);
  CHECK(core->listing_page(0, 2) == first);  // the same text, not built again
  const json::value page = json::parse(*first);
  REQUIRE(page.at("tools").as_array().size() == 2);
  CHECK(page.at("tools").at(0) == core->listed()[0]->listing);
  CHECK(page.at("tools").at(1) == core->listed()[1]->listing);
  CHECK(page.at("nextCursor") == json::value("2"));
  const json::value last = json::parse(*core->listing_page(2, 2));
  REQUIRE(last.at("tools").as_array().size() == 1);
  CHECK(last.at("tools").at(0) == core->listed()[2]->listing);
  CHECK_FALSE(last.as_object().contains("nextCursor"));
}

TEST_CASE("tools are added by name or alias; exclusions take them away") {
  Tools t;
  CHECK(listed(*t.select({.toolsets = {"reviews"}, .tools = {"rename_list", "get_profiles"}})) ==
        Names{"update_list", "get_profiles", "get_reviews"});
  const auto all_but = t.select({.toolsets = {"all"}, .exclude_tools = {"get_profiles", "rename_list"}});
  CHECK(listed(*all_but).size() == 4);
  CHECK(all_but->hidden(t.tool("update_list"))->reason == HiddenReason::excluded);
  // Naming only tools picks only them.
  CHECK(listed(*t.select({.tools = {"get_reviews"}})) == Names{"get_reviews"});
}

TEST_CASE("read-only hides every write tool, even one asked for by name") {
  Tools t;
  const auto ro = t.select({.toolsets = {"core"}, .tools = {"remove_profiles_from_list"}, .read_only = true});
  CHECK(listed(*ro) == Names{"get_lists", "get_profiles"});
  CHECK(ro->hidden(t.tool("remove_profiles_from_list"))->reason == HiddenReason::read_only);
  CHECK(ro->hidden(t.tool("update_list"))->reason == HiddenReason::read_only);
}

TEST_CASE("hiding customer content hides the tools marked customer_content") {
  Tools t;
  const auto hidden = t.select({.toolsets = {"all"}, .tools = {"get_reviews"}, .hide_customer_content = true});
  CHECK(listed(*hidden) == Names{"get_lists", "remove_profiles_from_list", "update_list", "bulk_import_profiles"});
  CHECK(hidden->hidden(t.tool("get_profiles"))->reason == HiddenReason::customer_content);
  CHECK(hidden->hidden(t.tool("get_reviews"))->reason == HiddenReason::customer_content);
}

TEST_CASE("a session narrows the operator's choice and never widens it") {
  Tools t;
  const auto core = t.select({.toolsets = {"core"}});
  // Naming nothing keeps the operator's choice; asking for more adds nothing.
  CHECK(listed(*Tools::select_from(*core, {}, true)) == listed(*core));
  CHECK(listed(*Tools::select_from(*core, {.toolsets = {"all"}}, true)) == listed(*core));
  const auto reviews = Tools::select_from(*core, {.tools = {"get_reviews"}}, true);
  CHECK(reviews->listed().empty());
  CHECK_FALSE(reviews->hidden(t.tool("get_reviews"))->by_session);  // the operator's reason stays

  const auto lists = Tools::select_from(*core, {.toolsets = {"lists"}, .tools = {"get_profiles"}}, true);
  CHECK(listed(*lists) == Names{"get_lists", "update_list", "get_profiles"});
  const auto only_lists = Tools::select_from(*core, {.toolsets = {"lists"}}, true);
  CHECK(only_lists->hidden(t.tool("get_profiles"))->reason == HiddenReason::not_selected);
  CHECK(only_lists->hidden(t.tool("get_profiles"))->by_session);

  const auto ro = Tools::select_from(*core, {.read_only = true}, true);
  CHECK(listed(*ro) == Names{"get_lists", "get_profiles"});
  CHECK(ro->hidden(t.tool("update_list"))->by_session);
  // A further narrowing of a read-only operator keeps the operator's reason.
  const auto operator_ro = t.select({.toolsets = {"all"}, .read_only = true});
  const auto narrowed = Tools::select_from(*operator_ro, {.tools = {"update_list", "get_lists"}}, true);
  CHECK(listed(*narrowed) == Names{"get_lists"});
  CHECK_FALSE(narrowed->hidden(t.tool("update_list"))->by_session);
  CHECK(narrowed->hidden(t.tool("update_list"))->reason == HiddenReason::read_only);
}

TEST_CASE("unknown names are refused, naming the valid toolsets or close matches") {
  Tools t;
  const auto toolset = t.refusal({.toolsets = {"core", "profile"}});
  CHECK(toolset == "toolsets: unknown toolset 'profile' (the toolsets are core, all, lists, profiles, reviews)");
  CHECK(t.refusal({.toolsets = {"get_lists"}}) ==
        "toolsets: unknown toolset 'get_lists' ('get_lists' is a tool: name it in tools)");
  CHECK(t.refusal({.tools = {"get_profils"}}) == "tools: unknown tool 'get_profils' (did you mean get_profiles?)");
  CHECK(t.refusal({.tools = {"get_list"}}) == "tools: unknown tool 'get_list' (did you mean get_lists?)");
  CHECK(t.refusal({.tools = {"reviews"}}) == "tools: unknown tool 'reviews' ('reviews' is a toolset: name it in toolsets)");
  CHECK(t.refusal({.tools = {"zzz"}}) == "tools: unknown tool 'zzz'");

  const SelectionLabels labels{.toolsets = "--toolsets", .tools = "--tools", .exclude_tools = "--exclude-tools"};
  const auto both = t.refusal({.toolsets = {"nope"}, .exclude_tools = {"GET_LIST"}}, labels);
  CHECK(both.starts_with("--toolsets: unknown toolset 'nope' (the toolsets are "));
  CHECK(both.ends_with("); --exclude-tools: unknown tool 'GET_LIST' (did you mean get_lists?)"));
}

TEST_CASE("name lists are comma-separated, trimmed, without empty items") {
  CHECK(split_names("a, b ,c") == Names{"a", "b", "c"});
  CHECK(split_names(" ,a,,\tb, ") == Names{"a", "b"});
  CHECK(split_names("").empty());
  CHECK(split_names(" , ").empty());
}

TEST_CASE("the message for a hidden tool says which switch would expose it") {
  Tools t;
  const auto& update = t.tool("update_list");
  const auto not_selected = hidden_tool_message(update, {HiddenReason::not_selected, false});
  CHECK(not_selected.find("exists but is not enabled") != std::string::npos);
  CHECK(not_selected.find("--toolsets lists") != std::string::npos);
  CHECK(not_selected.find("--tools update_list") != std::string::npos);
  const auto read_only = hidden_tool_message(update, {HiddenReason::read_only, false});
  CHECK(read_only.find("read-only (--read-only") != std::string::npos);
  CHECK(read_only.find("--tools") == std::string::npos);  // nothing overrides read-only
  CHECK(hidden_tool_message(update, {HiddenReason::excluded, false}).find("--exclude-tools") != std::string::npos);
  CHECK(hidden_tool_message(update, {HiddenReason::customer_content, false}).find("--hide-customer-content") !=
        std::string::npos);
  const auto session = hidden_tool_message(update, {HiddenReason::not_selected, true});
  CHECK(session.find("X-MCP-Toolsets") != std::string::npos);
  CHECK(session.find("--toolsets") == std::string::npos);
  CHECK(hidden_tool_message(update, {HiddenReason::read_only, true}).find("X-MCP-Readonly") != std::string::npos);
  CHECK(hidden_tool_message(update, {HiddenReason::excluded, true}).find("X-MCP-Exclude-Tools") != std::string::npos);
}

TEST_CASE("close matches: likely typos only, closest first, ignoring case") {
  const Names names{"get_lists", "get_list", "get_profiles", "create_list"};
  CHECK(close_matches("get_lsts", names) == Names{"get_lists", "get_list"});
  CHECK(close_matches("GET_PROFILES", names) == Names{"get_profiles"});
  CHECK(close_matches("delete_everything", names).empty());
  CHECK(close_matches("get_list", names, 1) == Names{"get_list"});
}

// The shipped specs: the core set every client lists by default.
TEST_CASE("the shipped core set has at most 40 tools and covers a marketer's common jobs") {
  std::vector<std::string> core;
  for (const auto& file : embedded_specs()) {
    const ToolSpec spec = parse_tool_spec(json::parse(file.text).as_object());
    if (spec.core) core.push_back(spec.name);
  }
  CHECK(core.size() <= 40);
  for (const char* job :
       {"get_profiles", "get_profile", "create_profile", "update_profile", "get_lists", "add_profiles_to_list",
        "remove_profiles_from_list", "bulk_subscribe_profiles", "bulk_unsubscribe_profiles", "get_segments",
        "get_profiles_for_segment", "create_event", "get_metrics", "query_metric_aggregates", "query_campaign_values",
        "query_flow_values", "get_campaigns", "create_campaign", "send_campaign", "get_campaign_recipient_estimation",
        "get_templates", "create_template", "render_template", "get_flows", "update_flow"}) {
    CAPTURE(job);
    CHECK(std::find(core.begin(), core.end(), job) != core.end());
  }
}

}  // namespace
}  // namespace kmcp
