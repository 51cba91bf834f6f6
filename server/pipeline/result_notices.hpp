#pragma once
// The sentences a cut or stopped result carries under "notice" (first in the result, so a model
// reads it before the data): what was left out, and the call that gets it.
#include <cstddef>
#include <string>
#include <vector>

#include "server/core/json.hpp"

namespace kmcp {

// Characters kept free for the notice while deciding what fits.
inline constexpr std::size_t kNoticeReserve = 600;

// `out` with "notice" as its first member.
json::object with_notice(const json::object& out, std::string notice);

// A single record too large for the budget: which fields were left out and how to ask for fewer.
std::string record_too_large_notice(const std::vector<std::string>& omitted,
                                    const std::vector<std::string>& fieldset_args, std::size_t max_chars);

// A list cut at a record boundary: `shown` of `read` records fit max_chars.
std::string list_cut_notice(std::size_t shown, std::size_t read, std::size_t max_chars, bool can_continue,
                            const std::vector<std::string>& fieldset_args);

// Paging that stopped early on an error: the pages read and why it stopped.
std::string paging_stopped_notice(std::size_t pages_read, const std::string& error_kind,
                                  const std::string& error_message, bool can_continue);

}  // namespace kmcp
