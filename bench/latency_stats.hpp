#pragma once
// Percentiles of one run's latencies, and medians across runs.
#include <cstdint>
#include <vector>

namespace kmcp::bench {

// The q-quantile (0..1, nearest rank) of `samples` in microseconds; 0 when empty. Reorders them.
double percentile_us(std::vector<std::uint32_t>& samples, double q);

// The median of `values` (the mean of the middle two for an even count); 0 when empty.
double median(std::vector<double> values);

}  // namespace kmcp::bench
