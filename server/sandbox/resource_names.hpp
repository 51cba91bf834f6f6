#pragma once
// How Klaviyo's URL segments name resource types: a collection "catalog-categories" holds
// "catalog-category" resources; a relation "flow-triggers" points at "flow"s. A rule plus the
// few names the rule gets wrong.
#include <string>
#include <string_view>

namespace kmcp::sandbox {

// The resource type a collection segment holds: "lists" -> "list".
std::string collection_type(std::string_view collection);

// The resource type a relation of `owner_type` points at: ("catalog-item", "categories") ->
// "catalog-category", ("event", "metric") -> "metric".
std::string related_type(std::string_view owner_type, std::string_view relation);

// Whether a relation holds many resources when nothing stored says so: plural names do.
bool relation_is_many(std::string_view relation);

}  // namespace kmcp::sandbox
