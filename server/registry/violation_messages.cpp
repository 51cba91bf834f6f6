#include "server/registry/violation_messages.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <regex>
#include <set>
#include <string_view>

#include "server/registry/name_suggestions.hpp"
#include "server/registry/schema_walk.hpp"

namespace kmcp {
namespace {

enum class Kind {
  type, enum_values, const_value, pattern, required, unknown, min_length, max_length, min_items, max_items,
  minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of, unique, not_schema, many_branches,
  min_properties, max_properties,
  summary,  // "failed to validate item #3", "... child schema #1": restates errors reported below it
  other,
};

struct Finding {
  std::vector<std::string> path;
  Kind kind = Kind::other;
  std::string raw;
  std::string name;  // the property of a required/unknown finding
};

// The text between the first quote after `prefix` and the last quote.
std::string quoted_name(std::string_view text, std::string_view prefix) {
  auto rest = text.substr(prefix.size());
  auto last = rest.rfind('\'');
  return last == std::string_view::npos ? std::string(rest) : std::string(rest.substr(0, last));
}

// valijson 1.0 reports through fixed sentences; match them by their start.
Finding classify(const RawViolation& raw) {
  Finding f{raw.path, Kind::other, raw.description, {}};
  std::string_view d = raw.description;
  auto starts = [&](std::string_view prefix) { return d.substr(0, prefix.size()) == prefix; };
  constexpr std::string_view kRequired = "Missing required property '";
  constexpr std::string_view kUnknown =
      "Object contains a property that could not be validated using 'properties' or 'additionalProperties' "
      "constraints: '";
  if (starts("Value type not permitted")) f.kind = Kind::type;
  else if (starts("Failed to match against any enum")) f.kind = Kind::enum_values;
  else if (starts("Failed to match expected value set by 'const'")) f.kind = Kind::const_value;
  else if (starts("Failed to match regex")) f.kind = Kind::pattern;
  else if (starts(kRequired)) { f.kind = Kind::required; f.name = quoted_name(d, kRequired); }
  else if (starts(kUnknown)) { f.kind = Kind::unknown; f.name = quoted_name(d, kUnknown); }
  else if (starts("String should be no fewer than")) f.kind = Kind::min_length;
  else if (starts("String should be no more than")) f.kind = Kind::max_length;
  else if (starts("Array should contain no fewer than")) f.kind = Kind::min_items;
  else if (starts("Array should contain no more than")) f.kind = Kind::max_items;
  else if (starts("Expected number greater than or equal to")) f.kind = Kind::minimum;
  else if (starts("Expected number greater than")) f.kind = Kind::exclusive_minimum;
  else if (starts("Expected number less than or equal to")) f.kind = Kind::maximum;
  else if (starts("Expected number less than")) f.kind = Kind::exclusive_maximum;
  else if (starts("Value should be a multiple of")) f.kind = Kind::multiple_of;
  else if (starts("Elements at indexes")) f.kind = Kind::unique;
  else if (starts("Target should not validate")) f.kind = Kind::not_schema;
  else if (starts("Failed to validate against exactly one child schema")) f.kind = Kind::many_branches;
  else if (starts("Object should have no fewer than")) f.kind = Kind::min_properties;
  else if (starts("Object should have no more than")) f.kind = Kind::max_properties;
  else if (starts("Failed to validate")) f.kind = Kind::summary;
  return f;
}

bool at_or_below(const std::vector<std::string>& path, const std::vector<std::string>& base) {
  return path.size() >= base.size() && std::equal(base.begin(), base.end(), path.begin());
}

std::string type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    default: return "number";
  }
}

// Numbers as a person writes them: 1000, not 1000.000000 or 1E3.
std::string display_number(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return ec == std::errc{} ? std::string(buf, end) : json::serialize(v);
  }
  return json::serialize(v);
}

std::string display(const json::value& v) {
  if (v.is_string()) return v.get_string().empty() ? "\"\"" : std::string(v.get_string());
  if (v.is_number()) return display_number(v);
  return json::serialize(v);
}

std::string join(const std::vector<std::string>& items, std::string_view sep, std::size_t limit = 30) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i) out += sep;
    out += items[i];
  }
  if (items.size() > limit) out += std::string(sep) + "... (" + std::to_string(items.size() - limit) + " more)";
  return out;
}

// "a", "a or b", "a, b or c".
std::string join_or(const std::vector<std::string>& items) {
  if (items.size() <= 1) return items.empty() ? "" : items.front();
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return join(head, ", ") + " or " + items.back();
}

void add_unique(std::vector<std::string>& to, std::string item) {
  if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(std::move(item));
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::optional<double> number(const json::object& node, std::string_view key) {
  const auto* v = node.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

// Phrases findings of one kind at one location, with the facts taken from the schema nodes
// that apply there.
class Phraser {
 public:
  Phraser(const json::value& schema, const json::value& instance) : schema_(schema), instance_(instance) {}

  std::string type(const std::vector<std::string>& path) const {
    std::vector<std::string> expected;
    for (const auto* node : nodes(path)) {
      const auto* t = node->if_contains("type");
      if (!t) continue;
      if (t->is_string()) add_unique(expected, std::string(t->get_string()));
      if (t->is_array())
        for (const auto& item : t->as_array())
          if (item.is_string()) add_unique(expected, std::string(item.get_string()));
    }
    const auto* value = value_at(instance_, path);
    std::string got = value ? type_name(*value) : "nothing";
    if (expected.empty()) return "has the wrong type (got " + got + ")";
    return "expected " + join_or(expected) + ", got " + got;
  }

  std::string message(const Finding& f) const {
    const auto* value = value_at(instance_, f.path);
    const auto candidates = nodes(f.path);
    auto limit = [&](std::string_view key) -> std::optional<double> {
      for (const auto* node : candidates)
        if (auto n = number(*node, key)) return n;
      return std::nullopt;
    };
    auto limit_text = [&](std::string_view key) -> std::string {
      for (const auto* node : candidates)
        if (const auto* v = node->if_contains(key); v && v->is_number()) return display_number(*v);
      return "?";
    };
    const std::size_t items = value && value->is_array() ? value->as_array().size() : 0;
    const std::size_t chars = value && value->is_string() ? code_points(value->get_string()) : 0;
    auto plural = [](std::size_t n, std::string_view word) {
      return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
    };
    switch (f.kind) {
      case Kind::enum_values: {
        std::vector<std::string> allowed;
        for (const auto* node : candidates)
          if (const auto* e = node->if_contains("enum"); e && e->is_array())
            for (const auto& item : e->as_array()) add_unique(allowed, display(item));
        if (allowed.empty()) break;
        return "must be one of: " + join(allowed, ", ");
      }
      case Kind::const_value:
        for (const auto* node : candidates)
          if (const auto* c = node->if_contains("const")) return "must be " + json::serialize(*c);
        break;
      case Kind::pattern: {
        std::string first;
        for (const auto* node : candidates) {
          const auto* p = node->if_contains("pattern");
          if (!p || !p->is_string()) continue;
          std::string pattern(p->get_string());
          if (first.empty()) first = pattern;
          if (value && value->is_string() && !std::regex_search(std::string(value->get_string()), std::regex(pattern)))
            return "must match the pattern " + pattern;
        }
        if (!first.empty()) return "must match the pattern " + first;
        break;
      }
      case Kind::min_length:
        if (auto n = limit("minLength")) return "must be at least " + plural(static_cast<std::size_t>(*n), "character") + " long";
        break;
      case Kind::max_length:
        if (auto n = limit("maxLength"))
          return "must be at most " + plural(static_cast<std::size_t>(*n), "character") + " long (got " + std::to_string(chars) + ")";
        break;
      case Kind::min_items:
        if (auto n = limit("minItems"))
          return "must have at least " + plural(static_cast<std::size_t>(*n), "item") + " (got " + std::to_string(items) + ")";
        break;
      case Kind::max_items:
        if (auto n = limit("maxItems"))
          return "must have at most " + plural(static_cast<std::size_t>(*n), "item") + " (got " + std::to_string(items) +
                 "); split it over several calls";
        break;
      case Kind::minimum: return "must be at least " + limit_text("minimum");
      case Kind::maximum: return "must be at most " + limit_text("maximum");
      case Kind::exclusive_minimum: return "must be greater than " + limit_text("exclusiveMinimum");
      case Kind::exclusive_maximum: return "must be less than " + limit_text("exclusiveMaximum");
      case Kind::multiple_of: return "must be a multiple of " + limit_text("multipleOf");
      case Kind::min_properties: return "must have at least " + limit_text("minProperties") + " properties";
      case Kind::max_properties: return "must have at most " + limit_text("maxProperties") + " properties";
      case Kind::unique: return "must not contain duplicate items";
      case Kind::not_schema: return "has a value that is not allowed here";
      case Kind::many_branches: return "matches more than one of the allowed forms; it must match exactly one";
      case Kind::summary: return "does not match any of the allowed forms";
      default: break;
    }
    return f.raw;  // a sentence valijson wrote: still better than nothing
  }

  // Every property of the object at `path` that no applicable schema declares, with the
  // message for each. Falls back to valijson's `reported` name.
  std::vector<std::pair<std::string, std::string>> unknown(const std::vector<std::string>& path,
                                                           const std::string& reported) const {
    std::vector<std::string> declared;
    for (const auto* node : nodes(path))
      if (const auto* props = node->if_contains("properties"); props && props->is_object())
        for (const auto& member : props->as_object()) add_unique(declared, std::string(member.key()));
    std::vector<std::string> names;
    if (const auto* value = value_at(instance_, path); value && value->is_object())
      for (const auto& member : value->as_object())
        if (std::find(declared.begin(), declared.end(), member.key()) == declared.end())
          names.emplace_back(member.key());
    if (names.empty()) names.push_back(reported);

    const std::string noun = path.empty() ? "argument" : "property";
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& name : names) {
      std::string text = "unknown " + noun + " '" + name + "'";
      // A suggestion only for a likely typo.
      if (const auto best = close_matches(name, declared, 1); !best.empty()) {
        text += "; did you mean '" + best.front() + "'?";
      } else if (!declared.empty()) {
        text += std::string("; allowed: ") + join(declared, ", ");
      }
      out.emplace_back(name, std::move(text));
    }
    return out;
  }

 private:
  std::vector<const json::object*> nodes(const std::vector<std::string>& path) const {
    return schemas_at(schema_, instance_, path);
  }

  const json::value& schema_;
  const json::value& instance_;
};

}  // namespace

std::vector<SchemaViolation> describe_violations(const json::value& schema, const json::value& instance,
                                                 const std::vector<RawViolation>& raw) {
  std::vector<Finding> findings;
  findings.reserve(raw.size());
  for (const auto& r : raw) findings.push_back(classify(r));

  auto has = [&](auto&& predicate) { return std::any_of(findings.begin(), findings.end(), predicate); };
  std::vector<bool> keep(findings.size(), true);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (f.kind == Kind::summary) {
      // A summary only restates what its children said.
      keep[i] = !has([&](const Finding& g) { return g.kind != Kind::summary && at_or_below(g.path, f.path); });
    } else if (f.kind == Kind::type) {
      // A wrong type next to a more specific complaint comes from a oneOf/anyOf branch the value
      // was never meant for; the branch whose type matched says what to change.
      keep[i] = !has([&](const Finding& g) {
        return g.kind != Kind::summary && at_or_below(g.path, f.path) && (g.kind != Kind::type || g.path.size() > f.path.size());
      });
    }
  }

  Phraser phraser(schema, instance);
  std::vector<SchemaViolation> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto emit = [&](std::string pointer, std::string message) {
    if (seen.emplace(pointer, message).second) out.push_back({std::move(pointer), std::move(message)});
  };
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!keep[i]) continue;
    const auto& f = findings[i];
    switch (f.kind) {
      case Kind::type:
        emit(json_pointer(f.path), phraser.type(f.path));  // merged: one message per location
        break;
      case Kind::required: {
        auto path = f.path;
        path.push_back(f.name);
        emit(json_pointer(path), "missing required property '" + f.name + "'");
        break;
      }
      case Kind::unknown:
        for (auto& [name, message] : phraser.unknown(f.path, f.name)) {
          auto path = f.path;
          path.push_back(name);
          emit(json_pointer(path), std::move(message));
        }
        break;
      default:
        emit(json_pointer(f.path), phraser.message(f));
    }
  }
  return out;
}

}  // namespace kmcp
