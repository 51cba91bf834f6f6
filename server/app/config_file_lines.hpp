#pragma once
// Where each key of a config file stands, so that an error about a key can name its line. The
// file is parsed by CLI11 (TOML-style "key = value" lines); this only finds the lines.
#include <map>
#include <string>
#include <string_view>

namespace kmcp {

// Key (as written, without a [section] prefix) -> 1-based line number of its first setting.
std::map<std::string, int> config_key_lines(std::string_view text);

// `message` with "FILE:LINE: " before it when it names one of `lines`' keys (as "key" or
// "--key"); unchanged otherwise.
std::string locate_config_error(const std::string& message, const std::string& file,
                                const std::map<std::string, int>& lines);

}  // namespace kmcp
