#include "server/app/config_file_lines.hpp"

#include <cctype>

namespace kmcp {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Whether `key` appears in `message` as a whole word (not as part of a longer option name).
bool names_key(const std::string& message, const std::string& key) {
  for (std::size_t at = message.find(key); at != std::string::npos; at = message.find(key, at + 1)) {
    const auto part_of_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
    const bool starts = at == 0 || !part_of_name(message[at - 1]) || message.compare(at >= 2 ? at - 2 : 0, 2, "--") == 0;
    const std::size_t end = at + key.size();
    if (starts && (end == message.size() || !part_of_name(message[end]))) return true;
  }
  return false;
}

}  // namespace

std::map<std::string, int> config_key_lines(std::string_view text) {
  std::map<std::string, int> lines;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '[') continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key(trim(line.substr(0, eq)));
    if (!key.empty()) lines.emplace(key, number);
  }
  return lines;
}

std::string locate_config_error(const std::string& message, const std::string& file,
                                const std::map<std::string, int>& lines) {
  // The longest key first: "max-result-chars" before a shorter key it contains.
  const std::pair<const std::string, int>* best = nullptr;
  for (const auto& entry : lines) {
    if (names_key(message, entry.first) && (!best || entry.first.size() > best->first.size())) best = &entry;
  }
  if (!best) return message;
  return file + ":" + std::to_string(best->second) + ": " + message;
}

}  // namespace kmcp
