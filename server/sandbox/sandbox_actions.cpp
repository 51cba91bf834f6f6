// run_action and complete_job (api_context.hpp): the endpoints whose effect is more than storing
// what was sent. Keyed by the route's collection segment; everything else is a generic create,
// or a generic job when its tool starts one.
#include <algorithm>
#include <map>
#include <set>

#include "server/sandbox/api_context.hpp"
#include "server/sandbox/filter_match.hpp"
#include "server/sandbox/profile_book.hpp"
#include "server/sandbox/template_rendering.hpp"

namespace kmcp::sandbox {
namespace {

using Action = SandboxResponse (*)(ApiContext&, const json::object& data);

const json::object& attributes_of(const json::object& data) {
  static const json::object kEmpty;
  const auto* attributes = data.if_contains("attributes");
  return attributes && attributes->is_object() ? attributes->get_object() : kEmpty;
}

// The resources of a nested {"data": [...]} (or one {"data": {...}}) under `key`.
std::vector<json::object> nested_rows(const json::object& attributes, std::string_view key) {
  std::vector<json::object> rows;
  const auto* wrapper = attributes.if_contains(key);
  const auto* data = wrapper && wrapper->is_object() ? wrapper->get_object().if_contains("data") : nullptr;
  if (!data) return rows;
  if (data->is_array()) {
    for (const auto& row : data->get_array())
      if (row.is_object()) rows.push_back(row.get_object());
  } else if (data->is_object()) {
    rows.push_back(data->get_object());
  }
  return rows;
}

// The id one relationship of `data` links to, or "".
std::string linked_id(const json::object& data, std::string_view relation) {
  const auto* relationships = data.if_contains("relationships");
  const auto* link = relationships && relationships->is_object() ? relationships->get_object().if_contains(relation)
                                                                  : nullptr;
  const auto* target = link && link->is_object() ? link->get_object().if_contains("data") : nullptr;
  if (!target) return {};
  const auto ids = linked_ids(*target);
  return ids.empty() ? std::string() : ids.front();
}

void add_link(Resource& owner, const std::string& relation, const std::string& type, const std::string& id) {
  json::value& slot = object_member(owner, "relationships")[relation];
  if (!slot.is_object()) slot = json::object{{"data", json::array{}}};
  json::value& data = slot.get_object()["data"];
  if (!data.is_array()) data = json::array{};
  for (const auto& link : data.get_array())
    if (link.at("id").as_string() == id && link.at("type").as_string() == type) return;
  data.get_array().push_back(json::object{{"type", type}, {"id", id}});
}

SandboxResponse accepted() { return SandboxResponse{.status = 202}; }

SandboxResponse invalid(std::string detail, std::string pointer = {}) {
  return error_response(400, "invalid", "Invalid input.", std::move(detail), std::move(pointer));
}

SandboxResponse created(ApiContext& c, const Resource& resource, unsigned status = 201) {
  return document_response(status, single_document(resource, c.documents()));
}

SandboxResponse job_accepted(ApiContext& c, Resource job) {
  const Resource& stored = c.store.put(std::move(job));
  return document_response(202, single_document(stored, c.documents()));
}

bool valid_email(std::string_view email) {
  const auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.find('.', at) != std::string_view::npos &&
         email.back() != '.' && email.find(' ') == std::string_view::npos;
}

std::optional<SandboxResponse> check_profile_attributes(const json::object& attributes, const std::string& pointer) {
  if (!has_identifier(attributes))
    return invalid("A profile needs an email, a phone_number or an external_id.", pointer);
  if (const auto* email = attributes.if_contains("email"); email && email->is_string() && !valid_email(email->get_string()))
    return invalid("Invalid email address '" + std::string(email->get_string()) + "'.", pointer + "/email");
  return std::nullopt;
}

// --- profiles -----------------------------------------------------------------------------

SandboxResponse create_profile_action(ApiContext& c, const json::object& data) {
  const json::object& attributes = attributes_of(data);
  if (auto refused = check_profile_attributes(attributes, "/data/attributes")) return *refused;
  if (const Resource* existing = find_profile(c.store, attributes))
    return error_response(409, "duplicate_profile", "Conflict.", "A profile already exists with one of these identifiers.",
                          "/data/attributes", json::object{{"duplicate_profile_id", existing->at("id")}});
  return created(c, create_profile(c.store, attributes, c.now_iso));
}

SandboxResponse profile_import(ApiContext& c, const json::object& data) {
  json::object attributes = attributes_of(data);
  if (const auto* id = data.if_contains("id"); id && id->is_string())
    if (Resource* by_id = c.store.find("profile", std::string(id->get_string()))) {
      merge_into(by_id->at("attributes").as_object(), attributes);
      c.store.touch();
      return created(c, *by_id, 200);
    }
  if (auto refused = check_profile_attributes(attributes, "/data/attributes")) return *refused;
  const Upserted result = upsert_profile(c.store, attributes, c.now_iso);
  return created(c, *result.profile, result.created ? 201 : 200);
}

// Subscribing, unsubscribing, suppressing and lifting suppression: `profiles` rows in, consent
// out, and list membership for subscriptions.
SandboxResponse consent_job(ApiContext& c, const json::object& data, bool subscriptions, bool on) {
  const auto rows = nested_rows(attributes_of(data), "profiles");
  if (rows.empty()) return invalid("profiles must hold at least one profile.", "/data/attributes/profiles");
  Resource* list = nullptr;
  if (const std::string list_id = linked_id(data, "list"); !list_id.empty()) {
    list = c.store.find("list", list_id);
    if (!list) return error_response(404, "not_found", "Not found.", "No list with id '" + list_id + "' exists.");
  }
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (auto refused = check_profile_attributes(attributes_of(rows[i]), "/data/attributes/profiles/data/" + std::to_string(i)))
      return *refused;
  for (const auto& row : rows) {
    const json::object& attributes = attributes_of(row);
    Resource* profile = upsert_profile(c.store, attributes, c.now_iso).profile;
    if (!subscriptions) {
      set_suppressed(*profile, on, c.now_iso);
      continue;
    }
    // The channels the row names; an email alone means email marketing.
    std::set<std::string> channels;
    if (const auto* subs = attributes.if_contains("subscriptions"); subs && subs->is_object())
      for (const auto& [channel, ignored] : subs->get_object()) channels.emplace(channel);
    if (channels.empty()) channels.emplace(attributes.contains("email") ? "email" : "sms");
    for (const auto& channel : channels) set_consent(*profile, channel, on ? "SUBSCRIBED" : "UNSUBSCRIBED", c.now_iso);
    if (list && on) add_link(*list, "profiles", "profile", std::string(profile->at("id").as_string()));
  }
  c.store.touch();
  const Route& route = *c.match.route;
  if (!route.spec->job) return accepted();
  return job_accepted(c, make_job(c.jobs, route.spec->body.type, c.store.next_id(route.spec->body.type),
                                  static_cast<int>(rows.size()), 0, c.now));
}

SandboxResponse subscribe(ApiContext& c, const json::object& data) { return consent_job(c, data, true, true); }
SandboxResponse unsubscribe(ApiContext& c, const json::object& data) { return consent_job(c, data, true, false); }
SandboxResponse suppress(ApiContext& c, const json::object& data) { return consent_job(c, data, false, true); }
SandboxResponse unsuppress(ApiContext& c, const json::object& data) { return consent_job(c, data, false, false); }

// /client/subscriptions: one profile under attributes.profile.
SandboxResponse client_subscribe(ApiContext& c, const json::object& data) {
  json::object wrapped = data;
  json::object attributes = attributes_of(data);
  attributes["profiles"] = json::object{{"data", json::array{}}};
  for (const auto& row : nested_rows(attributes_of(data), "profile"))
    attributes["profiles"].get_object()["data"].get_array().push_back(row);
  wrapped["attributes"] = std::move(attributes);
  return consent_job(c, wrapped, true, true);
}

SandboxResponse bulk_import(ApiContext& c, const json::object& data) {
  const auto rows = nested_rows(attributes_of(data), "profiles");
  if (rows.empty()) return invalid("profiles must hold at least one profile.", "/data/attributes/profiles");
  const std::string type = c.match.route->spec->body.type;
  Resource job = make_job(c.jobs, type, c.store.next_id(type), static_cast<int>(rows.size()), 0, c.now);
  std::vector<Resource*> lists;
  for (const auto& link : [&] {
         const auto* relationships = data.if_contains("relationships");
         const auto* l = relationships && relationships->is_object() ? relationships->get_object().if_contains("lists") : nullptr;
         const auto* d = l && l->is_object() ? l->get_object().if_contains("data") : nullptr;
         return d ? linked_ids(*d) : std::vector<std::string>{};
       }()) {
    Resource* list = c.store.find("list", link);
    if (!list) return error_response(404, "not_found", "Not found.", "No list with id '" + link + "' exists.");
    lists.push_back(list);
    add_link(job, "lists", "list", link);
  }
  int failed = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json::object& attributes = attributes_of(rows[i]);
    const std::string pointer = "/data/attributes/profiles/data/" + std::to_string(i);
    if (auto refused = check_profile_attributes(attributes, pointer)) {
      // A bad row fails on its own; the rest of the import goes on.
      ++failed;
      Resource& error = c.store.put(json::object{
          {"type", "import-error"},
          {"id", c.store.next_id("import-error")},
          {"attributes", json::object{{"code", "invalid"},
                                      {"title", "Invalid profile."},
                                      {"detail", json::parse(refused->body).at("errors").at(0).at("detail")},
                                      {"source", json::object{{"pointer", pointer}}},
                                      {"original_payload", attributes}}},
          {"relationships", json::object{}}});
      add_link(job, "import-errors", "import-error", std::string(error.at("id").as_string()));
      continue;
    }
    Resource* profile = upsert_profile(c.store, attributes, c.now_iso).profile;
    const std::string id(profile->at("id").as_string());
    add_link(job, "profiles", "profile", id);
    for (Resource* list : lists) add_link(*list, "profiles", "profile", id);
  }
  job.at("_sandbox").as_object()["failed"] = failed;
  return job_accepted(c, std::move(job));
}

SandboxResponse merge_profiles(ApiContext& c, const json::object& data) {
  const auto* id = data.if_contains("id");
  if (!id || !id->is_string()) return invalid("data.id must name the profile to keep.", "/data/id");
  Resource* keep = c.store.find("profile", std::string(id->get_string()));
  if (!keep) return error_response(404, "not_found", "Not found.", "No profile with id '" + std::string(id->get_string()) + "'.");
  const auto* relationships = data.if_contains("relationships");
  const auto* profiles = relationships && relationships->is_object() ? relationships->get_object().if_contains("profiles") : nullptr;
  const auto* links = profiles && profiles->is_object() ? profiles->get_object().if_contains("data") : nullptr;
  for (const auto& source : links ? linked_ids(*links) : std::vector<std::string>{}) {
    const Resource* merged = c.store.find("profile", source);
    if (!merged || source == std::string(id->get_string())) continue;
    // The kept profile takes the other's attributes where it has none.
    json::object& kept = keep->at("attributes").as_object();
    for (const auto& [key, value] : merged->at("attributes").as_object())
      if (!kept.contains(key) || kept[key].is_null()) kept[key] = value;
    c.store.erase("profile", source);
  }
  return accepted();
}

SandboxResponse request_deletion(ApiContext& c, const json::object& data) {
  for (const auto& row : nested_rows(attributes_of(data), "profile")) {
    Resource* profile = nullptr;
    if (const auto* id = row.if_contains("id"); id && id->is_string()) profile = c.store.find("profile", std::string(id->get_string()));
    if (!profile) profile = find_profile(c.store, attributes_of(row));
    if (profile) c.store.erase("profile", std::string(profile->at("id").as_string()));
  }
  return accepted();
}

// --- events -------------------------------------------------------------------------------

Resource& metric_named(ApiContext& c, const std::string& name) {
  for (Resource* metric : c.store.all_mutable("metric"))
    if (const auto* n = attribute_at(*metric, "name"); n && n->is_string() && n->get_string() == name) return *metric;
  return create_resource(c.store, "metric",
                         json::object{{"attributes", json::object{{"name", name},
                                                                  {"integration", json::object{{"name", "API"},
                                                                                               {"category", "API"}}}}}},
                         c.now_iso);
}

std::optional<SandboxResponse> record_event(ApiContext& c, const json::object& event, const json::object& profile_row) {
  const auto metrics = nested_rows(attributes_of(event), "metric");
  const auto* name = metrics.empty() ? nullptr : attributes_of(metrics.front()).if_contains("name");
  if (!name || !name->is_string() || name->get_string().empty())
    return invalid("An event needs metric.data.attributes.name.", "/data/attributes/metric");
  Resource* profile = nullptr;
  if (const auto* id = profile_row.if_contains("id"); id && id->is_string())
    profile = c.store.find("profile", std::string(id->get_string()));
  if (!profile) {
    if (auto refused = check_profile_attributes(attributes_of(profile_row), "/data/attributes/profile")) return refused;
    profile = upsert_profile(c.store, attributes_of(profile_row), c.now_iso).profile;
  }
  Resource& metric = metric_named(c, std::string(name->get_string()));
  const json::object& given = attributes_of(event);
  const std::string profile_id(profile->at("id").as_string()), metric_id(metric.at("id").as_string());
  // Klaviyo keeps one event per unique_id for a profile and metric.
  if (const auto* unique = given.if_contains("unique_id"); unique && unique->is_string())
    for (const Resource* e : c.store.all("event"))
      if (const auto* u = attribute_at(*e, "uuid"); u && *u == *unique &&
          filter_field_value(*e, "profile_id") == json::value(profile_id) &&
          filter_field_value(*e, "metric_id") == json::value(metric_id))
        return std::nullopt;
  std::string datetime = c.now_iso;
  if (const auto* time = given.if_contains("time"); time && time->is_string()) datetime = std::string(time->get_string());
  json::object attributes{{"datetime", datetime},
                          {"timestamp", std::chrono::duration_cast<std::chrono::seconds>(c.now.time_since_epoch()).count()},
                          {"event_properties", given.contains("properties") ? given.at("properties") : json::object{}},
                          {"uuid", given.contains("unique_id") ? given.at("unique_id") : json::value(c.store.next_id("event-uuid"))}};
  if (const auto* value = given.if_contains("value")) attributes["event_properties"].as_object()["$value"] = *value;
  c.store.put(json::object{
      {"type", "event"},
      {"id", c.store.next_id("event")},
      {"attributes", std::move(attributes)},
      {"relationships", json::object{{"metric", json::object{{"data", json::object{{"type", "metric"}, {"id", metric_id}}}}},
                                     {"profile", json::object{{"data", json::object{{"type", "profile"}, {"id", profile_id}}}}}}}});
  profile->at("attributes").as_object()["last_event_date"] = datetime;
  return std::nullopt;
}

SandboxResponse create_event(ApiContext& c, const json::object& data) {
  const auto profiles = nested_rows(attributes_of(data), "profile");
  if (profiles.empty()) return invalid("An event needs profile.data.", "/data/attributes/profile");
  if (auto refused = record_event(c, data, profiles.front())) return *refused;
  return accepted();
}

SandboxResponse bulk_events(ApiContext& c, const json::object& data) {
  const json::object& attributes = attributes_of(data);
  for (const auto& [key, ignored] : attributes)
    for (const auto& row : nested_rows(attributes, key)) {
      const auto profiles = nested_rows(attributes_of(row), "profile");
      if (profiles.empty()) return invalid("Each row needs profile.data.", "/data/attributes/" + std::string(key));
      for (const auto& event : nested_rows(attributes_of(row), "events"))
        if (auto refused = record_event(c, event, profiles.front())) return *refused;
    }
  return accepted();
}

// --- campaigns ----------------------------------------------------------------------------

SandboxResponse create_campaign(ApiContext& c, const json::object& data) {
  json::object body = data;
  json::object attributes = attributes_of(data);
  const auto messages = nested_rows(attributes, "campaign-messages");
  attributes.erase("campaign-messages");
  body["attributes"] = attributes;
  Resource& campaign = create_resource(c.store, "campaign", body, c.now_iso);
  const std::string campaign_id(campaign.at("id").as_string());
  for (const auto& message : messages) {
    json::object row = message;
    row["relationships"] = json::object{{"campaign", json::object{{"data", json::object{{"type", "campaign"}, {"id", campaign_id}}}}}};
    Resource& stored = create_resource(c.store, "campaign-message", row, c.now_iso);
    add_link(*c.store.find("campaign", campaign_id), "campaign-messages", "campaign-message",
             std::string(stored.at("id").as_string()));
  }
  return created(c, *c.store.find("campaign", campaign_id));
}

// The profiles a campaign would reach: its included lists' and segments' members who may get
// email marketing, less the excluded ones.
std::size_t recipients(const ResourceStore& store, const Resource& campaign) {
  auto members = [&](const json::value* ids) {
    std::set<std::string> out;
    if (!ids || !ids->is_array()) return out;
    for (const auto& id : ids->get_array()) {
      if (!id.is_string()) continue;
      for (const char* type : {"list", "segment"})
        if (const Resource* audience = store.find(type, std::string(id.get_string()))) {
          const auto* rel = audience->if_contains("relationships");
          const auto* profiles = rel && rel->is_object() ? rel->get_object().if_contains("profiles") : nullptr;
          const auto* data = profiles && profiles->is_object() ? profiles->get_object().if_contains("data") : nullptr;
          for (const auto& p : data ? linked_ids(*data) : std::vector<std::string>{}) out.insert(p);
        }
    }
    return out;
  };
  std::set<std::string> reached = members(attribute_at(campaign, "audiences.included"));
  for (const auto& excluded : members(attribute_at(campaign, "audiences.excluded"))) reached.erase(excluded);
  return static_cast<std::size_t>(std::count_if(reached.begin(), reached.end(), [&](const std::string& id) {
    const Resource* profile = store.find("profile", id);
    const json::value* can = profile ? attribute_at(*profile, "subscriptions.email.marketing.can_receive_email_marketing") : nullptr;
    return can && can->is_bool() && can->as_bool();
  }));
}

Resource* campaign_of(ApiContext& c, const json::object& data, std::optional<SandboxResponse>& refused) {
  const auto* id = data.if_contains("id");
  if (!id || !id->is_string()) {
    refused = invalid("data.id must be the campaign's id.", "/data/id");
    return nullptr;
  }
  Resource* campaign = c.store.find("campaign", std::string(id->get_string()));
  if (!campaign) refused = error_response(404, "not_found", "Not found.", "No campaign with id '" + std::string(id->get_string()) + "'.");
  return campaign;
}

SandboxResponse send_campaign(ApiContext& c, const json::object& data) {
  std::optional<SandboxResponse> refused;
  Resource* campaign = campaign_of(c, data, refused);
  if (!campaign) return *refused;
  const json::value* status = attribute_at(*campaign, "status");
  if (!status || !status->is_string() || status->get_string() != "Draft")
    return invalid("Only a draft campaign can be sent; this one is " + (status ? json::serialize(*status) : "unknown") + ".");
  const std::string id(campaign->at("id").as_string());
  if (c.store.find("campaign-send-job", id)) c.store.erase("campaign-send-job", id);
  const int total = static_cast<int>(recipients(c.store, *campaign));
  campaign->at("attributes").as_object()["status"] = "Sending";
  return job_accepted(c, make_job(c.jobs, "campaign-send-job", id, total, 0, c.now, "campaign_sent", id));
}

SandboxResponse estimate_recipients(ApiContext& c, const json::object& data) {
  std::optional<SandboxResponse> refused;
  Resource* campaign = campaign_of(c, data, refused);
  if (!campaign) return *refused;
  const std::string id(campaign->at("id").as_string());
  c.store.erase("campaign-recipient-estimation-job", id);
  return job_accepted(c, make_job(c.jobs, "campaign-recipient-estimation-job", id, 0, 0, c.now, "estimated", id));
}

SandboxResponse clone(ApiContext& c, const json::object& data, const std::string& type) {
  const auto* id = data.if_contains("id");
  const Resource* original = id && id->is_string() ? c.store.find(type, std::string(id->get_string())) : nullptr;
  if (!original) return error_response(404, "not_found", "Not found.", "No " + type + " with that id to clone.", "/data/id");
  json::object copy{{"attributes", original->at("attributes")}};
  merge_into(copy["attributes"].as_object(), attributes_of(data));
  if (type == "campaign") copy["attributes"].as_object()["status"] = "Draft";
  return created(c, create_resource(c.store, type, copy, c.now_iso));
}

SandboxResponse clone_campaign(ApiContext& c, const json::object& data) { return clone(c, data, "campaign"); }
SandboxResponse clone_template(ApiContext& c, const json::object& data) { return clone(c, data, "template"); }

SandboxResponse assign_template(ApiContext& c, const json::object& data) {
  const auto* id = data.if_contains("id");
  Resource* message = id && id->is_string() ? c.store.find("campaign-message", std::string(id->get_string())) : nullptr;
  if (!message) return error_response(404, "not_found", "Not found.", "No campaign message with that id.", "/data/id");
  const std::string template_id = linked_id(data, "template");
  if (!c.store.find("template", template_id))
    return error_response(404, "not_found", "Not found.", "No template with id '" + template_id + "'.");
  object_member(*message, "relationships")["template"] =
      json::object{{"data", json::object{{"type", "template"}, {"id", template_id}}}};
  c.store.touch();
  return created(c, *message, 200);
}

// --- templates, coupons, reporting --------------------------------------------------------

SandboxResponse render(ApiContext& c, const json::object& data) {
  const auto* id = data.if_contains("id");
  const Resource* original = id && id->is_string() ? c.store.find("template", std::string(id->get_string())) : nullptr;
  if (!original) return error_response(404, "not_found", "Not found.", "No template with that id.", "/data/id");
  const auto* context = attributes_of(data).if_contains("context");
  const json::object empty;
  const json::object& values = context && context->is_object() ? context->get_object() : empty;
  json::object attributes = original->at("attributes").as_object();
  for (const char* part : {"html", "text"})
    if (const auto* text = attributes.if_contains(part); text && text->is_string())
      attributes[part] = render_template_text(text->get_string(), values);
  json::object rendered{{"type", "template"}, {"id", original->at("id")}, {"attributes", std::move(attributes)}};
  return document_response(201, json::object{{"data", std::move(rendered)}});
}

std::optional<SandboxResponse> check_coupon_code(ApiContext& c, const json::object& row, const std::string& pointer) {
  const std::string coupon = linked_id(row, "coupon");
  if (coupon.empty() || !c.store.find("coupon", coupon))
    return invalid("A coupon code belongs to an existing coupon: relationships.coupon names none ('" + coupon + "').",
                   pointer + "/relationships/coupon");
  const auto* code = attributes_of(row).if_contains("unique_code");
  if (!code || !code->is_string() || code->get_string().empty())
    return invalid("unique_code is required.", pointer + "/attributes/unique_code");
  for (const Resource* existing : c.store.all("coupon-code"))
    if (const auto* other = attribute_at(*existing, "unique_code"); other && *other == *code)
      return error_response(409, "duplicate", "Conflict.", "The code " + json::serialize(*code) + " already exists.",
                            pointer + "/attributes/unique_code");
  return std::nullopt;
}

SandboxResponse create_coupon_code(ApiContext& c, const json::object& data) {
  if (auto refused = check_coupon_code(c, data, "/data")) return *refused;
  return created(c, create_resource(c.store, "coupon-code", data, c.now_iso));
}

SandboxResponse bulk_coupon_codes(ApiContext& c, const json::object& data) {
  const auto rows = nested_rows(attributes_of(data), "coupon-codes");
  int failed = 0;
  for (const auto& row : rows) {
    if (check_coupon_code(c, row, "/data")) {
      ++failed;
      continue;
    }
    create_resource(c.store, "coupon-code", row, c.now_iso);
  }
  const std::string type = c.match.route->spec->body.type;
  return job_accepted(c, make_job(c.jobs, type, c.store.next_id(type), static_cast<int>(rows.size()), failed, c.now));
}

SandboxResponse metric_aggregates(ApiContext& c, const json::object& data) {
  const json::object& attributes = attributes_of(data);
  const auto* metric_id = attributes.if_contains("metric_id");
  if (!metric_id || !metric_id->is_string() || !c.store.find("metric", std::string(metric_id->get_string())))
    return invalid("metric_id must name an existing metric.", "/data/attributes/metric_id");
  std::vector<ResourceFilter> filters;
  if (const auto* given = attributes.if_contains("filter"); given && given->is_array())
    for (const auto& f : given->get_array()) {
      if (!f.is_string()) continue;
      auto parsed = ResourceFilter::parse(f.get_string());
      if (auto* error = std::get_if<std::string>(&parsed)) return invalid("Invalid filter: " + *error, "/data/attributes/filter");
      filters.push_back(std::get<ResourceFilter>(std::move(parsed)));
    }
  double count = 0, sum = 0;
  std::set<std::string> people;
  for (const Resource* event : c.store.all("event")) {
    if (filter_field_value(*event, "metric_id") != json::value(*metric_id)) continue;
    if (!std::all_of(filters.begin(), filters.end(), [&](const ResourceFilter& f) { return f.matches(*event); })) continue;
    ++count;
    if (const auto* value = attribute_at(*event, "event_properties.$value"); value && value->is_number()) sum += value->to_number<double>();
    if (auto p = filter_field_value(*event, "profile_id"); p && p->is_string()) people.insert(std::string(p->get_string()));
  }
  json::object measurements;
  if (const auto* wanted = attributes.if_contains("measurements"); wanted && wanted->is_array())
    for (const auto& m : wanted->get_array()) {
      if (!m.is_string()) continue;
      const double v = m.get_string() == "count" ? count : m.get_string() == "sum_value" ? sum
                       : m.get_string() == "unique" ? double(people.size()) : 0.0;
      measurements[m.get_string()] = json::array{v};
    }
  return document_response(200, json::object{{"data", json::object{
      {"type", "metric-aggregate"},
      {"id", c.store.next_id("metric-aggregate")},
      {"attributes", json::object{{"dates", json::array{c.now_iso}},
                                  {"data", json::array{json::object{{"dimensions", json::array{}},
                                                                    {"measurements", std::move(measurements)}}}}}}}}});
}

SandboxResponse report(ApiContext& c, const json::object&) {
  // Nothing is ever sent from a sandbox, so every report is empty.
  return document_response(200, json::object{{"data", json::object{
      {"type", c.match.route->spec->body.type},
      {"id", c.store.next_id("report")},
      {"attributes", json::object{{"results", json::array{}}}}}}});
}

SandboxResponse upload_image(ApiContext& c, const json::object&) {
  return created(c, create_resource(c.store, "image",
                                    json::object{{"attributes", json::object{{"name", "upload"},
                                                                             {"image_url", c.base_url + "/images/upload.png"}}}},
                                    c.now_iso));
}

// --- catalogs -----------------------------------------------------------------------------

// catalog-{item,category,variant}-bulk-{create,update,delete}-jobs: rows under the plural
// attribute, applied at once, counted by the job.
SandboxResponse catalog_bulk(ApiContext& c, const json::object& data) {
  const std::string& collection = c.match.route->collection;  // "catalog-item-bulk-create-jobs"
  const std::string kind = collection.substr(8, collection.find("-bulk-") - 8);  // "item"
  const std::string action = collection.substr(collection.find("-bulk-") + 6, 6);  // "create" / "update" / "delete"
  const std::string type = "catalog-" + kind;
  const std::string plural = kind == "category" ? "categories" : kind + "s";
  const auto rows = nested_rows(attributes_of(data), plural);
  int failed = 0;
  for (const auto& row : rows) {
    std::string id;
    if (const auto* i = row.if_contains("id"); i && i->is_string()) id = std::string(i->get_string());
    if (action == "create") {
      const auto* external = attributes_of(row).if_contains("external_id");
      if (!external || !external->is_string() || c.store.find(type, "$custom:::$default:::" + std::string(external->get_string()))) {
        ++failed;
        continue;
      }
      create_resource(c.store, type, row, c.now_iso);
    } else if (Resource* existing = c.store.find(type, id); !existing) {
      ++failed;
    } else if (action == "update") {
      merge_into(existing->at("attributes").as_object(), attributes_of(row));
      c.store.touch();
    } else {
      c.store.erase(type, id);
    }
  }
  const std::string job_type = c.match.route->spec->body.type;
  return job_accepted(c, make_job(c.jobs, job_type, c.store.next_id(job_type), static_cast<int>(rows.size()), failed, c.now));
}

const std::map<std::string_view, Action>& actions() {
  static const std::map<std::string_view, Action> kActions = {
      {"profiles", create_profile_action},
      {"profile-import", profile_import},
      {"profile-subscription-bulk-create-jobs", subscribe},
      {"profile-subscription-bulk-delete-jobs", unsubscribe},
      {"profile-suppression-bulk-create-jobs", suppress},
      {"profile-suppression-bulk-delete-jobs", unsuppress},
      {"subscriptions", client_subscribe},
      {"profile-bulk-import-jobs", bulk_import},
      {"profile-merge", merge_profiles},
      {"data-privacy-deletion-jobs", request_deletion},
      {"events", create_event},
      {"event-bulk-create-jobs", bulk_events},
      {"event-bulk-create", bulk_events},
      {"campaigns", create_campaign},
      {"campaign-send-jobs", send_campaign},
      {"campaign-recipient-estimation-jobs", estimate_recipients},
      {"campaign-clone", clone_campaign},
      {"template-clone", clone_template},
      {"campaign-message-assign-template", assign_template},
      {"template-render", render},
      {"coupon-codes", create_coupon_code},
      {"coupon-code-bulk-create-jobs", bulk_coupon_codes},
      {"metric-aggregates", metric_aggregates},
      {"image-upload", upload_image},
  };
  return kActions;
}

}  // namespace

SandboxResponse run_action(ApiContext& c, const json::value& data_value) {
  const Route& route = *c.match.route;
  static const json::object kEmpty;
  const json::object& data = data_value.is_object() ? data_value.get_object() : kEmpty;
  if (const auto it = actions().find(route.collection); it != actions().end()) return it->second(c, data);
  if (route.collection.starts_with("catalog-") && route.collection.find("-bulk-") != std::string::npos)
    return catalog_bulk(c, data);
  if (route.collection.ends_with("-reports")) return report(c, data);
  if (route.spec->job) {
    const std::string type = route.spec->body.type;
    return job_accepted(c, make_job(c.jobs, type, c.store.next_id(type), 1, 0, c.now));
  }
  if (!data_value.is_object() && route.spec->body.kind != BodySpec::Kind::none)
    return invalid("The body must be {\"data\": {...}}.", "/data");
  const std::string type = route.spec->body.type.empty() ? route.type : route.spec->body.type;
  Resource& stored = create_resource(c.store, type, data, c.now_iso);
  if (route.spec->response_kind == "empty" || route.client) return accepted();
  return created(c, stored);
}

void complete_job(ResourceStore& store, Resource& job, const std::string& now_iso) {
  const json::object& book = job.at("_sandbox").as_object();
  const std::string effect(book.at("effect").as_string()), target(book.at("target").as_string());
  if (effect == "campaign_sent") {
    if (Resource* campaign = store.find("campaign", target)) {
      json::object& attributes = campaign->at("attributes").as_object();
      attributes["status"] = "Sent";
      attributes["send_time"] = now_iso;
    }
  } else if (effect == "estimated") {
    if (const Resource* campaign = store.find("campaign", target))
      store.put(json::object{{"type", "campaign-recipient-estimation"},
                             {"id", target},
                             {"attributes", json::object{{"estimated_recipient_count", recipients(store, *campaign)}}},
                             {"relationships", json::object{}}});
  }
  store.touch();
}

}  // namespace kmcp::sandbox
