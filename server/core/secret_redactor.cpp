#include "server/core/secret_redactor.hpp"

#include <algorithm>

namespace kmcp {

SecretRedactor::SecretRedactor(std::vector<std::string> secrets) {
  for (auto& secret : secrets)
    if (secret.size() >= 8 && std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end())
      secrets_.push_back(std::move(secret));
  // Longest first, so a secret containing another is cut whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

bool SecretRedactor::redact(std::string& text) const {
  bool found = false;
  for (const auto& secret : secrets_) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size())) {
      text.replace(at, secret.size(), kRedacted);
      found = true;
    }
  }
  return found;
}

bool SecretRedactor::redact(json::value& value) const {
  if (secrets_.empty()) return false;
  bool found = false;
  if (auto* s = value.if_string()) {
    std::string text(*s);
    if (redact(text)) {
      *s = text;
      found = true;
    }
  } else if (auto* a = value.if_array()) {
    for (auto& item : *a) found |= redact(item);
  } else if (auto* o = value.if_object()) {
    bool in_keys = false;
    for (auto& [key, item] : *o) {
      found |= redact(item);
      std::string name(key);
      in_keys |= redact(name);
    }
    if (in_keys) {
      json::object rebuilt;
      for (auto& [key, item] : *o) {
        std::string name(key);
        redact(name);
        rebuilt[name] = std::move(item);
      }
      *o = std::move(rebuilt);
      found = true;
    }
  }
  return found;
}

}  // namespace kmcp
