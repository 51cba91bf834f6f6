#include "server/klaviyo/klaviyo_request.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace kmcp {
namespace {

// Only unreserved characters stay literal, so the key can never break the query apart.
std::string encode_query_value(std::string_view value) {
  return boost::urls::encode(value, boost::urls::unreserved_chars);
}

std::string with_company_id(std::string target, std::string_view public_key) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += "company_id=";
  target += encode_query_value(public_key);
  return target;
}

}  // namespace

UpstreamRequest build_klaviyo_request(KlaviyoRequestParts parts, const AccountCredentials& credentials) {
  UpstreamRequest request;
  request.method = parts.method;
  request.target = parts.public_key_auth ? with_company_id(std::move(parts.target), credentials.public_key)
                                         : std::move(parts.target);
  if (!parts.public_key_auth) {
    if (!credentials.private_key.empty()) {
      request.headers.emplace_back("Authorization", "Klaviyo-API-Key " + credentials.private_key);
    } else if (!credentials.oauth_token.empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + credentials.oauth_token);
    }
  }
  request.headers.emplace_back("revision", std::move(parts.revision));
  request.headers.emplace_back("Accept", std::string(kJsonApiMediaType));
  if (!parts.body.empty()) request.headers.emplace_back("Content-Type", std::move(parts.content_type));
  request.headers.emplace_back("User-Agent", std::move(parts.user_agent));
  request.body = std::move(parts.body);
  return request;
}

}  // namespace kmcp
