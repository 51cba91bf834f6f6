#pragma once
// A JSON Schema compiled once (valijson, draft-07 reading of our schemas), applied per call.
#include <memory>
#include <string>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

struct SchemaViolation {
  std::string pointer;  // JSON pointer into the arguments, e.g. "/profile_ids/3"
  std::string message;  // what is wrong there
};

class SchemaValidator {
 public:
  // Throws std::runtime_error if `schema` is not a valid schema.
  explicit SchemaValidator(const json::object& schema);
  ~SchemaValidator();
  std::vector<SchemaViolation> validate(const json::value& instance) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
