#include "server/pipeline/confirmation_tokens.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "server/pipeline/random_source.hpp"

namespace kmcp {
namespace {

void append_canonical(std::string& out, const json::value& value) {
  if (!value.is_object() && !value.is_array()) {
    out += json::serialize(value);
    return;
  }
  if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : value.get_array()) {
      if (!first) out += ',';
      first = false;
      append_canonical(out, item);
    }
    out += ']';
    return;
  }
  std::vector<const json::key_value_pair*> members;
  for (const auto& member : value.get_object()) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  out += '{';
  bool first = true;
  for (const auto* member : members) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(json::string(member->key()));
    out += ':';
    append_canonical(out, member->value());
  }
  out += '}';
}

std::string hex128(RandomSource& random) {
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random.next()),
                static_cast<unsigned long long>(random.next()));
  return text;
}

}  // namespace

std::string new_confirmation_token(RandomSource& random) { return "confirm-" + hex128(random); }

std::string confirmation_binding(std::string_view tool, std::string_view account, const json::object& args) {
  std::string binding;
  binding += tool;
  binding += '\n';
  binding += account;
  binding += '\n';
  append_canonical(binding, args);
  return binding;
}

ConfirmationTokens::ConfirmationTokens(const Clock& clock, RandomSource& random, std::chrono::seconds lifetime,
                                       std::size_t capacity)
    : clock_(clock), random_(random), lifetime_(lifetime), capacity_(std::max<std::size_t>(capacity, 1)) {}

std::string ConfirmationTokens::issue(std::string binding) {
  std::lock_guard lock(mutex_);
  forget_expired_or_oldest();
  std::string token = new_confirmation_token(random_);
  tokens_[token] = Entry{std::move(binding), clock_.now() + lifetime_};
  issued_.push_back(token);
  return token;
}

ConfirmationTokens::Redeemed ConfirmationTokens::redeem(const std::string& token, const std::string& binding) {
  std::lock_guard lock(mutex_);
  const auto it = tokens_.find(token);
  if (it == tokens_.end()) return Redeemed::unknown;
  const Entry entry = std::move(it->second);
  tokens_.erase(it);  // single use: presented once, gone
  if (clock_.now() >= entry.expires) return Redeemed::expired;
  if (entry.binding != binding) return Redeemed::mismatch;
  return Redeemed::ok;
}

std::size_t ConfirmationTokens::size() const {
  std::lock_guard lock(mutex_);
  return tokens_.size();
}

void ConfirmationTokens::forget_expired_or_oldest() {
  // Tokens expire in issue order (one lifetime for all), so the oldest are at the front.
  const auto now = clock_.now();
  while (!issued_.empty()) {
    const auto it = tokens_.find(issued_.front());
    const bool gone = it == tokens_.end();
    const bool expired = !gone && now >= it->second.expires;
    if (!gone && !expired && tokens_.size() < capacity_) break;
    if (!gone) tokens_.erase(it);
    issued_.pop_front();
  }
  // Redeemed tokens behind a live one keep their name in the queue; drop them now and then.
  if (issued_.size() > 2 * capacity_) std::erase_if(issued_, [this](const std::string& t) { return !tokens_.contains(t); });
}

}  // namespace kmcp
