#include "server/registry/tool_registry.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "server/registry/job_links.hpp"
#include "server/registry/lazy_schema_validator.hpp"
#include "server/registry/output_schemas.hpp"
#include "server/registry/paging_arguments.hpp"
#include "server/registry/spec_checks.hpp"
#include "server/registry/spec_parser.hpp"
#include "server/registry/tool_listing.hpp"
#include "tools/preconditions/hook_table.hpp"

namespace kmcp {
namespace {

// A spec lives at <toolset>/<name>.json, so a file can be found from the tool and back.
void check_location(std::string_view path, const ToolSpec& spec) {
  const auto slash = path.rfind('/');
  const auto dir = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
  const auto file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (file != spec.name + ".json")
    throw std::runtime_error("the file of tool '" + spec.name + "' must be named " + spec.name + ".json");
  if (!dir.empty() && dir != spec.toolset)
    throw std::runtime_error("toolset '" + spec.toolset + "' does not match the folder '" + std::string(dir) + "'");
}

std::shared_ptr<ToolSpec> load_one(const EmbeddedSpec& file, const HookTable& hooks,
                                   ToolRegistry::SchemaCompilation schemas) {
  boost::system::error_code ec;
  json::value doc = json::parse(file.text, ec);
  if (ec) throw std::runtime_error("not valid JSON: " + ec.message());
  if (!doc.is_object()) throw std::runtime_error("a spec must be a JSON object");
  ToolSpec spec = parse_tool_spec(doc.get_object());
  check_location(file.path, spec);
  check_tool_spec(spec, hooks);
  add_paging_arguments(spec);
  if (schemas == ToolRegistry::SchemaCompilation::at_load) {
    try {
      spec.validator->compiled();
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("'inputSchema' is not a usable schema: ") + e.what());
    }
  }
  spec.output_schema = output_schema_for(result_kind(spec));
  spec.listing = tool_listing(spec);
  return std::make_shared<ToolSpec>(std::move(spec));
}

}  // namespace

ToolRegistry ToolRegistry::load(std::span<const EmbeddedSpec> files, const HookTable& hooks,
                                SchemaCompilation schemas) {
  ToolRegistry registry;
  std::unordered_map<std::string, std::string> owner;  // name or alias -> "tool 'x' (file)"
  std::vector<std::pair<std::string, std::shared_ptr<ToolSpec>>> loaded;  // path, spec
  for (const auto& file : files) {
    const std::string path(file.path);
    std::shared_ptr<ToolSpec> spec;
    try {
      spec = load_one(file, hooks, schemas);
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ": " + e.what());
    }
    auto claim = [&](const std::string& key, std::string_view what) {
      auto [it, fresh] = owner.emplace(key, "tool '" + spec->name + "' (" + path + ")");
      if (!fresh)
        throw std::runtime_error(path + ": " + std::string(what) + " '" + key + "' is already taken by " + it->second);
      registry.by_name_.emplace(key, spec.get());
    };
    claim(spec->name, "name");
    for (const auto& alias : spec->aliases) claim(alias, "alias");
    loaded.emplace_back(path, std::move(spec));
  }
  // Job tools name other tools, so they are linked once all are known.
  std::unordered_map<std::string_view, std::shared_ptr<const ToolSpec>> by_name;
  for (const auto& [path, spec] : loaded) by_name.emplace(spec->name, spec);
  const ToolLookup find = [&](std::string_view name) {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : it->second;
  };
  for (auto& [path, spec] : loaded) {
    try {
      link_job(*spec, find);
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ": " + e.what());
    }
    registry.tools_.push_back(std::move(spec));
  }
  std::sort(registry.tools_.begin(), registry.tools_.end(), [](const auto& a, const auto& b) {
    return std::tie(a->toolset, a->name) < std::tie(b->toolset, b->name);
  });
  return registry;
}

const ToolSpec* ToolRegistry::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace kmcp
