#include "server/sandbox/resource_store.hpp"

#include <algorithm>

namespace kmcp::sandbox {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// Base 62 digits from the type and a counter, so ids look like Klaviyo's ("Y6nRLr") rather than
// like a counter, yet come out the same on every run.
std::string make_id(std::string_view type, std::uint64_t n, std::size_t width) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id;
  std::uint64_t x = mix(fnv1a(type) + n);
  while (id.size() < width) {
    if (x < 62) x = mix(x + n + id.size());
    id.push_back(kDigits[x % 62]);
    x /= 62;
  }
  return id;
}

bool links_to(const json::value& data, const std::string& type, const std::string& id) {
  auto is_target = [&](const json::value& link) {
    const auto* object = link.if_object();
    if (!object) return false;
    const auto* t = object->if_contains("type");
    const auto* i = object->if_contains("id");
    return t && i && t->is_string() && i->is_string() && t->get_string() == type && i->get_string() == id;
  };
  if (const auto* many = data.if_array()) return std::any_of(many->begin(), many->end(), is_target);
  return is_target(data);
}

}  // namespace

std::string ResourceStore::next_id(const std::string& type) {
  // Profiles and events carry 26-character ids at Klaviyo; most other resources six.
  const std::size_t width = type == "profile" || type == "event" ? 26 : 6;
  for (;;) {  // a collision is rare, and the next number gives another id
    std::string id = make_id(type, ++counters_[type], width);
    if (!find(type, id)) return id;
  }
}

Resource& ResourceStore::put(Resource resource) {
  const std::string type(resource.at("type").as_string());
  const std::string id(resource.at("id").as_string());
  Collection& collection = collections_[type];
  auto [it, inserted] = collection.by_id.insert_or_assign(id, std::move(resource));
  if (inserted) collection.order.push_back(id);
  touch();
  return it->second;
}

Resource* ResourceStore::find(const std::string& type, const std::string& id) {
  const auto c = collections_.find(type);
  if (c == collections_.end()) return nullptr;
  const auto it = c->second.by_id.find(id);
  return it == c->second.by_id.end() ? nullptr : &it->second;
}

const Resource* ResourceStore::find(const std::string& type, const std::string& id) const {
  return const_cast<ResourceStore*>(this)->find(type, id);
}

bool ResourceStore::erase(const std::string& type, const std::string& id) {
  const auto c = collections_.find(type);
  if (c == collections_.end() || !c->second.by_id.erase(id)) return false;
  auto& order = c->second.order;
  order.erase(std::find(order.begin(), order.end(), id));
  touch();
  return true;
}

std::vector<const Resource*> ResourceStore::all(const std::string& type) const {
  std::vector<const Resource*> out;
  const auto c = collections_.find(type);
  if (c == collections_.end()) return out;
  out.reserve(c->second.order.size());
  for (const auto& id : c->second.order) out.push_back(&c->second.by_id.at(id));
  return out;
}

std::vector<Resource*> ResourceStore::all_mutable(const std::string& type) {
  std::vector<Resource*> out;
  const auto c = collections_.find(type);
  if (c == collections_.end()) return out;
  for (const auto& id : c->second.order) out.push_back(&c->second.by_id.at(id));
  return out;
}

std::vector<std::string> ResourceStore::types() const {
  std::vector<std::string> out;
  for (const auto& [type, collection] : collections_)
    if (!collection.order.empty()) out.push_back(type);
  return out;
}

std::size_t ResourceStore::size() const {
  std::size_t n = 0;
  for (const auto& [type, collection] : collections_) n += collection.order.size();
  return n;
}

std::vector<const Resource*> ResourceStore::linking_to(const std::string& type, const std::string& target_type,
                                                       const std::string& target_id) const {
  std::vector<const Resource*> out;
  for (const Resource* resource : all(type)) {
    const auto* relationships = resource->if_contains("relationships");
    if (!relationships || !relationships->is_object()) continue;
    for (const auto& [name, relationship] : relationships->get_object()) {
      const auto* data = relationship.is_object() ? relationship.get_object().if_contains("data") : nullptr;
      if (data && links_to(*data, target_type, target_id)) {
        out.push_back(resource);
        break;
      }
    }
  }
  return out;
}

const json::value* relationship_data(const Resource& resource, std::string_view relation) {
  const auto* relationships = resource.if_contains("relationships");
  const auto* link = relationships && relationships->is_object() ? relationships->get_object().if_contains(relation)
                                                                  : nullptr;
  return link && link->is_object() ? link->get_object().if_contains("data") : nullptr;
}

std::vector<std::pair<std::string, std::string>> links_in(const json::value& data) {
  std::vector<std::pair<std::string, std::string>> links;
  auto add = [&](const json::value& v) {
    const auto* o = v.if_object();
    if (!o) return;
    const auto* t = o->if_contains("type");
    const auto* i = o->if_contains("id");
    if (t && i && t->is_string() && i->is_string()) links.emplace_back(t->get_string(), i->get_string());
  };
  if (const auto* many = data.if_array())
    for (const auto& v : *many) add(v);
  else
    add(data);
  return links;
}

std::vector<std::string> linked_ids(const json::value& data) {
  std::vector<std::string> ids;
  auto add = [&](const json::value& link) {
    if (const auto* object = link.if_object())
      if (const auto* id = object->if_contains("id"); id && id->is_string()) ids.emplace_back(id->get_string());
  };
  if (const auto* many = data.if_array()) {
    for (const auto& link : *many) add(link);
  } else {
    add(data);
  }
  return ids;
}

const json::value* attribute_at(const Resource& resource, std::string_view dotted) {
  const auto* attributes = resource.if_contains("attributes");
  const json::value* at = attributes;
  while (at && !dotted.empty()) {
    const auto* object = at->if_object();
    if (!object) return nullptr;
    const auto dot = dotted.find('.');
    at = object->if_contains(dotted.substr(0, dot));
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  return at;
}

json::object& object_member(json::object& parent, std::string_view key) {
  json::value& slot = parent[key];
  if (!slot.is_object()) slot = json::object{};
  return slot.get_object();
}

}  // namespace kmcp::sandbox
