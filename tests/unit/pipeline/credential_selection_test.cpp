#include <doctest/doctest.h>

#include "server/pipeline/credential_selection.hpp"

namespace kmcp {
namespace {

std::map<std::string, AccountCredentials> one_account(std::string private_key, std::string oauth_token,
                                                      std::string public_key = "") {
  AccountCredentials credentials;
  credentials.account = "acme";
  credentials.private_key = std::move(private_key);
  credentials.oauth_token = std::move(oauth_token);
  credentials.public_key = std::move(public_key);
  return {{"acme", credentials}};
}

std::string rate_account(const std::map<std::string, AccountCredentials>& accounts, bool public_key_auth) {
  auto selected = select_credentials(accounts, "acme", public_key_auth, "KLAVIYO_API_KEY");
  REQUIRE(selected.has_value());
  return selected->rate_account;
}

TEST_CASE("rate buckets are kept per account and per quota Klaviyo keeps: private keys, OAuth app, public key") {
  // Every private key of an account spends one quota: the bare account label.
  CHECK(rate_account(one_account("pk_a", ""), false) == "acme");
  // An OAuth app has a quota of its own on the account it is installed on.
  CHECK(rate_account(one_account("", "oauth-token"), false) == "acme:oauth");
  // Both set: the request presents the private key, so the call spends the private-key quota.
  CHECK(rate_account(one_account("pk_a", "oauth-token"), false) == "acme");
  // Client endpoints are counted by company id, apart from any key.
  CHECK(rate_account(one_account("pk_a", "", "PUBK1"), true) == "acme:public");
  CHECK(rate_account(one_account("", "oauth-token", "PUBK1"), true) == "acme:public");
}

TEST_CASE("a missing credential names the setting that fixes it") {
  auto no_private = select_credentials(one_account("", "", "PUBK1"), "acme", false, "KLAVIYO_API_KEY");
  REQUIRE_FALSE(no_private.has_value());
  CHECK(no_private.error().details.at("setting") == "KLAVIYO_API_KEY");
  auto no_public = select_credentials(one_account("pk_a", ""), "acme", true, "KLAVIYO_API_KEY");
  REQUIRE_FALSE(no_public.has_value());
  CHECK(no_public.error().details.at("setting") == "KLAVIYO_PUBLIC_KEY");
  auto unknown = select_credentials(one_account("pk_a", ""), "globex", false, "KLAVIYO_API_KEY");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().details.at("account") == "globex");
}

}  // namespace
}  // namespace kmcp
