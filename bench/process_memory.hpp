#pragma once
// A process's resident memory as Linux reports it in /proc/PID/status.
#include <optional>

namespace kmcp::bench {

struct MemoryReading {
  long rss_kib = 0;   // VmRSS: resident now
  long peak_kib = 0;  // VmHWM: the most it has been resident since it started
};

// Nothing when the process is gone or the file cannot be read.
std::optional<MemoryReading> read_memory(int pid);

}  // namespace kmcp::bench
