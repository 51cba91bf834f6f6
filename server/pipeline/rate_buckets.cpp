#include "server/pipeline/rate_buckets.hpp"

#include "server/pipeline/argument_text.hpp"

namespace kmcp {
namespace {

bool csv_contains(std::string_view text, std::string_view wanted) {
  while (true) {
    auto comma = text.find(',');
    if (text.substr(0, comma) == wanted) return true;
    if (comma == std::string_view::npos) return false;
    text.remove_prefix(comma + 1);
  }
}

bool uses_value(const json::value& value, const std::string& wanted) {
  if (value.is_array()) {
    for (const auto& item : value.get_array())
      if (auto text = scalar_text(item); text && *text == wanted) return true;
    return false;
  }
  if (value.is_string()) return csv_contains(value.get_string(), wanted);
  auto text = scalar_text(value);
  return text && *text == wanted;
}

}  // namespace

std::vector<BucketRef> rate_buckets(const ToolSpec& spec, const json::object& args) {
  std::vector<BucketRef> buckets{spec.rate};
  for (const auto& conditional : spec.conditional_rates) {
    auto it = args.find(conditional.arg);
    if (it != args.end() && uses_value(it->value(), conditional.value)) buckets.push_back(conditional.bucket);
  }
  return buckets;
}

}  // namespace kmcp
