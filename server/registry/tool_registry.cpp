#include "server/registry/tool_registry.hpp"

#include <algorithm>
#include <stdexcept>
#include <system_error>
#include <thread>
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

// Past two, the gain at start is small against the threads' own cost.
constexpr std::size_t kMaxLoadThreads = 2;

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

// Each file on its own, in parallel: loading is most of the cold start and the files do not
// depend on one another until linking. A fault is kept with its file, so the one reported is
// the first in file order however the work was split.
struct Loaded {
  std::shared_ptr<ToolSpec> spec;
  std::string fault;
};

std::vector<Loaded> load_all(std::span<const EmbeddedSpec> files, const HookTable& hooks,
                             ToolRegistry::SchemaCompilation schemas) {
  std::vector<Loaded> loaded(files.size());
  const auto load_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      try {
        loaded[i].spec = load_one(files[i], hooks, schemas);
      } catch (const std::exception& e) {
        loaded[i].fault = std::string(files[i].path) + ": " + e.what();
      }
    }
  };
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxLoadThreads);
  const std::size_t per_thread = (files.size() + threads - 1) / threads;
  std::vector<std::jthread> helpers;
  for (std::size_t t = 1; t < threads && t * per_thread < files.size(); ++t) {
    const std::size_t begin = t * per_thread, end = std::min(files.size(), (t + 1) * per_thread);
    try {
      helpers.emplace_back(load_range, begin, end);
    } catch (const std::system_error&) {
      load_range(begin, end);  // no thread to be had (a tight pid limit): the same work, here
    }
  }
  load_range(0, std::min(files.size(), per_thread));
  helpers.clear();  // joins
  return loaded;
}

}  // namespace

ToolRegistry ToolRegistry::load(std::span<const EmbeddedSpec> files, const HookTable& hooks,
                                SchemaCompilation schemas) {
  ToolRegistry registry;
  std::unordered_map<std::string, std::string> owner;  // name or alias -> "tool 'x' (file)"
  std::vector<std::pair<std::string, std::shared_ptr<ToolSpec>>> loaded;  // path, spec
  std::vector<Loaded> parsed = load_all(files, hooks, schemas);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string path(files[i].path);
    if (!parsed[i].fault.empty()) throw std::runtime_error(parsed[i].fault);
    std::shared_ptr<ToolSpec> spec = std::move(parsed[i].spec);
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
