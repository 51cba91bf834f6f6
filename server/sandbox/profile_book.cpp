#include "server/sandbox/profile_book.hpp"

#include <algorithm>
#include <cctype>

namespace kmcp::sandbox {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string text_of(const json::object& attributes, std::string_view key) {
  const auto* value = attributes.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

json::object channel_defaults() {
  return json::object{{"marketing", json::object{{"consent", "NEVER_SUBSCRIBED"},
                                                 {"can_receive_email_marketing", false},
                                                 {"suppression", json::array{}}}}};
}

}  // namespace

void merge_into(json::object& target, const json::object& patch) {
  for (const auto& [key, value] : patch) {
    json::value& slot = target[key];
    if (value.is_object() && slot.is_object()) {
      merge_into(slot.get_object(), value.get_object());
    } else {
      slot = value;
    }
  }
}

bool has_identifier(const json::object& attributes) {
  return !text_of(attributes, "email").empty() || !text_of(attributes, "phone_number").empty() ||
         !text_of(attributes, "external_id").empty();
}

Resource* find_profile(ResourceStore& store, const json::object& attributes) {
  const std::string email = lower(text_of(attributes, "email"));
  const std::string phone = text_of(attributes, "phone_number");
  const std::string external = text_of(attributes, "external_id");
  for (Resource* profile : store.all_mutable("profile")) {
    const json::object& stored = profile->at("attributes").as_object();
    if (!email.empty() && lower(text_of(stored, "email")) == email) return profile;
    if (!phone.empty() && text_of(stored, "phone_number") == phone) return profile;
    if (!external.empty() && text_of(stored, "external_id") == external) return profile;
  }
  return nullptr;
}

Resource& create_profile(ResourceStore& store, const json::object& attributes, const std::string& now) {
  json::object stored{{"email", nullptr},
                      {"phone_number", nullptr},
                      {"external_id", nullptr},
                      {"first_name", nullptr},
                      {"last_name", nullptr},
                      {"organization", nullptr},
                      {"locale", nullptr},
                      {"title", nullptr},
                      {"image", nullptr},
                      {"created", now},
                      {"updated", now},
                      {"last_event_date", nullptr},
                      {"location", json::object{}},
                      {"properties", json::object{}},
                      {"subscriptions", json::object{{"email", channel_defaults()}, {"sms", channel_defaults()}}}};
  json::object given = attributes;
  given.erase("subscriptions");  // consent changes through subscription jobs, as at Klaviyo
  merge_into(stored, given);
  return store.put(json::object{{"type", "profile"},
                                {"id", store.next_id("profile")},
                                {"attributes", std::move(stored)},
                                {"relationships", json::object{}}});
}

Upserted upsert_profile(ResourceStore& store, const json::object& attributes, const std::string& now) {
  if (Resource* found = find_profile(store, attributes)) {
    json::object given = attributes;
    given.erase("subscriptions");
    json::object& stored = found->at("attributes").as_object();
    merge_into(stored, given);
    stored["updated"] = now;
    store.touch();
    return {found, false};
  }
  return {&create_profile(store, attributes, now), true};
}

void set_consent(Resource& profile, const std::string& channel, const std::string& consent, const std::string& now) {
  json::object& subscriptions = object_member(profile.at("attributes").as_object(), "subscriptions");
  json::object& marketing = object_member(object_member(subscriptions, channel), "marketing");
  marketing["consent"] = consent;
  marketing["consent_timestamp"] = now;
  const bool suppressed = marketing.contains("suppression") && marketing["suppression"].is_array() &&
                          !marketing["suppression"].get_array().empty();
  marketing[channel == "sms" ? "can_receive_sms_marketing" : "can_receive_email_marketing"] =
      consent == "SUBSCRIBED" && !suppressed;
}

void set_suppressed(Resource& profile, bool suppressed, const std::string& now) {
  json::object& subscriptions = object_member(profile.at("attributes").as_object(), "subscriptions");
  json::object& marketing = object_member(object_member(subscriptions, "email"), "marketing");
  marketing["suppression"] = suppressed ? json::array{json::object{{"reason", "USER_SUPPRESSED"}, {"timestamp", now}}}
                                        : json::array{};
  const auto* consent = marketing.if_contains("consent");
  marketing["can_receive_email_marketing"] =
      !suppressed && consent && consent->is_string() && consent->get_string() == "SUBSCRIBED";
}

}  // namespace kmcp::sandbox
