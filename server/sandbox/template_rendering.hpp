#pragma once
// Klaviyo template tags, as far as a preview needs them: {{ name }}, {{ person.first_name }} and
// {{ name|default:"friend" }} take their value from the render context; a tag the context does
// not fill becomes its default, or nothing.
#include <string>
#include <string_view>

#include "server/core/json.hpp"

namespace kmcp::sandbox {

std::string render_template_text(std::string_view text, const json::object& context);

}  // namespace kmcp::sandbox
