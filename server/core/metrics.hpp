#pragma once
// Counters, gauges and histograms, rendered for /metrics in the Prometheus text format (0.0.4).
// Families are declared once, at startup, by the composition root; recording is thread-safe.
// Label values are caller data (tool names, statuses), never secrets or account keys.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmcp {

class Metrics {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  void declare_counter(std::string name, std::string help);
  void declare_gauge(std::string name, std::string help);
  // `bounds` are the buckets' upper bounds, ascending; +Inf is added.
  void declare_histogram(std::string name, std::string help, std::vector<double> bounds);

  // Recording into an undeclared family, or one of another type, is a programming error
  // (std::logic_error).
  void add(std::string_view counter_or_gauge, const Labels& labels = {}, double by = 1);
  void set(std::string_view gauge, const Labels& labels, double value);
  void observe(std::string_view histogram, const Labels& labels, double value);

  // One family's value (counters and gauges; histograms give their count), 0 when never recorded.
  double value(std::string_view name, const Labels& labels = {}) const;
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Series {
    double value = 0;  // counter or gauge; a histogram's sum
    std::uint64_t count = 0;
    std::vector<std::uint64_t> buckets;  // not cumulative
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;
    std::map<Labels, Series> series;
  };
  void declare(std::string name, Type type, std::string help, std::vector<double> bounds);
  Series& series_of(std::string_view name, Type type, const Labels& labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace kmcp
