#include "server/pipeline/cursor_table.hpp"

#include <algorithm>

namespace kmcp {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool is_alphanumeric(char c) { return kAlphabet.find(c) != std::string_view::npos; }

}  // namespace

CursorTable::CursorTable(const Clock& clock, CursorTableOptions options)
    : clock_(clock), options_(options), random_(std::random_device{}()) {
  options_.capacity = std::max<std::size_t>(options_.capacity, 1);
}

bool CursorTable::looks_like_token(std::string_view text) {
  return text.size() == kTokenLength && text.starts_with(kPrefix) &&
         std::all_of(text.begin() + kPrefix.size(), text.end(), is_alphanumeric);
}

void CursorTable::evict_locked(SteadyTime now) {
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    const bool gone = it == entries_.end();
    if (!gone && it->second.expires > now && entries_.size() < options_.capacity) break;
    if (!gone) entries_.erase(it);
    order_.pop_front();
  }
}

std::string CursorTable::issue(CursorEntry entry) {
  const SteadyTime now = clock_.now();
  std::lock_guard lock(mutex_);
  evict_locked(now);
  std::string token;
  do {
    token = std::string(kPrefix);
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    while (token.size() < kTokenLength) token += kAlphabet[pick(random_)];
  } while (entries_.contains(token));
  entries_.emplace(token, Stored{std::move(entry), now + options_.ttl});
  order_.push_back(token);
  return token;
}

std::optional<CursorEntry> CursorTable::find(std::string_view token) const {
  const SteadyTime now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(token));
  if (it == entries_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.entry;
}

}  // namespace kmcp
