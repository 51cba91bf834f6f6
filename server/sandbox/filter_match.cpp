#include "server/sandbox/filter_match.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace kmcp::sandbox {

struct ResourceFilter::Node {
  std::string op;                                 // "and", "equals", ...
  std::string field;                              // comparisons
  json::value value;                              // comparisons: the operand
  std::vector<std::shared_ptr<const Node>> args;  // and / or / not
};

namespace {

using NodePtr = std::shared_ptr<const ResourceFilter::Node>;

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::variant<NodePtr, std::string> expression() {
    skip();
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-')) ++i_;
    auto node = std::make_shared<ResourceFilter::Node>();
    node->op = std::string(s_.substr(start, i_ - start));
    if (node->op.empty()) return fail("an operator such as equals(");
    if (!take('(')) return fail("'(' after " + node->op);
    if (node->op == "and" || node->op == "or" || node->op == "not") {
      do {
        auto arg = expression();
        if (auto* error = std::get_if<std::string>(&arg)) return *error;
        node->args.push_back(std::get<NodePtr>(std::move(arg)));
      } while (take(','));
      if (node->op == "not" && node->args.size() != 1) return fail("one expression inside not(...)");
    } else {
      skip();
      const std::size_t field_start = i_;
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ')') ++i_;
      node->field = std::string(trim(s_.substr(field_start, i_ - field_start)));
      if (node->field.empty()) return fail("a field name");
      if (node->op != "has" || peek() == ',') {
        if (!take(',')) return fail("',' and a value after " + node->field);
        auto value = operand();
        if (auto* error = std::get_if<std::string>(&value)) return *error;
        node->value = std::get<json::value>(std::move(value));
      }
    }
    if (!take(')')) return fail("')'");
    return NodePtr(std::move(node));
  }

  bool at_end() {
    skip();
    return i_ == s_.size();
  }
  std::string fail(const std::string& expected) const {
    return "expected " + expected + " at character " + std::to_string(i_ + 1);
  }

 private:
  std::variant<json::value, std::string> operand() {
    skip();
    if (take('[')) {
      json::array items;
      skip();
      if (take(']')) return json::value(std::move(items));
      do {
        auto item = operand();
        if (auto* error = std::get_if<std::string>(&item)) return *error;
        items.push_back(std::get<json::value>(std::move(item)));
      } while (take(','));
      if (!take(']')) return fail("']'");
      return json::value(std::move(items));
    }
    if (peek() == '"' || peek() == '\'') {
      const char quote = s_[i_++];
      std::string text;
      while (i_ < s_.size() && s_[i_] != quote) {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
        text.push_back(s_[i_++]);
      }
      if (!take(quote)) return fail("a closing quote");
      return json::value(std::move(text));
    }
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ')' && s_[i_] != ']') ++i_;
    const std::string_view word = trim(s_.substr(start, i_ - start));
    if (word.empty()) return fail("a value");
    if (word == "true") return json::value(true);
    if (word == "false") return json::value(false);
    if (word == "null") return json::value(nullptr);
    boost::system::error_code ec;
    json::value number = json::parse(word, ec);
    if (!ec && number.is_number()) return number;
    return json::value(std::string(word));  // a date-time, compared as text
  }

  static std::string_view trim(std::string_view v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    return v;
  }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  char peek() {
    skip();
    return i_ < s_.size() ? s_[i_] : '\0';
  }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<double> number_of(const json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  return std::nullopt;
}

// Orders two scalars: numbers by value, anything else by its text (ISO date-times sort as text).
std::optional<int> compare(const json::value& a, const json::value& b) {
  const auto na = number_of(a), nb = number_of(b);
  if (na && nb) return *na < *nb ? -1 : *na > *nb ? 1 : 0;
  if (!a.is_string() || !b.is_string()) return std::nullopt;
  std::string_view x = a.get_string(), y = b.get_string();
  // "2024-01-01T00:00:00+00:00" and "2024-01-01T00:00:00Z" are the same instant.
  auto normal = [](std::string_view t) {
    std::string out(t);
    if (out.ends_with("+00:00")) out.replace(out.size() - 6, 6, "Z");
    return out;
  };
  const std::string nx = normal(x), ny = normal(y);
  return nx < ny ? -1 : nx > ny ? 1 : 0;
}

bool equal(const json::value& a, const json::value& b) {
  const auto c = compare(a, b);
  return c ? *c == 0 : a == b;
}

bool contains(const json::value& haystack, const json::value& needle) {
  if (const auto* items = haystack.if_array())
    return std::any_of(items->begin(), items->end(), [&](const json::value& item) { return equal(item, needle); });
  if (haystack.is_string() && needle.is_string())
    return std::string_view(haystack.get_string()).find(needle.get_string()) != std::string_view::npos;
  return false;
}

bool evaluate(const ResourceFilter::Node& node, const Resource& resource) {
  const std::string& op = node.op;
  if (op == "and")
    return std::all_of(node.args.begin(), node.args.end(), [&](const NodePtr& a) { return evaluate(*a, resource); });
  if (op == "or")
    return std::any_of(node.args.begin(), node.args.end(), [&](const NodePtr& a) { return evaluate(*a, resource); });
  if (op == "not") return !evaluate(*node.args.front(), resource);

  const std::optional<json::value> field = filter_field_value(resource, node.field);
  if (op == "has") return field && !field->is_null() && (!node.value.is_string() || contains(*field, node.value));
  if (!field) return node.value.is_null() && op == "equals";
  const json::value& v = node.value;
  // On a field holding many values (a to-many link, a list of tags) equals and any ask about one.
  auto is = [&](const json::value& o) { return field->is_array() ? contains(*field, o) : equal(*field, o); };
  if (op == "equals") return is(v);
  if (op == "any") {
    const auto* options = v.if_array();
    return options && std::any_of(options->begin(), options->end(), is);
  }
  if (op == "contains") return contains(*field, v);
  if (op == "contains-any" || op == "contains-all") {
    const auto* wanted = v.if_array();
    if (!wanted) return false;
    auto in = [&](const json::value& w) { return contains(*field, w); };
    return op == "contains-any" ? std::any_of(wanted->begin(), wanted->end(), in)
                                : std::all_of(wanted->begin(), wanted->end(), in);
  }
  if (op == "starts-with" || op == "ends-with") {
    if (!field->is_string() || !v.is_string()) return false;
    std::string_view text = field->get_string();
    return op == "starts-with" ? text.starts_with(std::string_view(v.get_string()))
                               : text.ends_with(std::string_view(v.get_string()));
  }
  const auto c = compare(*field, v);
  if (!c) return false;
  if (op == "greater-than") return *c > 0;
  if (op == "greater-or-equal") return *c >= 0;
  if (op == "less-than") return *c < 0;
  if (op == "less-or-equal") return *c <= 0;
  return false;
}

bool known_operator(const ResourceFilter::Node& node) {
  static const std::vector<std::string_view> kKnown = {
      "and",          "or",           "not",           "equals",       "any",          "contains",
      "contains-any", "contains-all", "starts-with",   "ends-with",    "greater-than", "greater-or-equal",
      "less-than",    "less-or-equal", "has"};
  if (std::find(kKnown.begin(), kKnown.end(), node.op) == kKnown.end()) return false;
  return std::all_of(node.args.begin(), node.args.end(), [](const NodePtr& a) { return known_operator(*a); });
}

}  // namespace

std::variant<ResourceFilter, std::string> ResourceFilter::parse(std::string_view expression) {
  Parser parser(expression);
  auto parsed = parser.expression();
  if (auto* error = std::get_if<std::string>(&parsed)) return *error;
  if (!parser.at_end()) return parser.fail("the end of the filter");
  NodePtr root = std::get<NodePtr>(std::move(parsed));
  if (!known_operator(*root)) return std::string("unknown filter operator in: ") + std::string(expression);
  return ResourceFilter(std::move(root));
}

bool ResourceFilter::matches(const Resource& resource) const { return evaluate(*root_, resource); }

std::optional<json::value> filter_field_value(const Resource& resource, std::string_view field) {
  if (field == "id") return resource.at("id");
  if (const json::value* attribute = attribute_at(resource, field)) return *attribute;
  // A relationship's id: "metric_id", "coupon.id", or the relation's own name.
  std::string relation(field);
  if (relation.ends_with("_id")) relation.resize(relation.size() - 3);
  if (relation.ends_with(".id")) relation.resize(relation.size() - 3);
  const auto* relationships = resource.if_contains("relationships");
  if (!relationships || !relationships->is_object()) return std::nullopt;
  for (const std::string& name : {relation, relation + "s"}) {
    const auto* link = relationships->get_object().if_contains(name);
    if (!link || !link->is_object()) continue;
    const auto* data = link->get_object().if_contains("data");
    if (!data) continue;
    const auto ids = linked_ids(*data);
    if (data->is_array()) {
      json::array many;
      for (const auto& id : ids) many.emplace_back(id);
      return json::value(std::move(many));
    }
    if (ids.empty()) return json::value(nullptr);
    return json::value(ids.front());
  }
  return std::nullopt;
}

}  // namespace kmcp::sandbox
