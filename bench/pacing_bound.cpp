#include "bench/pacing_bound.hpp"

#include <algorithm>
#include <vector>

namespace kmcp::bench {

std::chrono::seconds earliest_last_call(int calls, int burst, int steady) {
  if (calls <= 0) return std::chrono::seconds(0);
  std::vector<long long> at(static_cast<std::size_t>(calls), 0);  // whole seconds suffice
  for (int i = 1; i < calls; ++i) {
    long long t = at[i - 1];
    if (i >= burst) t = std::max(t, at[i - burst] + 1);
    if (i >= steady) t = std::max(t, at[i - steady] + 60);
    at[i] = t;
  }
  return std::chrono::seconds(at.back());
}

}  // namespace kmcp::bench
