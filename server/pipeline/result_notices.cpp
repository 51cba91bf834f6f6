#include "server/pipeline/result_notices.hpp"

namespace kmcp {
namespace {

constexpr std::size_t kNamesListed = 12;

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kNamesListed; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kNamesListed) out += " and " + std::to_string(names.size() - kNamesListed) + " more";
  return out;
}

std::string budget(std::size_t max_chars) { return std::to_string(max_chars) + " characters"; }

std::string raise_budget() {
  return "the operator can raise the limit with --max-result-chars (KLAVIYO_MCP_MAX_RESULT_CHARS)";
}

}  // namespace

json::object with_notice(const json::object& out, std::string notice) {
  json::object with;
  with["notice"] = std::move(notice);
  for (const auto& [key, value] : out)
    if (key != "notice") with[key] = value;
  return with;
}

std::string record_too_large_notice(const std::vector<std::string>& omitted,
                                    const std::vector<std::string>& fieldset_args, std::size_t max_chars) {
  std::string text = "The record is larger than the result limit of " + budget(max_chars) + ", so these were left out: " +
                     joined(omitted) + " (listed in omitted_fields). ";
  if (!fieldset_args.empty())
    text += "Ask only for the fields you need with " + joined(fieldset_args) + " (sparse fieldsets), or ";
  else
    text += "If you need them, ";
  return text + raise_budget() + ".";
}

std::string list_cut_notice(std::size_t shown, std::size_t read, std::size_t max_chars, bool can_continue,
                            const std::vector<std::string>& fieldset_args) {
  std::string text = "Cut to fit the result limit of " + budget(max_chars) + ": " + std::to_string(shown) + " of " +
                     std::to_string(read) + " records shown. ";
  if (can_continue)
    text += "Pass next_cursor as page_cursor (same other arguments) to continue from record " +
            std::to_string(shown + 1) + ". ";
  else
    text += "This tool cannot page; narrow the request (filter) to see the rest. ";
  text += "For more records per call, ask for fewer fields";
  if (!fieldset_args.empty()) text += " (" + joined(fieldset_args) + ")";
  return text + ".";
}

std::string paging_stopped_notice(std::size_t pages_read, const std::string& error_kind,
                                  const std::string& error_message, bool can_continue) {
  std::string text = "Stopped after " + std::to_string(pages_read) + (pages_read == 1 ? " page" : " pages") +
                     " because the next page failed (" + error_kind + ": " + error_message + ").";
  if (can_continue) text += " Pass next_cursor as page_cursor to read on from there.";
  return text;
}

}  // namespace kmcp
