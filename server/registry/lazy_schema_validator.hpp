#pragma once
// A tool's inputSchema, compiled when first needed. A server exposes a few dozen of its several
// hundred tools, and compiling every schema at startup was a fifth of its cold start; the
// registry still compiles all of them at load unless told otherwise (ToolRegistry::load).
#include <memory>
#include <mutex>
#include <vector>

#include "server/registry/schema_validator.hpp"

namespace kmcp {

class LazySchemaValidator {
 public:
  explicit LazySchemaValidator(json::object schema);

  // Compiles now, once (thread-safe). Throws std::runtime_error for an invalid schema, as
  // SchemaValidator does, and then tries again next time.
  const SchemaValidator& compiled() const;
  std::vector<SchemaViolation> validate(const json::value& instance) const { return compiled().validate(instance); }

 private:
  json::object schema_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<const SchemaValidator> compiled_;
};

}  // namespace kmcp
