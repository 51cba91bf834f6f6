// valijson reports its own faults through exceptions only when asked to; otherwise it aborts.
#define VALIJSON_USE_EXCEPTIONS 1
#include "server/registry/schema_validator.hpp"

#include <regex>
#include <stdexcept>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "server/registry/schema_walk.hpp"
#include "server/registry/violation_messages.hpp"

namespace kmcp {
namespace {

// Faults valijson would only find while validating a call, found once at startup instead.
void check_portable(const json::value& schema) {
  for_each_subschema(schema, [](const json::object& node) {
    if (const auto* pattern = node.if_contains("pattern"); pattern && pattern->is_string()) {
      try {
        std::regex compiled{std::string(pattern->get_string())};
      } catch (const std::regex_error& e) {
        throw std::runtime_error("invalid pattern '" + std::string(pattern->get_string()) + "': " + e.what());
      }
    }
    // Draft-07 reads an array "items" as a tuple, 2020-12 as an error; MCP clients may use either.
    if (const auto* items = node.if_contains("items"); items && items->is_array())
      throw std::runtime_error("'items' must be one schema, not an array");
  });
}

// valijson 1.0 checks "format" by reading the value as a string, which throws on arrays and
// objects; formats are enforced by precondition hooks (valid_emails, iso8601) instead.
void strip_formats(json::value& schema) {
  for_each_subschema(schema, [](json::object& node) {
    if (const auto* format = node.if_contains("format"); format && format->is_string()) node.erase("format");
  });
}

std::vector<std::string> instance_path(const std::vector<std::string>& context) {
  std::vector<std::string> path;
  for (const auto& segment : context) {
    if (segment == "<root>") continue;
    // valijson writes "[name]" and "[3]"; a name may itself contain brackets, so strip only the
    // outer pair.
    if (segment.size() >= 2 && segment.front() == '[' && segment.back() == ']') {
      path.push_back(segment.substr(1, segment.size() - 2));
    } else {
      path.push_back(segment);
    }
  }
  return path;
}

}  // namespace

struct SchemaValidator::Impl {
  json::value schema;  // as compiled (formats stripped); read again to phrase violations
  valijson::Schema compiled;
};

SchemaValidator::SchemaValidator(const json::object& schema) : impl_(std::make_unique<Impl>()) {
  impl_->schema = schema;
  check_portable(impl_->schema);
  strip_formats(impl_->schema);
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(impl_->schema);
    parser.populateSchema(adapter, impl_->compiled);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("invalid schema: ") + e.what());
  }
}

SchemaValidator::~SchemaValidator() = default;

std::vector<SchemaViolation> SchemaValidator::validate(const json::value& instance) const {
  // One validator per call: valijson's caches its regexes in it, unsynchronised.
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(instance);
  try {
    if (validator.validate(impl_->compiled, target, &results)) return {};
  } catch (const std::exception& e) {
    return {{"", std::string("could not be checked against the schema: ") + e.what()}};
  }
  std::vector<RawViolation> raw;
  for (const auto& error : results) raw.push_back({instance_path(error.context), error.description});
  auto violations = describe_violations(impl_->schema, instance, raw);
  if (violations.empty()) violations.push_back({"", "does not match the schema"});  // never report "valid" on failure
  return violations;
}

}  // namespace kmcp
