#pragma once
// Single-use confirmation tokens for destructive calls. A token is random, issued for one exact
// call (tool, account, arguments: the "binding"), valid for a short time on the injected clock,
// and forgotten once presented, whether it matched or not: a token can never run a call the
// human did not see, nor run one twice. Thread-safe: HTTP mode runs calls on several threads.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "server/core/clock.hpp"
#include "server/core/json.hpp"

namespace kmcp {

class RandomSource;

inline constexpr std::chrono::seconds kConfirmationTokenLifetime{300};
inline constexpr std::size_t kMaxConfirmationTokens = 1024;

// What a token is bound to: the tool, the account and the arguments, whose objects are
// serialized with sorted keys so that key order does not matter.
std::string confirmation_binding(std::string_view tool, std::string_view account, const json::object& args);

// A new token's text: "confirm-" and 128 random bits in hex.
std::string new_confirmation_token(RandomSource& random);

class ConfirmationTokens {
 public:
  enum class Redeemed { ok, unknown, expired, mismatch };

  ConfirmationTokens(const Clock& clock, RandomSource& random,
                     std::chrono::seconds lifetime = kConfirmationTokenLifetime,
                     std::size_t capacity = kMaxConfirmationTokens);

  // A fresh token for `binding`. At capacity, the oldest token is forgotten.
  std::string issue(std::string binding);
  // Consumes `token`: ok when it was issued for `binding` and has not expired.
  Redeemed redeem(const std::string& token, const std::string& binding);

  std::chrono::seconds lifetime() const { return lifetime_; }
  std::size_t size() const;

 private:
  struct Entry {
    std::string binding;
    SteadyTime expires;
  };
  void forget_expired_or_oldest();  // mutex_ held

  const Clock& clock_;
  RandomSource& random_;
  const std::chrono::seconds lifetime_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> tokens_;
  std::deque<std::string> issued_;  // oldest first; may name tokens already redeemed
};

}  // namespace kmcp
