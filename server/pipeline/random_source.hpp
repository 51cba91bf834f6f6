#pragma once
// Randomness as a dependency: backoff jitter and generated unique ids draw from it, so tests
// inject a fixed sequence and production a seeded engine.
#include <cstdint>
#include <mutex>
#include <random>

namespace kmcp {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // 64 uniformly random bits.
  virtual std::uint64_t next() = 0;
};

// A 64-bit Mersenne Twister seeded from std::random_device. Thread-safe: HTTP mode runs calls
// on several threads.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  std::uint64_t next() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

// A uniformly random value in [0, bound] (inclusive) from `random`.
std::uint64_t uniform_up_to(RandomSource& random, std::uint64_t bound);

}  // namespace kmcp
