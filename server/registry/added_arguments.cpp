#include "server/registry/added_arguments.hpp"

#include <stdexcept>
#include <string>

namespace kmcp {

json::object& properties_for_added_arguments(json::object& input_schema, std::initializer_list<std::string_view> names,
                                             std::string_view added_to) {
  auto* properties = input_schema.if_contains("properties");
  if (!properties || !properties->is_object()) input_schema["properties"] = json::object{};
  auto& props = input_schema["properties"].as_object();
  for (auto name : names)
    if (props.contains(name))
      throw std::runtime_error("inputSchema has '" + std::string(name) + "', which the server adds to " +
                               std::string(added_to));
  return props;
}

}  // namespace kmcp
