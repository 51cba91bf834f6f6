#pragma once
// Checks a Klaviyo `filter` expression before it is sent, so a model learns which fields and
// operators a tool accepts from our answer instead of from an opaque upstream 400.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kmcp {

struct FilterLimits {
  std::size_t max_length = 4096;  // characters
  std::size_t max_depth = 8;      // nesting of and/or/not
};

// field -> operators allowed on it (QueryParamSpec::filter_fields).
using FilterFields = std::map<std::string, std::vector<std::string>>;

// Returns nullopt when `expression` is well formed and only uses allowed fields and operators;
// otherwise a message saying what is wrong, where, and what is allowed instead.
std::optional<std::string> check_filter_expression(std::string_view expression, const FilterFields& fields,
                                                   const FilterLimits& limits = {});

}  // namespace kmcp
