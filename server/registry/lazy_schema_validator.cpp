#include "server/registry/lazy_schema_validator.hpp"

namespace kmcp {

LazySchemaValidator::LazySchemaValidator(json::object schema) : schema_(std::move(schema)) {}

const SchemaValidator& LazySchemaValidator::compiled() const {
  std::call_once(once_, [this] { compiled_ = std::make_unique<const SchemaValidator>(schema_); });
  return *compiled_;
}

}  // namespace kmcp
