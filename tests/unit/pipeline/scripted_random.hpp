#pragma once
// A RandomSource for tests: fixed draws, or a seeded engine for many different ones.
#include <cstdint>
#include <optional>
#include <random>

#include "server/pipeline/random_source.hpp"

namespace kmcp::test {

// Every draw is `value` (0: no backoff; the maximum: the whole ceiling), until seed() switches
// to a seeded engine.
class ScriptedRandom final : public RandomSource {
 public:
  std::uint64_t next() override { return engine_ ? (*engine_)() : value; }
  void seed(std::uint64_t seed) { engine_.emplace(seed); }
  std::uint64_t value = 0;

 private:
  std::optional<std::mt19937_64> engine_;
};

}  // namespace kmcp::test
