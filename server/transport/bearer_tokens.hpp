#pragma once
// The bearer tokens HTTP clients authenticate with, and the Klaviyo accounts each may act for.
// Only SHA-256 digests are kept; a presented token is compared with every one in constant time,
// so neither timing nor an early exit tells how much of a guess was right.
#include <array>
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kmcp {

struct TokenGrant {
  std::string label;                  // for logs: "token-3" (its line), never the token
  std::vector<std::string> accounts;  // the accounts it may use, first = its default; empty = all
  bool may_use(std::string_view account) const;
};

class BearerTokens {
 public:
  // One token per line: `TOKEN [ACCOUNT[,ACCOUNT...]]`; blank lines and `#` comments skipped.
  // Errors name the line. `source` names the file in them.
  static boost::system::result<BearerTokens, std::string> parse(std::string_view text, std::string_view source);
  // Adds a token that may use every account (KLAVIYO_MCP_HTTP_TOKEN).
  void add(std::string_view token, std::string label, std::vector<std::string> accounts = {});

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  // The grant of an `Authorization: Bearer <token>` header value; nullptr when it names none.
  const TokenGrant* check(std::string_view authorization) const;
  // Accounts some token names, to check against the configured ones at startup.
  std::vector<std::string> named_accounts() const;

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Entry {
    Digest digest;
    TokenGrant grant;
  };
  static Digest digest_of(std::string_view token);
  std::vector<Entry> entries_;
};

}  // namespace kmcp
