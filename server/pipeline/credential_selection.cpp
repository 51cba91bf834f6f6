#include "server/pipeline/credential_selection.hpp"

namespace kmcp {

boost::system::result<SelectedCredentials, ToolError> select_credentials(
    const std::map<std::string, AccountCredentials>& accounts, const std::string& account, bool public_key_auth,
    std::string_view key_env_var) {
  auto it = accounts.find(account);
  if (it == accounts.end()) {
    ToolError error{"auth", "No Klaviyo credentials are configured for account '" + account +
                                "'. Use an account this server is configured for."};
    error.details["account"] = account;
    return error;
  }
  const AccountCredentials& credentials = it->second;
  if (public_key_auth) {
    if (credentials.public_key.empty()) {
      ToolError error{"auth",
                      "This tool uses Klaviyo's client API, which needs the account's public key (company id), and "
                      "none is configured. Set the KLAVIYO_PUBLIC_KEY environment variable (or --public-key) and "
                      "restart the server."};
      error.details["setting"] = "KLAVIYO_PUBLIC_KEY";
      return error;
    }
    return SelectedCredentials{&credentials, credentials.account + ":public"};
  }
  if (!credentials.has_private()) {
    std::string var(key_env_var);
    ToolError error{"auth", "No Klaviyo API key is configured. Set the " + var +
                                " environment variable (or --api-key) to a private key (pk_...) with the scopes "
                                "this tool needs, and restart the server."};
    error.details["setting"] = var;
    return error;
  }
  // The request presents the private key when there is one (build_klaviyo_request).
  const bool oauth = credentials.private_key.empty();
  return SelectedCredentials{&credentials, oauth ? credentials.account + ":oauth" : credentials.account};
}

}  // namespace kmcp
