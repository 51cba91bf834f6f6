#include "server/sandbox/resource_documents.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <set>
#include <sstream>

namespace kmcp::sandbox {
namespace {

std::vector<std::string> csv(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

std::string self_link(const Resource& resource, const DocumentContext& context) {
  // The resource's own collection is its type made plural, as Klaviyo's links read.
  std::string type(resource.at("type").as_string());
  std::string collection = type.ends_with("y") ? type.substr(0, type.size() - 1) + "ies" : type + "s";
  return context.base_url + "/api/" + collection + "/" + std::string(resource.at("id").as_string()) + "/";
}

// The resources that `include=rel,...` asks for, linked from `records`, each once.
json::array included(const std::vector<const Resource*>& records, const DocumentContext& context) {
  json::array out;
  const std::string include = query_value(context.query, "include");
  if (include.empty()) return out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const std::string& relation : csv(include)) {
    for (const Resource* record : records) {
      const json::value* data = relationship_data(*record, relation);
      if (!data) continue;
      for (const auto& [type, id] : links_in(*data)) {
        if (!seen.emplace(type, id).second) continue;
        if (const Resource* found = context.store.find(type, id)) out.push_back(present(*found, context));
      }
    }
  }
  return out;
}

std::string link_with_cursor(const DocumentContext& context, std::optional<std::size_t> offset) {
  std::string url = context.base_url + context.path;
  char sep = '?';
  auto add = [&](const std::string& key, const std::string& value) {
    url += sep;
    sep = '&';
    url += boost::urls::encode(key, boost::urls::unreserved_chars);
    url += '=';
    url += boost::urls::encode(value, boost::urls::unreserved_chars);
  };
  for (const auto& [key, value] : context.query)
    if (key != "page[cursor]") add(key, value);
  if (offset) add("page[cursor]", "bz" + std::to_string(*offset));
  return url;
}

json::object paging_links(std::size_t total, const PageRequest& page, const DocumentContext& context) {
  json::object links{{"self", link_with_cursor(context, page.offset ? std::optional(page.offset) : std::nullopt)}};
  links["next"] = page.offset + page.size < total ? json::value(link_with_cursor(context, page.offset + page.size))
                                                  : json::value(nullptr);
  links["prev"] = page.offset > 0 ? json::value(link_with_cursor(context, page.offset > page.size ? page.offset - page.size : 0))
                                  : json::value(nullptr);
  return links;
}

}  // namespace

std::string query_value(const QueryParams& query, const std::string& key) {
  const auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

json::object present(const Resource& resource, const DocumentContext& context) {
  json::object out;
  const std::string type(resource.at("type").as_string());
  out["type"] = type;
  out["id"] = resource.at("id");
  json::object attributes;
  if (const auto* stored = resource.if_contains("attributes"); stored && stored->is_object()) attributes = stored->get_object();
  if (const std::string wanted = query_value(context.query, "fields[" + type + "]"); !wanted.empty()) {
    json::object kept;
    for (const std::string& field : csv(wanted)) {
      const std::string top = field.substr(0, field.find('.'));
      if (const auto* value = attributes.if_contains(top)) kept[top] = *value;
    }
    attributes = std::move(kept);
  }
  out["attributes"] = std::move(attributes);
  // To-one links come with their data; to-many ones (a list's thousands of profiles) only with
  // links, as Klaviyo sends them: the related endpoints page through them.
  const std::string self = self_link(resource, context);
  if (const auto* relationships = resource.if_contains("relationships");
      relationships && relationships->is_object() && !relationships->get_object().empty()) {
    json::object shown;
    for (const auto& [name, relationship] : relationships->get_object()) {
      const auto* data = relationship.is_object() ? relationship.get_object().if_contains("data") : nullptr;
      json::object entry{{"links", json::object{{"self", self + "relationships/" + std::string(name) + "/"},
                                                {"related", self + std::string(name) + "/"}}}};
      if (data && !data->is_array()) entry["data"] = *data;
      shown[name] = std::move(entry);
    }
    out["relationships"] = std::move(shown);
  }
  out["links"] = json::object{{"self", self}};
  return out;
}

json::object single_document(const Resource& resource, const DocumentContext& context) {
  json::object doc{{"data", present(resource, context)},
                   {"links", json::object{{"self", context.base_url + context.path}}}};
  if (json::array more = included({&resource}, context); !more.empty()) doc["included"] = std::move(more);
  return doc;
}

std::optional<std::string> read_page(const QueryParams& query, PageRequest& page, std::size_t max_size) {
  page.size = std::min<std::size_t>(20, max_size);
  if (const std::string size = query_value(query, "page[size]"); !size.empty()) {
    std::size_t n = 0;
    try {
      n = std::stoul(size);
    } catch (const std::exception&) {
      return "page[size] must be a whole number";
    }
    if (n < 1 || n > max_size) return "page[size] must be between 1 and " + std::to_string(max_size);
    page.size = n;
  }
  if (const std::string cursor = query_value(query, "page[cursor]"); !cursor.empty()) {
    // Our cursors are "bz<offset>"; anything else did not come from a links.next.
    if (!cursor.starts_with("bz") || cursor.size() == 2 ||
        cursor.find_first_not_of("0123456789", 2) != std::string::npos)
      return "page[cursor] is not a cursor this API gave out";
    page.offset = std::stoul(cursor.substr(2));
  }
  return std::nullopt;
}

json::object collection_document(const std::vector<const Resource*>& resources, const PageRequest& page,
                                 const DocumentContext& context) {
  json::array data;
  std::vector<const Resource*> shown;
  for (std::size_t i = page.offset; i < resources.size() && i < page.offset + page.size; ++i) {
    data.push_back(present(*resources[i], context));
    shown.push_back(resources[i]);
  }
  json::object doc{{"data", std::move(data)}, {"links", paging_links(resources.size(), page, context)}};
  if (json::array more = included(shown, context); !more.empty()) doc["included"] = std::move(more);
  return doc;
}

json::object linkage_document(const std::vector<const Resource*>& resources, bool many, const PageRequest& page,
                              const DocumentContext& context) {
  auto link = [](const Resource& r) { return json::object{{"type", r.at("type")}, {"id", r.at("id")}}; };
  if (!many) {
    return json::object{{"data", resources.empty() ? json::value(nullptr) : json::value(link(*resources.front()))},
                        {"links", json::object{{"self", context.base_url + context.path}}}};
  }
  json::array data;
  for (std::size_t i = page.offset; i < resources.size() && i < page.offset + page.size; ++i)
    data.push_back(link(*resources[i]));
  return json::object{{"data", std::move(data)}, {"links", paging_links(resources.size(), page, context)}};
}

}  // namespace kmcp::sandbox
