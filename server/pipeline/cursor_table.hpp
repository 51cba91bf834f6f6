#pragma once
// Short page cursors for models. Klaviyo's cursors are long opaque strings, and a cut result must
// resume in the middle of a page, which no Klaviyo cursor can say. So a result's next_cursor is a
// short random token ("cur_" + 12 characters) naming an entry here: Klaviyo's cursor (or none:
// the first page) plus how many records of that page were already shown. Bounded (oldest entries
// go first) and expiring; one table per process, safe to use from several threads.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/core/clock.hpp"

namespace kmcp {

struct CursorEntry {
  std::string account;                     // the account it was issued for
  std::string tool;                        // the tool it continues
  std::optional<std::string> klaviyo_cursor;  // nullopt: the first page
  std::size_t skip = 0;                    // records of that page already shown
  std::optional<std::int64_t> page_size;   // page[size] the page was read with (nullopt: Klaviyo's default)
};

struct CursorTableOptions {
  std::size_t capacity = 10000;
  std::chrono::seconds ttl{3600};
};

class CursorTable {
 public:
  static constexpr std::string_view kPrefix = "cur_";
  static constexpr std::size_t kTokenLength = 16;  // prefix included

  explicit CursorTable(const Clock& clock, CursorTableOptions options = {});

  // Stores `entry` and returns its token.
  std::string issue(CursorEntry entry);
  // The entry of a live token; nullopt when unknown or expired.
  std::optional<CursorEntry> find(std::string_view token) const;

  // True for text shaped like one of our tokens (which may still be unknown or expired).
  static bool looks_like_token(std::string_view text);

 private:
  struct Stored {
    CursorEntry entry;
    SteadyTime expires;
  };
  void evict_locked(SteadyTime now);

  const Clock& clock_;
  CursorTableOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Stored> entries_;
  std::deque<std::string> order_;  // issue order = expiry order, since every entry lives ttl
  std::mt19937_64 random_;
};

}  // namespace kmcp
