#include "server/pipeline/filter_expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace kmcp {
namespace {

constexpr std::array<std::string_view, 12> kOperators = {
    "equals",       "less-than",    "less-or-equal", "greater-than", "greater-or-equal", "contains",
    "contains-any", "contains-all", "ends-with",     "starts-with",  "any",              "has"};

enum class ValueKind { string, number, boolean, null, datetime, list };

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Counts digits from `i`, advancing it.
std::size_t digits(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i - start;
}

bool is_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (digits(s, i) == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits(s, i) == 0) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits(s, i) == 0) return false;
  }
  return i == s.size();
}

bool take(std::string_view s, std::size_t& i, char c) {
  if (i < s.size() && s[i] == c) {
    ++i;
    return true;
  }
  return false;
}

// Exactly `n` digits at `i`.
bool take_digits(std::string_view s, std::size_t& i, std::size_t n) { return digits(s, i) == n; }

// 2024-01-01, 2024-01-01T10:00, 2024-01-01T10:00:00.123Z, 2022-11-08T00:00:00+00:00
bool is_datetime(std::string_view s) {
  std::size_t i = 0;
  if (!take_digits(s, i, 4) || !take(s, i, '-') || !take_digits(s, i, 2) || !take(s, i, '-') ||
      !take_digits(s, i, 2))
    return false;
  if (i == s.size()) return true;
  if (!take(s, i, 'T') || !take_digits(s, i, 2) || !take(s, i, ':') || !take_digits(s, i, 2)) return false;
  if (take(s, i, ':')) {
    if (!take_digits(s, i, 2)) return false;
    if (take(s, i, '.') && digits(s, i) == 0) return false;
  }
  if (i == s.size() || (take(s, i, 'Z') && i == s.size())) return i == s.size();
  if (!take(s, i, '+') && !take(s, i, '-')) return false;
  if (!take_digits(s, i, 2)) return false;
  take(s, i, ':');
  return take_digits(s, i, 2) && i == s.size();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string describe_fields(const FilterFields& fields) {
  constexpr std::size_t kMaxListed = 25;  // keeps the message short on wide endpoints
  std::string out;
  std::size_t listed = 0;
  for (const auto& [field, ops] : fields) {
    if (listed++ == kMaxListed) {
      out += ", ...";
      break;
    }
    if (!out.empty()) out += "; ";
    out += field + " (" + join(ops) + ")";
  }
  return out;
}

class FilterParser {
 public:
  FilterParser(std::string_view text, const FilterFields& fields, const FilterLimits& limits)
      : text_(text), fields_(fields), limits_(limits) {}

  std::optional<std::string> run() {
    if (text_.size() > limits_.max_length)
      return "The filter is " + std::to_string(text_.size()) + " characters long; the limit is " +
             std::to_string(limits_.max_length) + ". Split the query or use fewer conditions.";
    skip_space();
    if (pos_ == text_.size()) return "The filter is empty. Give a condition such as equals(field,\"value\").";
    // Top-level conditions separated by commas are an implicit and().
    for (;;) {
      if (!parse_expression(0)) return error_;
      skip_space();
      if (!take(text_, pos_, ',')) break;
    }
    if (pos_ != text_.size()) {
      fail("unexpected '" + std::string(1, text_[pos_]) + "'; conditions are separated by commas");
      return error_;
    }
    return std::nullopt;
  }

 private:
  bool parse_expression(std::size_t depth) {
    skip_space();
    std::size_t start = pos_;
    std::string_view word = read_word();
    if (word.empty()) return fail("expected a condition such as equals(field,\"value\")");
    skip_space();
    if (!take(text_, pos_, '('))
      return fail("expected '(' after '" + std::string(word) + "'", start);
    if (word == "and" || word == "or" || word == "not") {
      if (depth + 1 > limits_.max_depth)
        return fail("and/or/not are nested deeper than " + std::to_string(limits_.max_depth) + " levels", start);
      if (!parse_expression(depth + 1)) return false;
      skip_space();
      if (word != "not") {
        while (take(text_, pos_, ',')) {
          if (!parse_expression(depth + 1)) return false;
          skip_space();
        }
      }
      return expect(')', word == "not" ? "not(...) takes exactly one condition" : "expected ',' or ')'");
    }
    if (std::find(kOperators.begin(), kOperators.end(), word) == kOperators.end()) {
      std::vector<std::string> names(kOperators.begin(), kOperators.end());
      return fail("unknown operator '" + std::string(word) + "'; use and, or, not or one of: " + join(names),
                  start);
    }
    return parse_condition(word);
  }

  bool parse_condition(std::string_view op) {
    skip_space();
    std::size_t field_start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' ||
                                   text_[pos_] == '.' || text_[pos_] == '$'))
      ++pos_;
    std::string field(text_.substr(field_start, pos_ - field_start));
    if (field.empty()) return fail("expected a field name after '" + std::string(op) + "('");
    if (!check_field(field, op, field_start)) return false;
    skip_space();
    if (op == "has" && take(text_, pos_, ')')) return true;
    if (!expect(',', "expected ',' and a value after the field")) return false;
    std::size_t value_start = pos_;
    ValueKind kind{};
    if (!parse_value(kind, true)) return false;
    skip_space();
    if (!expect(')', "expected ')' after the value")) return false;

    const bool wants_list = op == "any" || op == "contains-any" || op == "contains-all";
    if (wants_list && kind != ValueKind::list)
      return fail(std::string(op) + "() takes a list, e.g. " + std::string(op) + "(" + field + ",[\"a\",\"b\"])",
                  value_start);
    const bool scalar_only = op.starts_with("less-") || op.starts_with("greater-") || op == "starts-with" ||
                             op == "ends-with";
    if (scalar_only && kind == ValueKind::list)
      return fail(std::string(op) + "() takes a single value, not a list", value_start);
    return true;
  }

  bool check_field(const std::string& field, std::string_view op, std::size_t at) {
    // A spec without declared filter fields leaves field checks to Klaviyo.
    if (fields_.empty()) return true;
    auto it = fields_.find(field);
    if (it == fields_.end())
      return fail("field '" + field + "' cannot be filtered by this tool. Filterable fields: " +
                      describe_fields(fields_),
                  at);
    if (std::find(it->second.begin(), it->second.end(), op) == it->second.end())
      return fail("operator '" + std::string(op) + "' is not supported on field '" + field +
                      "'; use one of: " + join(it->second),
                  at);
    return true;
  }

  bool parse_value(ValueKind& kind, bool allow_list) {
    skip_space();
    if (pos_ == text_.size()) return fail("expected a value");
    char c = text_[pos_];
    if (c == '"' || c == '\'') {
      kind = ValueKind::string;
      return parse_string();
    }
    if (c == '[') {
      if (!allow_list) return fail("lists cannot be nested");
      kind = ValueKind::list;
      return parse_list();
    }
    std::size_t start = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           std::string_view(",()[]\"'").find(text_[pos_]) == std::string_view::npos)
      ++pos_;
    std::string_view token = text_.substr(start, pos_ - start);
    if (token.empty()) return fail("expected a value", start);
    if (token == "true" || token == "false") {
      kind = ValueKind::boolean;
    } else if (token == "null") {
      kind = ValueKind::null;
    } else if (is_number(token)) {
      kind = ValueKind::number;
    } else if (is_datetime(token)) {
      kind = ValueKind::datetime;
    } else {
      return fail("unquoted value '" + std::string(token) + "'; put text in double quotes, e.g. \"" +
                      std::string(token) + "\" (dates such as 2024-01-01T00:00:00Z stay unquoted)",
                  start);
    }
    return true;
  }

  bool parse_string() {
    std::size_t start = pos_;
    char quote = text_[pos_++];
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ == text_.size()) break;
        ++pos_;
      } else if (c == quote) {
        return true;
      }
    }
    return fail("unterminated string", start);
  }

  bool parse_list() {
    ++pos_;  // '['
    skip_space();
    if (take(text_, pos_, ']')) return true;
    do {
      ValueKind kind{};
      if (!parse_value(kind, false)) return false;
      skip_space();
    } while (take(text_, pos_, ','));
    return expect(']', "expected ',' or ']' in the list");
  }

  std::string_view read_word() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-'))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool expect(char c, std::string_view message) {
    skip_space();
    if (take(text_, pos_, c)) return true;
    return fail(std::string(message));
  }

  bool fail(std::string message) { return fail(std::move(message), pos_); }
  bool fail(std::string message, std::size_t at) {
    error_ = "Invalid filter at character " + std::to_string(at + 1) + ": " + message + ".";
    return false;
  }

  std::string_view text_;
  const FilterFields& fields_;
  const FilterLimits& limits_;
  std::size_t pos_ = 0;
  std::optional<std::string> error_;
};

}  // namespace

std::optional<std::string> check_filter_expression(std::string_view expression, const FilterFields& fields,
                                                   const FilterLimits& limits) {
  return FilterParser(expression, fields, limits).run();
}

}  // namespace kmcp
