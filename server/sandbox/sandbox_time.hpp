#pragma once
// The simulated account's wall clock: creation times, job progress and rate windows all read it,
// so tests move time by hand.
#include <chrono>
#include <functional>
#include <string>

namespace kmcp::sandbox {

using WallTime = std::chrono::system_clock::time_point;
using WallClock = std::function<WallTime()>;

// "2026-12-07T13:05:09+00:00", Klaviyo's form.
std::string iso_time(WallTime at);
// Milliseconds since the epoch, for internal bookkeeping kept with the state.
long long epoch_ms(WallTime at);

}  // namespace kmcp::sandbox
