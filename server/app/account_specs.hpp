#pragma once
// Named Klaviyo accounts from --account NAME=SOURCE[,public-key:ID]. SOURCE says where the
// secret is, never the secret itself, so it does not sit in argv or the config file:
//   key-env:VAR    a private key (pk_...) in environment variable VAR
//   key-file:PATH  a private key in a file (e.g. a mounted secret); surrounding space trimmed
//   oauth-env:VAR / oauth-file:PATH   an OAuth access token, sent as Authorization: Bearer
#include <boost/system/result.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/credentials.hpp"

namespace kmcp {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
using FileReader = std::function<std::optional<std::string>(const std::string&)>;

// Errors name the spec's account and what to fix, never a secret.
boost::system::result<AccountCredentials, std::string> parse_account_spec(std::string_view spec, const EnvLookup& env,
                                                                          const FileReader& read_file);

// Whether `name` may label an account (letters, digits, -_.).
bool valid_account_name(std::string_view name);

}  // namespace kmcp
