#include "server/pipeline/random_source.hpp"

#include <array>
#include <algorithm>

namespace kmcp {
namespace {

// The whole engine state from the device, not one 32-bit word: generated unique ids must not
// collide across processes.
std::mt19937_64 seeded_engine() {
  std::random_device device;
  std::array<std::random_device::result_type, std::mt19937_64::state_size * 2> words{};
  for (auto& word : words) word = device();
  std::seed_seq seed(words.begin(), words.end());
  return std::mt19937_64(seed);
}

}  // namespace

SystemRandom::SystemRandom() : engine_(seeded_engine()) {}

std::uint64_t SystemRandom::next() {
  const std::lock_guard lock(mutex_);
  return engine_();
}

std::uint64_t uniform_up_to(RandomSource& random, std::uint64_t bound) {
  // One draw scaled to [0, 1) with 53 bits, then to [0, bound]: no draw is ever rejected, so a
  // scripted source cannot make this loop, and the bias is far below what jitter cares about.
  const double fraction = static_cast<double>(random.next() >> 11) * 0x1.0p-53;
  const auto value = static_cast<std::uint64_t>(fraction * (static_cast<double>(bound) + 1.0));
  return std::min(value, bound);
}

}  // namespace kmcp
