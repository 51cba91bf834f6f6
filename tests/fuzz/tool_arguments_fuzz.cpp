// Schema validation and preconditions for every tool: the first two bytes pick a tool, the rest
// are its arguments as JSON. A violation must be reported as a value, never a crash or throw.
#include <cstdint>
#include <string_view>

#include "server/pipeline/argument_validation.hpp"
#include "server/pipeline/precondition_checks.hpp"
#include "tests/fuzz/fuzz_catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& spec = kmcp::fuzz::pick_tool(data, size);
  boost::system::error_code ec;
  kmcp::json::parse_options options;
  options.max_depth = 64;
  auto value = kmcp::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec, {}, options);
  if (ec || !value.is_object()) return 0;
  if (auto violation = kmcp::validate_arguments(spec, value.as_object())) return 0;
  (void)kmcp::check_preconditions(spec, kmcp::fuzz::catalog().hooks, value.as_object());
  return 0;
}
