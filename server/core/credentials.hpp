#pragma once
// What the server presents to Klaviyo for one account. Secrets live only here and in the
// outbound Authorization header; nothing else may print them.
#include <string>

namespace kmcp {

struct AccountCredentials {
  std::string account = "default";  // a label for logs and rate buckets, never a secret
  std::string private_key;          // "pk_..." -> Authorization: Klaviyo-API-Key <key>
  std::string oauth_token;          // alternative -> Authorization: Bearer <token>
  std::string public_key;           // company id for /client/* operations

  bool has_private() const { return !private_key.empty() || !oauth_token.empty(); }
};

}  // namespace kmcp
