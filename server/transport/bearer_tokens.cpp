#include "server/transport/bearer_tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>

namespace kmcp {
namespace {

boost::system::result<BearerTokens, std::string> fail(std::string message) {
  return {boost::system::in_place_error, std::move(message)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool token_char(char c) {
  // RFC 6750 token68 characters.
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~+/=").find(c) != std::string_view::npos;
}

bool account_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

}  // namespace

bool TokenGrant::may_use(std::string_view account) const {
  return accounts.empty() || std::find(accounts.begin(), accounts.end(), account) != accounts.end();
}

BearerTokens::Digest BearerTokens::digest_of(std::string_view token) {
  Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
  return digest;
}

void BearerTokens::add(std::string_view token, std::string label, std::vector<std::string> accounts) {
  entries_.push_back(Entry{digest_of(token), TokenGrant{std::move(label), std::move(accounts)}});
}

boost::system::result<BearerTokens, std::string> BearerTokens::parse(std::string_view text, std::string_view source) {
  BearerTokens tokens;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto newline = text.find('\n');
    std::string_view line = trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = std::string(source) + ":" + std::to_string(line_number) + ": ";
    const auto space = line.find_first_of(" \t");
    const std::string_view token = line.substr(0, space);
    const std::string_view rest = space == std::string_view::npos ? std::string_view{} : trim(line.substr(space));
    if (token.size() < 16)
      return fail(where + "a token must be at least 16 characters (use a long random one, e.g. openssl rand -hex 32)");
    if (!std::all_of(token.begin(), token.end(), token_char))
      return fail(where + "a token may hold only letters, digits and -._~+/=");
    std::vector<std::string> accounts;
    for (std::string_view list = rest; !list.empty();) {
      const auto comma = list.find(',');
      const std::string_view name = trim(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      if (name.empty() || !std::all_of(name.begin(), name.end(), account_char))
        return fail(where + "accounts are a comma-separated list of names (letters, digits, -_.)");
      accounts.emplace_back(name);
    }
    tokens.add(token, "token-" + std::to_string(line_number), std::move(accounts));
  }
  return tokens;
}

const TokenGrant* BearerTokens::check(std::string_view authorization) const {
  authorization = trim(authorization);
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size()) return nullptr;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return nullptr;
  const Digest presented = digest_of(trim(authorization.substr(scheme.size())));
  const TokenGrant* found = nullptr;
  for (const auto& entry : entries_)  // every entry, so the time does not say which matched
    if (CRYPTO_memcmp(entry.digest.data(), presented.data(), presented.size()) == 0) found = &entry.grant;
  return found;
}

std::vector<std::string> BearerTokens::named_accounts() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_)
    for (const auto& account : entry.grant.accounts)
      if (std::find(names.begin(), names.end(), account) == names.end()) names.push_back(account);
  return names;
}

}  // namespace kmcp
