#include "server/sandbox/sandbox_api.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>

#include "server/sandbox/api_context.hpp"
#include "server/sandbox/filter_match.hpp"
#include "server/sandbox/profile_book.hpp"
#include "server/sandbox/resource_names.hpp"

namespace kmcp::sandbox {
namespace {

bool has_scope(const SandboxAccount& account, const std::string& needed) {
  if (account.scopes.empty()) return true;
  const std::string area = needed.substr(0, needed.find(':'));
  return std::any_of(account.scopes.begin(), account.scopes.end(), [&](const std::string& held) {
    return held == needed || (needed.ends_with(":read") && held == area + ":write");
  });
}

bool valid_revision(std::string_view revision) {
  // 2026-07-15, optionally with a suffix such as ".pre"
  if (revision.size() < 10) return false;
  for (std::size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? revision[i] != '-' : !std::isdigit(static_cast<unsigned char>(revision[i]))) return false;
  }
  return revision.size() == 10 || revision[10] == '.';
}

std::string not_found_detail(const Route& route, const std::string& id) {
  return "No " + route.type + " with id '" + id + "' exists in this account.";
}

SandboxResponse not_found(const Route& route, const std::string& id) {
  return error_response(404, "not_found", "Not found.", not_found_detail(route, id));
}

// The resources a relation of `owner` names: the links stored on it, or else the resources of
// the related type that link back to it.
std::vector<const Resource*> related_resources(const ResourceStore& store, const Resource& owner, const Route& route,
                                               bool& many) {
  std::vector<const Resource*> out;
  if (const json::value* data = relationship_data(owner, route.relation)) {
    many = data->is_array();
    for (const auto& [type, id] : links_in(*data))
      if (const Resource* r = store.find(type, id)) out.push_back(r);
    return out;
  }
  many = relation_is_many(route.relation);
  return store.linking_to(route.relation_type, std::string(owner.at("type").as_string()),
                          std::string(owner.at("id").as_string()));
}

// Narrows and orders a collection by filter= and sort=; a 400 when either cannot be read.
std::optional<SandboxResponse> filter_and_sort(std::vector<const Resource*>& resources, const QueryParams& query) {
  if (const std::string filter = query_value(query, "filter"); !filter.empty()) {
    auto parsed = ResourceFilter::parse(filter);
    if (auto* error = std::get_if<std::string>(&parsed))
      return error_response(400, "invalid", "Invalid filter.", "Invalid filter provided: " + *error, "",
                            json::object{});
    const ResourceFilter& f = std::get<ResourceFilter>(parsed);
    std::erase_if(resources, [&](const Resource* r) { return !f.matches(*r); });
  }
  if (std::string sort = query_value(query, "sort"); !sort.empty()) {
    const bool descending = sort.front() == '-';
    if (descending) sort.erase(0, 1);
    auto key = [&](const Resource* r) { return filter_field_value(*r, sort).value_or(json::value(nullptr)); };
    std::stable_sort(resources.begin(), resources.end(), [&](const Resource* a, const Resource* b) {
      const json::value ka = key(a), kb = key(b);
      const std::string ta = ka.is_string() ? std::string(ka.get_string()) : json::serialize(ka);
      const std::string tb = kb.is_string() ? std::string(kb.get_string()) : json::serialize(kb);
      if (ka.is_number() && kb.is_number())
        return descending ? ka.to_number<double>() > kb.to_number<double>() : ka.to_number<double>() < kb.to_number<double>();
      return descending ? ta > tb : ta < tb;
    });
  }
  return std::nullopt;
}

SandboxResponse change_relationship(ApiContext& c, Resource& owner, const json::value& data) {
  const Route& route = *c.match.route;
  const auto given = links_in(data);
  if (given.empty() && route.kind != RouteKind::relationship_replace)
    return error_response(400, "invalid", "Invalid input.", "data must hold one or more {type, id} links.",
                          "/data");
  for (const auto& [type, id] : given)
    if (!c.store.find(type, id))
      return error_response(404, "not_found", "Not found.", "No " + type + " with id '" + id + "' exists.", "/data");
  json::value& slot = object_member(owner, "relationships")[route.relation];
  if (!slot.is_object()) slot = json::object{{"data", json::array{}}};
  json::value& stored = slot.get_object()["data"];
  if (!stored.is_array()) stored = json::array{};
  json::array& links = stored.get_array();
  auto same = [](const json::value& v, const std::pair<std::string, std::string>& l) {
    return v.at("type").as_string() == l.first && v.at("id").as_string() == l.second;
  };
  if (route.kind == RouteKind::relationship_replace) links.clear();
  for (const auto& link : given) {
    const auto at = std::find_if(links.begin(), links.end(), [&](const json::value& v) { return same(v, link); });
    if (route.kind == RouteKind::relationship_remove) {
      if (at != links.end()) links.erase(at);
    } else if (at == links.end()) {
      links.push_back(json::object{{"type", link.first}, {"id", link.second}});
    }
  }
  c.store.touch();
  return SandboxResponse{.status = 204};
}

const json::value& data_of(const json::value& body) {
  static const json::value kNull;
  const auto* o = body.if_object();
  const auto* data = o ? o->if_contains("data") : nullptr;
  return data ? *data : kNull;
}

}  // namespace

SandboxApi::SandboxApi(const std::vector<std::shared_ptr<const ToolSpec>>& tools, SandboxAccount account,
                       WallClock clock, ResourceStore& store)
    : routes_(tools), jobs_(tools), account_(std::move(account)), clock_(std::move(clock)), store_(store) {}

SandboxResponse SandboxApi::handle(const SandboxRequest& request, const std::string& base_url) {
  try {
    return serve(request, base_url);
  } catch (const std::exception& e) {
    // A body shaped in a way no handler expected: the client's fault, said as Klaviyo would.
    return error_response(400, "invalid", "Invalid input.", std::string("The request could not be read: ") + e.what());
  }
}

SandboxResponse SandboxApi::serve(const SandboxRequest& request, const std::string& base_url) {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) return error_response(400, "invalid", "Invalid input.", "The request target is not a valid URL.");
  std::string path;
  for (const auto segment : url->segments()) path += "/" + segment;
  QueryParams query;
  for (const auto param : url->params()) query.emplace(param.key, param.value);

  const auto match = routes_.match(request.method, path);
  if (!match) {
    if (routes_.knows_path(path))
      return error_response(405, "method_not_allowed", "Method not allowed.",
                            request.method + " is not allowed on " + path + ".");
    return error_response(404, "not_found", "Not found.", "No API endpoint at " + path + ".");
  }
  const Route& route = *match->route;

  if (route.client) {
    if (query_value(query, "company_id") != account_.public_key)
      return error_response(400, "invalid", "Invalid input.",
                            "company_id must be this account's public API key.", "", json::object{});
  } else {
    const std::string authorization = request.header("authorization");
    if (authorization.empty())
      return error_response(401, "not_authenticated", "Authentication credentials were not provided.",
                            "Missing Authorization header: send 'Klaviyo-API-Key <private key>'.");
    if (authorization != "Klaviyo-API-Key " + account_.private_key)
      return error_response(401, "not_authenticated", "Incorrect authentication credentials.",
                            "The private API key is not valid for this account.");
  }
  const std::string revision = request.header("revision");
  if (revision.empty() || !valid_revision(revision))
    return error_response(400, "invalid", "Invalid input.",
                          revision.empty() ? "Missing revision header (e.g. 2026-07-15)."
                                           : "Invalid revision header '" + revision + "'.");

  json::value body;
  if (!request.body.empty()) {
    const std::string type = request.header("content-type");
    const bool multipart = type.starts_with("multipart/form-data");
    if (!type.starts_with("application/vnd.api+json") && !type.starts_with("application/json") && !multipart)
      return error_response(415, "unsupported_media_type", "Unsupported media type.",
                            "Content-Type must be application/vnd.api+json, not '" + type + "'.");
    if (!multipart) {
      boost::system::error_code ec;
      body = json::parse(request.body, ec);
      if (ec) return error_response(400, "parse_error", "Malformed JSON.", "The body is not JSON: " + ec.message());
    }
  }

  for (const std::string& scope : route.spec->scopes)
    if (!has_scope(account_, scope))
      return error_response(403, "permission_denied", "You do not have permission to perform this action.",
                            "This API key is missing the scope " + scope + ".");

  const WallTime now = clock_();
  const std::string account_key = route.client ? account_.public_key : account_.private_key;
  const WindowAnswer window = windows_.admit(account_key + " " + route.spec->name, route.spec->rate.limits,
                                             now.time_since_epoch());
  if (!window.admitted) {
    SandboxResponse throttled = error_response(429, "throttled", "Request was throttled.",
                                               "Request was throttled. Expected available in " +
                                                   std::to_string(window.retry_after_seconds) + " seconds.");
    throttled.headers.emplace_back("Retry-After", std::to_string(window.retry_after_seconds));
    return throttled;
  }

  const std::string now_iso = iso_time(now);
  advance_jobs(store_, jobs_, now, [&](Resource& job) { complete_job(store_, job, now_iso); });
  ApiContext c{store_, jobs_, *match, query, path, base_url, now, now_iso};
  if (request.header("content-type").starts_with("multipart/form-data"))  // an upload: no JSON body
    body = json::object{{"data", json::object{{"type", route.type}, {"attributes", json::object{}}}}};
  const json::value& data = data_of(body);

  SandboxResponse response = [&]() -> SandboxResponse {
    const DocumentContext documents = c.documents();
    switch (route.kind) {
      case RouteKind::list: {
        PageRequest page;
        if (auto problem = read_page(query, page)) return error_response(400, "invalid", "Invalid input.", *problem);
        std::vector<const Resource*> resources = store_.all(route.type);
        if (auto refused = filter_and_sort(resources, query)) return *refused;
        return document_response(200, collection_document(resources, page, documents));
      }
      case RouteKind::get: {
        const Resource* found = store_.find(route.type, match->id);
        if (!found) return not_found(route, match->id);
        return document_response(200, single_document(*found, documents));
      }
      case RouteKind::create: {
        if (!data.is_object())
          return error_response(400, "invalid", "Invalid input.", "The body must be {\"data\": {...}}.", "/data");
        const auto* type = data.get_object().if_contains("type");
        if (!type || !type->is_string() || type->get_string() != route.spec->body.type)
          return error_response(409, "conflict", "Conflict.",
                                "data.type must be '" + route.spec->body.type + "'.", "/data/type");
        return run_action(c, data);
      }
      case RouteKind::action:
        return run_action(c, data);
      case RouteKind::update: {
        Resource* found = store_.find(route.type, match->id);
        if (!found) return not_found(route, match->id);
        if (!data.is_object())
          return error_response(400, "invalid", "Invalid input.", "The body must be {\"data\": {...}}.", "/data");
        const auto* id = data.get_object().if_contains("id");
        if (id && id->is_string() && id->get_string() != match->id)
          return error_response(409, "conflict", "Conflict.", "data.id must match the id in the path.", "/data/id");
        if (const auto* attributes = data.get_object().if_contains("attributes"); attributes && attributes->is_object())
          merge_into(found->at("attributes").as_object(), attributes->get_object());
        if (const auto* relationships = data.get_object().if_contains("relationships");
            relationships && relationships->is_object())
          merge_into(object_member(*found, "relationships"), relationships->get_object());
        json::object& attributes = found->at("attributes").as_object();
        if (attributes.contains("updated")) attributes["updated"] = now_iso;
        if (route.type == "campaign-send-job")  // the only PATCH on a job: cancel it
          if (auto* book = found->if_contains("_sandbox"); book && book->is_object())
            (*book).get_object()["cancelled"] = true;
        store_.touch();
        return document_response(200, single_document(*found, documents));
      }
      case RouteKind::remove:
        if (!store_.erase(route.type, match->id)) return not_found(route, match->id);
        return SandboxResponse{.status = 204};
      case RouteKind::related:
      case RouteKind::relationship_get: {
        const Resource* owner = store_.find(route.type, match->id);
        if (!owner) return not_found(route, match->id);
        bool many = false;
        std::vector<const Resource*> resources = related_resources(store_, *owner, route, many);
        PageRequest page;
        if (auto problem = read_page(query, page)) return error_response(400, "invalid", "Invalid input.", *problem);
        if (auto refused = filter_and_sort(resources, query)) return *refused;
        if (route.kind == RouteKind::relationship_get)
          return document_response(200, linkage_document(resources, many, page, documents));
        if (!many) {
          if (resources.empty()) return document_response(200, json::object{{"data", nullptr}});
          return document_response(200, single_document(*resources.front(), documents));
        }
        return document_response(200, collection_document(resources, page, documents));
      }
      case RouteKind::relationship_add:
      case RouteKind::relationship_remove:
      case RouteKind::relationship_replace: {
        Resource* owner = store_.find(route.type, match->id);
        if (!owner) return not_found(route, match->id);
        return change_relationship(c, *owner, data);
      }
    }
    return error_response(404, "not_found", "Not found.", "No API endpoint at " + path + ".");
  }();
  if (!route.client) {
    response.headers.emplace_back("RateLimit-Limit", std::to_string(window.limit));
    response.headers.emplace_back("RateLimit-Remaining", std::to_string(window.remaining));
    response.headers.emplace_back("RateLimit-Reset", std::to_string(window.reset_seconds));
  }
  return response;
}

}  // namespace kmcp::sandbox
