#pragma once
// Suggestions for a misspelt name: the close ones among the names that exist.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kmcp {

// Edits (insert, delete, replace, swap two neighbours) between two names: a typo is one or two.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The likely typos of `name` among `candidates`, closest first, at most `most`: about one edit
// per three characters, ignoring case.
std::vector<std::string> close_matches(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t most = 3);

}  // namespace kmcp
