#pragma once
// The secrets this process holds (Klaviyo keys, OAuth tokens, HTTP bearer tokens), to cut out of
// anything it writes: log lines and tool results. Klaviyo never echoes a key, but a reflected
// value (a profile property, an upstream error quoting a header) must not carry one out either.
// Thread-safe once built: read-only.
#include <string>
#include <string_view>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

inline constexpr std::string_view kRedacted = "[redacted]";

class SecretRedactor {
 public:
  SecretRedactor() = default;
  // Secrets shorter than 8 characters are ignored: they would cut ordinary words.
  explicit SecretRedactor(std::vector<std::string> secrets);

  bool empty() const { return secrets_.empty(); }
  // Replaces every occurrence of a secret in `text`; whether any was found.
  bool redact(std::string& text) const;
  // The same for every string (keys too) inside `value`.
  bool redact(json::value& value) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace kmcp
