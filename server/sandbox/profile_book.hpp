#pragma once
// Profiles as Klaviyo identifies them: by email (any case), phone number or external id, any of
// which finds the same person; and their consent per channel.
#include <string>

#include "server/sandbox/resource_store.hpp"

namespace kmcp::sandbox {

// The profile any identifier in `attributes` names, or null.
Resource* find_profile(ResourceStore& store, const json::object& attributes);

// A new profile from `attributes`, with Klaviyo's defaults (never subscribed, no suppression).
Resource& create_profile(ResourceStore& store, const json::object& attributes, const std::string& now);

// Finds the profile by its identifiers and merges `attributes` into it, or creates it.
struct Upserted {
  Resource* profile = nullptr;
  bool created = false;
};
Upserted upsert_profile(ResourceStore& store, const json::object& attributes, const std::string& now);

// Whether `attributes` carries an identifier at all.
bool has_identifier(const json::object& attributes);

// Sets the marketing consent of `channel` ("email" or "sms"): "SUBSCRIBED", "UNSUBSCRIBED".
void set_consent(Resource& profile, const std::string& channel, const std::string& consent, const std::string& now);
// Adds or lifts the email suppression.
void set_suppressed(Resource& profile, bool suppressed, const std::string& now);

// Merges `patch` into `target`: objects recursively, anything else replaced (PATCH semantics).
void merge_into(json::object& target, const json::object& patch);

}  // namespace kmcp::sandbox
