#pragma once
// Stored resources as the API returns them: JSON:API documents with links, sparse fieldsets
// (fields[type]=a,b), included resources (include=rel) and cursor paging (page[size],
// page[cursor], links.next).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/sandbox/resource_store.hpp"

namespace kmcp::sandbox {

// The query parameters that shape an answer, percent-decoded.
using QueryParams = std::multimap<std::string, std::string>;

struct DocumentContext {
  const ResourceStore& store;
  std::string base_url;  // "http://127.0.0.1:P", for links
  std::string path;      // the request's path, for links
  const QueryParams& query;
};

// One resource as returned: internal fields dropped, fields[type] applied, links.self added.
json::object present(const Resource& resource, const DocumentContext& context);

// {"data": resource, "included": [...]} for a single resource.
json::object single_document(const Resource& resource, const DocumentContext& context);

// Where a page starts and how long it is, from page[cursor] and page[size]; a reason when either
// is not acceptable. Klaviyo's default page is 20 (at most 100), some endpoints differ.
struct PageRequest {
  std::size_t offset = 0;
  std::size_t size = 20;
};
std::optional<std::string> read_page(const QueryParams& query, PageRequest& page, std::size_t max_size = 100);

// {"data": [...page...], "links": {self, next, prev}, "included": [...]} over `resources`.
json::object collection_document(const std::vector<const Resource*>& resources, const PageRequest& page,
                                 const DocumentContext& context);

// Relationship linkage documents: {"data": [{type,id}...]} or {"data": {type,id}|null}.
json::object linkage_document(const std::vector<const Resource*>& resources, bool many, const PageRequest& page,
                              const DocumentContext& context);

// The first value of `key`, or "".
std::string query_value(const QueryParams& query, const std::string& key);

}  // namespace kmcp::sandbox
