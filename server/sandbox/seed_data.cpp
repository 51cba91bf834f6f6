#include "server/sandbox/seed_data.hpp"

#include <array>
#include <string>

#include "server/sandbox/profile_book.hpp"

namespace kmcp::sandbox {
namespace {

// A fixed-seed generator, so every sandbox starts from the same store.
class Dice {
 public:
  std::uint64_t next() { return state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL; }
  int below(int n) { return static_cast<int>((next() >> 33) % static_cast<std::uint64_t>(n)); }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) { return items[below(static_cast<int>(N))]; }

 private:
  std::uint64_t state_ = 0x5eed5eed5eedULL;
};

constexpr std::array<const char*, 24> kFirst = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret",
                                                "Ken", "Radia", "Tim", "Frances", "John", "Hedy", "Linus", "Anita",
                                                "Dennis", "Karen", "Niklaus", "Sophie", "Bjarne", "Joan", "Guido",
                                                "Shafi", "Leslie"};
constexpr std::array<const char*, 16> kLast = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth",
                                               "Hamilton", "Thompson", "Perlman", "Berners", "Allen", "Backus",
                                               "Lamarr", "Torvalds", "Borg", "Ritchie"};
constexpr std::array<std::array<const char*, 3>, 6> kPlaces = {{{"Boston", "MA", "US"},
                                                                {"Austin", "TX", "US"},
                                                                {"Seattle", "WA", "US"},
                                                                {"Toronto", "ON", "CA"},
                                                                {"London", "", "GB"},
                                                                {"Berlin", "", "DE"}}};
constexpr std::array<const char*, 8> kProducts = {"Linen Shirt", "Trail Sneaker", "Wool Beanie", "Canvas Tote",
                                                  "Rain Jacket", "Denim Jeans", "Silk Scarf", "Leather Belt"};

json::object link(const std::string& type, const std::string& id) { return json::object{{"type", type}, {"id", id}}; }

std::string put(ResourceStore& store, const std::string& type, json::object attributes, const std::string& now,
                json::object relationships = {}, std::string id = {}) {
  attributes.emplace("created", now);
  attributes.emplace("updated", now);
  if (id.empty()) id = store.next_id(type);
  store.put(json::object{{"type", type}, {"id", id}, {"attributes", std::move(attributes)},
                         {"relationships", std::move(relationships)}});
  return id;
}

void add_member(ResourceStore& store, const std::string& type, const std::string& id, const std::string& relation,
                const std::string& member_type, const std::string& member) {
  Resource* owner = store.find(type, id);
  json::value& slot = object_member(*owner, "relationships")[relation];
  if (!slot.is_object()) slot = json::object{{"data", json::array{}}};
  slot.get_object()["data"].as_array().push_back(link(member_type, member));
}

}  // namespace

void seed_store(ResourceStore& store, WallTime now, SeedSize size) {
  Dice dice;
  const std::string today = iso_time(now);
  auto days_ago = [&](int days, int minutes = 0) {
    return iso_time(now - std::chrono::hours(24 * days) - std::chrono::minutes(minutes));
  };

  put(store, "account",
      {{"contact_information", json::object{{"organization_name", "Sandbox Outfitters (sandbox account)"},
                                            {"default_sender_name", "Sandbox Outfitters"},
                                            {"default_sender_email", "hello@sandbox-outfitters.example"},
                                            {"website_url", "https://sandbox-outfitters.example"}}},
       {"industry", "Apparel & Accessories"},
       {"timezone", "America/New_York"},
       {"preferred_currency", "USD"},
       {"public_api_key", "SbXpub"},
       {"locale", "en-US"}},
      today);

  const std::array<std::string, 4> lists = {
      put(store, "list", {{"name", "Newsletter"}, {"opt_in_process", "double_opt_in"}}, days_ago(400)),
      put(store, "list", {{"name", "VIP Customers"}, {"opt_in_process", "single_opt_in"}}, days_ago(300)),
      put(store, "list", {{"name", "Spring Sale Leads"}, {"opt_in_process", "single_opt_in"}}, days_ago(60)),
      put(store, "list", {{"name", "Wholesale Buyers"}, {"opt_in_process", "single_opt_in"}}, days_ago(200)),
  };
  const std::array<std::string, 2> segments = {
      put(store, "segment", {{"name", "Engaged in the last 30 days"}, {"is_active", true}, {"is_processing", false},
                             {"is_starred", true}}, days_ago(120)),
      put(store, "segment", {{"name", "Spent over $200"}, {"is_active", true}, {"is_processing", false},
                             {"is_starred", false}}, days_ago(90)),
  };

  std::vector<std::string> profiles;
  for (int i = 0; i < size.profiles; ++i) {
    const std::string first = dice.pick(kFirst), last = dice.pick(kLast);
    const auto& place = dice.pick(kPlaces);
    std::string email = first + "." + last + std::to_string(i) + "@example.com";
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json::object attributes{{"email", email},
                            {"first_name", first},
                            {"last_name", last},
                            {"location", json::object{{"city", place[0]}, {"region", place[1]}, {"country", place[2]}}},
                            {"properties", json::object{{"loyalty_tier", dice.pick(std::array<const char*, 3>{"bronze", "silver", "gold"})},
                                                        {"favorite_product", dice.pick(kProducts)}}}};
    if (i % 3 == 0) attributes["phone_number"] = "+1555" + std::to_string(1000000 + i);
    if (i % 5 == 0) attributes["external_id"] = "crm-" + std::to_string(10000 + i);
    const std::string created = days_ago(1 + dice.below(365));
    Resource& profile = create_profile(store, attributes, created);
    const std::string id(profile.at("id").as_string());
    profiles.push_back(id);
    if (i % 4 != 3) set_consent(profile, "email", "SUBSCRIBED", created);
    if (i % 3 == 0 && i % 2 == 0) set_consent(profile, "sms", "SUBSCRIBED", created);
    if (i % 50 == 49) set_suppressed(profile, true, created);
    add_member(store, "list", lists[0], "profiles", "profile", id);
    if (i % 7 == 0) add_member(store, "list", lists[1], "profiles", "profile", id);
    if (i % 5 == 1) add_member(store, "list", lists[2], "profiles", "profile", id);
    if (i % 17 == 0) add_member(store, "list", lists[3], "profiles", "profile", id);
    if (i % 3 == 1) add_member(store, "segment", segments[0], "profiles", "profile", id);
    if (i % 9 == 0) add_member(store, "segment", segments[1], "profiles", "profile", id);
  }

  json::object integration{{"name", "API"}, {"category", "API"}};
  const std::array<std::string, 6> metrics = {
      put(store, "metric", {{"name", "Placed Order"}, {"integration", integration}}, days_ago(400)),
      put(store, "metric", {{"name", "Viewed Product"}, {"integration", integration}}, days_ago(400)),
      put(store, "metric", {{"name", "Added to Cart"}, {"integration", integration}}, days_ago(400)),
      put(store, "metric", {{"name", "Started Checkout"}, {"integration", integration}}, days_ago(400)),
      put(store, "metric", {{"name", "Opened Email"}, {"integration", json::object{{"name", "Klaviyo"}, {"category", "Internal"}}}}, days_ago(400)),
      put(store, "metric", {{"name", "Clicked Email"}, {"integration", json::object{{"name", "Klaviyo"}, {"category", "Internal"}}}}, days_ago(400)),
  };
  for (int i = 0; i < size.events && !profiles.empty(); ++i) {
    const int which = dice.below(static_cast<int>(metrics.size()));
    const std::string& profile = profiles[dice.below(static_cast<int>(profiles.size()))];
    const std::string product = dice.pick(kProducts);
    const double price = 20 + dice.below(180);
    json::object properties{{"ProductName", product}};
    if (which == 0) {
      properties["OrderId"] = "order-" + std::to_string(5000 + i);
      properties["$value"] = price;
    }
    const std::string when = days_ago(dice.below(90), dice.below(1440));
    put(store, "event",
        {{"datetime", when}, {"timestamp", 0}, {"event_properties", std::move(properties)},
         {"uuid", "seed-event-" + std::to_string(i)}},
        when,
        json::object{{"metric", json::object{{"data", link("metric", metrics[which])}}},
                     {"profile", json::object{{"data", link("profile", profile)}}}});
  }

  const std::array<std::string, 3> templates = {
      put(store, "template", {{"name", "Welcome"}, {"editor_type", "CODE"},
                              {"html", "<html><body><h1>Welcome, {{ first_name|default:\"friend\" }}!</h1>"
                                       "<p>Thanks for joining {{ organization.name|default:\"Sandbox Outfitters\" }}.</p></body></html>"},
                              {"text", "Welcome, {{ first_name|default:\"friend\" }}!"}}, days_ago(200)),
      put(store, "template", {{"name", "Spring Sale"}, {"editor_type", "CODE"},
                              {"html", "<html><body><p>Hi {{ first_name|default:\"there\" }}, spring picks are 20% off.</p></body></html>"},
                              {"text", "Hi {{ first_name|default:\"there\" }}, spring picks are 20% off."}}, days_ago(50)),
      put(store, "template", {{"name", "Order Confirmation"}, {"editor_type", "CODE"},
                              {"html", "<html><body><p>Order {{ event.OrderId }} is on its way.</p></body></html>"},
                              {"text", "Order {{ event.OrderId }} is on its way."}}, days_ago(300)),
  };

  auto campaign = [&](const std::string& name, const std::string& status, const std::string& list, int age) {
    const std::string id = put(store, "campaign",
                               {{"name", name}, {"status", status}, {"archived", false},
                                {"audiences", json::object{{"included", json::array{list}}, {"excluded", json::array{}}}},
                                {"send_strategy", json::object{{"method", "immediate"}}},
                                {"send_time", status == "Sent" ? json::value(days_ago(age)) : json::value(nullptr)}},
                               days_ago(age + 2));
    const std::string message = put(
        store, "campaign-message",
        {{"definition", json::object{{"channel", "email"}, {"label", name},
                                     {"content", json::object{{"subject", name}, {"from_email", "hello@sandbox-outfitters.example"},
                                                              {"from_label", "Sandbox Outfitters"}}}}}},
        days_ago(age + 2),
        json::object{{"campaign", json::object{{"data", link("campaign", id)}}},
                     {"template", json::object{{"data", link("template", templates[1])}}}});
    add_member(store, "campaign", id, "campaign-messages", "campaign-message", message);
  };
  campaign("Spring Sale Announcement", "Sent", lists[0], 20);
  campaign("Summer Preview (draft)", "Draft", lists[1], 1);

  for (const auto& [name, trigger] : std::array<std::pair<const char*, const char*>, 2>{{{"Welcome Series", "Added to List"},
                                                                                          {"Abandoned Cart", "Metric"}}}) {
    const std::string flow = put(store, "flow", {{"name", name}, {"status", "live"}, {"archived", false}, {"trigger_type", trigger}},
                                 days_ago(250));
    const std::string action = put(store, "flow-action", {{"action_type", "SEND_EMAIL"}, {"status", "live"}}, days_ago(250),
                                   json::object{{"flow", json::object{{"data", link("flow", flow)}}}});
    add_member(store, "flow", flow, "flow-actions", "flow-action", action);
    const std::string message = put(store, "flow-message", {{"name", std::string(name) + " email 1"}, {"channel", "email"}},
                                    days_ago(250),
                                    json::object{{"flow-action", json::object{{"data", link("flow-action", action)}}},
                                                 {"template", json::object{{"data", link("template", templates[0])}}}});
    add_member(store, "flow-action", action, "flow-messages", "flow-message", message);
  }

  const std::string tag_group = put(store, "tag-group", {{"name", "Seasons"}, {"exclusive", false}, {"default", false}}, days_ago(100));
  for (const char* name : {"Spring", "VIP"}) {
    const std::string tag = put(store, "tag", {{"name", name}}, days_ago(100),
                                json::object{{"tag-group", json::object{{"data", link("tag-group", tag_group)}}}});
    add_member(store, "tag", tag, "lists", "list", std::string(name) == "VIP" ? lists[1] : lists[2]);
    add_member(store, "tag-group", tag_group, "tags", "tag", tag);
  }

  std::vector<std::string> categories;
  for (const char* name : {"Tops", "Footwear", "Accessories"})
    categories.push_back(put(store, "catalog-category", {{"external_id", name}, {"name", name}}, days_ago(300), {},
                             std::string("$custom:::$default:::") + name));
  for (std::size_t i = 0; i < kProducts.size() * 2; ++i) {
    const std::string sku = "SKU-" + std::to_string(100 + i);
    const std::string title = std::string(kProducts[i % kProducts.size()]) + (i >= kProducts.size() ? " (2nd edition)" : "");
    put(store, "catalog-item",
        {{"external_id", sku}, {"title", title}, {"description", "A sandbox product."}, {"price", 20 + 10 * static_cast<int>(i)},
         {"url", "https://sandbox-outfitters.example/p/" + sku}, {"published", true}},
        days_ago(300),
        json::object{{"categories", json::object{{"data", json::array{link("catalog-category", categories[i % categories.size()])}}}}},
        "$custom:::$default:::" + sku);
  }

  for (const auto& [code, description] : std::array<std::pair<const char*, const char*>, 2>{{{"SPRING20", "20% off spring picks"},
                                                                                              {"WELCOME10", "10% off a first order"}}}) {
    put(store, "coupon", {{"external_id", code}, {"description", description}}, days_ago(60), {}, code);
    for (int i = 0; i < 5; ++i)
      put(store, "coupon-code", {{"unique_code", std::string(code) + "-" + std::to_string(1000 + i)}, {"status", "UNASSIGNED"},
                                 {"expires_at", nullptr}},
          days_ago(60), json::object{{"coupon", json::object{{"data", link("coupon", code)}}}});
  }

  for (const char* topic : {"event:klaviyo.sent_sms", "event:klaviyo.opened_email", "event:klaviyo.clicked_email"})
    put(store, "webhook-topic", {{"name", topic}}, days_ago(400), {}, topic);
  put(store, "image", {{"name", "spring-banner.png"}, {"image_url", "https://sandbox-outfitters.example/spring-banner.png"},
                       {"format", "png"}, {"hidden", false}}, days_ago(50));
  put(store, "tracking-setting", {{"auto_add_parameters", true}, {"utm_source", "klaviyo"}, {"utm_medium", "email"}},
      days_ago(400), {}, "SbXpub");
}

}  // namespace kmcp::sandbox
