#include "bench/process_memory.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace kmcp::bench {

std::optional<MemoryReading> read_memory(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  if (!status) return std::nullopt;
  MemoryReading reading;
  bool found = false;
  for (std::string line; std::getline(status, line);) {
    std::istringstream fields(line);
    std::string key;
    long kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") reading.rss_kib = kib, found = true;
    if (key == "VmHWM:") reading.peak_kib = kib;
  }
  if (!found) return std::nullopt;
  return reading;
}

}  // namespace kmcp::bench
