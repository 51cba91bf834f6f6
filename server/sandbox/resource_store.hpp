#pragma once
// The simulated account's data: JSON:API resources by type and id, kept in creation order, with
// their relationships as stored links. Not thread-safe: the sandbox serves from one thread.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp::sandbox {

// {"type", "id", "attributes": {...}, "relationships": {name: {"data": [...] | {...} | null}}}
using Resource = json::object;

class ResourceStore {
 public:
  // A new id for a resource of `type`: Klaviyo-like (letters and digits), unique in the store,
  // and the same sequence on every run (the seed data relies on it).
  std::string next_id(const std::string& type);

  // Stores `resource` (its type and id set), replacing one with the same type and id.
  Resource& put(Resource resource);
  Resource* find(const std::string& type, const std::string& id);
  const Resource* find(const std::string& type, const std::string& id) const;
  bool erase(const std::string& type, const std::string& id);

  // Every resource of `type`, oldest first.
  std::vector<const Resource*> all(const std::string& type) const;
  std::vector<Resource*> all_mutable(const std::string& type);
  std::vector<std::string> types() const;
  std::size_t size() const;

  // Resources of `type` with some relationship that links to (`target_type`, `target_id`): the
  // other side of a link stored on one side only (a list's profiles, seen from a profile).
  std::vector<const Resource*> linking_to(const std::string& type, const std::string& target_type,
                                          const std::string& target_id) const;

  // Bumped by every change, so a saver can tell whether there is anything to write.
  std::uint64_t version() const { return version_; }
  void touch() { ++version_; }

  // Ids handed out so far, per type (kept with the state so ids never repeat across runs).
  const std::map<std::string, std::uint64_t>& counters() const { return counters_; }
  void set_counter(const std::string& type, std::uint64_t value) { counters_[type] = value; }

 private:
  struct Collection {
    std::vector<std::string> order;
    std::map<std::string, Resource> by_id;
  };
  std::map<std::string, Collection> collections_;
  std::map<std::string, std::uint64_t> counters_;
  std::uint64_t version_ = 0;
};

// The "data" of `resource`'s relationship `relation`, or null when it stores none.
const json::value* relationship_data(const Resource& resource, std::string_view relation);

// The (type, id) links a relationship's "data" holds, whether one link or many.
std::vector<std::pair<std::string, std::string>> links_in(const json::value& relationship_data);

// The ids a relationship's "data" holds, whether one link or many.
std::vector<std::string> linked_ids(const json::value& relationship_data);

// The resource's attribute at a dotted path ("location.city"), or null when absent.
const json::value* attribute_at(const Resource& resource, std::string_view dotted);

// The object member `key` of `parent`, made an empty object first if it is anything else.
json::object& object_member(json::object& parent, std::string_view key);

}  // namespace kmcp::sandbox
