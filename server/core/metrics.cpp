#include "server/core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace kmcp {
namespace {

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof text, v);
  (void)ec;
  return std::string(text, end);
}

// The exposition format escapes backslash, double quote and newline in label values.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void append_labels(std::string& out, const Metrics::Labels& labels, std::string_view le = {}) {
  if (labels.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    append_label_value(out, value);
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

// HELP text escapes backslash and newline.
std::string help_text(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

void Metrics::declare(std::string name, Type type, std::string help, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  if (!std::is_sorted(bounds.begin(), bounds.end())) throw std::logic_error("histogram bounds must ascend: " + name);
  if (!families_.emplace(name, Family{type, std::move(help), std::move(bounds), {}}).second)
    throw std::logic_error("metric declared twice: " + name);
}

void Metrics::declare_counter(std::string name, std::string help) {
  declare(std::move(name), Type::counter, std::move(help), {});
}
void Metrics::declare_gauge(std::string name, std::string help) {
  declare(std::move(name), Type::gauge, std::move(help), {});
}
void Metrics::declare_histogram(std::string name, std::string help, std::vector<double> bounds) {
  declare(std::move(name), Type::histogram, std::move(help), std::move(bounds));
}

Metrics::Series& Metrics::series_of(std::string_view name, Type type, const Labels& labels) {
  auto family = families_.find(name);
  if (family == families_.end()) throw std::logic_error("undeclared metric: " + std::string(name));
  if (family->second.type != type && !(type == Type::gauge && family->second.type == Type::counter))
    throw std::logic_error("metric of another type: " + std::string(name));
  Series& series = family->second.series[labels];
  if (type == Type::histogram && series.buckets.empty()) series.buckets.assign(family->second.bounds.size(), 0);
  return series;
}

void Metrics::add(std::string_view name, const Labels& labels, double by) {
  std::lock_guard lock(mutex_);
  // add() serves counters and gauges alike; only a gauge may go down.
  auto family = families_.find(name);
  if (family != families_.end() && family->second.type == Type::counter && by < 0)
    throw std::logic_error("a counter cannot decrease: " + std::string(name));
  series_of(name, Type::gauge, labels).value += by;
}

void Metrics::set(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family != families_.end() && family->second.type != Type::gauge)
    throw std::logic_error("only a gauge can be set: " + std::string(name));
  series_of(name, Type::gauge, labels).value = value;
}

void Metrics::observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  Series& series = series_of(name, Type::histogram, labels);
  const auto& bounds = families_.find(name)->second.bounds;
  const auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  if (static_cast<std::size_t>(at) < series.buckets.size()) ++series.buckets[at];
  series.value += value;
  ++series.count;
}

double Metrics::value(std::string_view name, const Labels& labels) const {
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end()) throw std::logic_error("undeclared metric: " + std::string(name));
  auto series = family->second.series.find(labels);
  if (series == family->second.series.end()) return 0;
  return family->second.type == Type::histogram ? static_cast<double>(series->second.count) : series->second.value;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + help_text(family.help) + "\n";
    out += "# TYPE " + name + " " + std::string(kTypes[static_cast<int>(family.type)]) + "\n";
    // An unlabelled counter or gauge shows 0 before anything is recorded, as scrapers expect.
    if (family.series.empty() && family.type != Type::histogram) out += name + " 0\n";
    for (const auto& [labels, series] : family.series) {
      if (family.type != Type::histogram) {
        out += name;
        append_labels(out, labels);
        out += " " + number(series.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < family.bounds.size(); ++i) {
        cumulative += series.buckets[i];
        out += name + "_bucket";
        append_labels(out, labels, number(family.bounds[i]));
        out += " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket";
      append_labels(out, labels, "+Inf");
      out += " " + std::to_string(series.count) + "\n";
      out += name + "_sum";
      append_labels(out, labels);
      out += " " + number(series.value) + "\n";
      out += name + "_count";
      append_labels(out, labels);
      out += " " + std::to_string(series.count) + "\n";
    }
  }
  return out;
}

}  // namespace kmcp
