#include "server/app/account_specs.hpp"

#include <algorithm>
#include <cctype>

namespace kmcp {
namespace {

boost::system::result<AccountCredentials, std::string> fail(std::string message) {
  return {boost::system::in_place_error, std::move(message)};
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool valid_account_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
         });
}

boost::system::result<AccountCredentials, std::string> parse_account_spec(std::string_view spec, const EnvLookup& env,
                                                                          const FileReader& read_file) {
  // Parts are never echoed: a key pasted where its source belongs must not reach the terminal.
  const std::string usage = " (expected NAME=key-env:VAR, key-file:PATH, oauth-env:VAR or oauth-file:PATH, "
                            "optionally followed by ,public-key:ID)";
  const auto equals = spec.find('=');
  if (equals == std::string_view::npos) return fail("--account: no NAME=" + usage);
  AccountCredentials account;
  account.account = std::string(spec.substr(0, equals));
  if (!valid_account_name(account.account))
    return fail("--account: the name before '=' is not a valid account name (letters, digits, -_.)" + usage);
  const std::string where = "--account " + account.account + ": ";
  bool has_secret = false;
  for (std::string_view rest = spec.substr(equals + 1); !rest.empty();) {
    const auto comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (starts_with(part, "public-key:")) {
      account.public_key = std::string(part.substr(11));
      if (account.public_key.empty()) return fail(where + "public-key: needs the company id");
      continue;
    }
    const bool oauth = starts_with(part, "oauth-");
    const std::string_view source = part.substr(oauth ? 6 : 0);
    std::optional<std::string> secret;
    if (!oauth && !starts_with(part, "key-")) return fail(where + "unknown part" + usage);
    if (has_secret) return fail(where + "give one key or OAuth token, not several");
    const std::string_view kind = source.substr(0, source.find(':'));
    const std::string name = source.find(':') == std::string_view::npos ? "" : std::string(source.substr(kind.size() + 1));
    if (name.empty()) return fail(where + "a source names no variable or file" + usage);
    if (kind == "key-env" || kind == "env") {
      secret = env(name);
      if (!secret) return fail(where + "environment variable " + name + " is not set");
    } else if (kind == "key-file" || kind == "file") {
      secret = read_file(name);
      if (!secret) return fail(where + "cannot read " + name);
    } else {
      return fail(where + "unknown part" + usage);
    }
    *secret = trimmed(*secret);
    if (secret->empty()) return fail(where + "the key or token in " + name + " is empty");
    (oauth ? account.oauth_token : account.private_key) = std::move(*secret);
    has_secret = true;
  }
  if (!has_secret && account.public_key.empty()) return fail(where + "no key, token or public key given" + usage);
  return account;
}

}  // namespace kmcp
