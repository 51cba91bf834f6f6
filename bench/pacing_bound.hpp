#pragma once
// The least time any client could take for N calls on one endpoint without a 429 from Klaviyo,
// whose burst (1 s) and steady (60 s) windows are fixed at a phase the client cannot know.
//
// Not knowing the phase, a client must treat every instant as a possible window start: every
// half-open span [t, t + 1 s) may hold at most `burst` calls and every [t, t + 60 s) at most
// `steady`. With the calls in order s_0 <= s_1 <= ..., that is exactly
//     s_i >= s_(i-burst) + 1 s   and   s_i >= s_(i-steady) + 60 s,
// so s_i >= t_i for the greedy schedule t_0 = 0, t_i = max(t_(i-1), t_(i-burst) + 1,
// t_(i-steady) + 60), which itself obeys both: the last call cannot go before t_(N-1), and it
// ends one call's latency later. For N <= steady, t_(N-1) = floor((N - 1) / burst) =
// ceil(N / burst) - 1 seconds. (A client that knew the phase could put two bursts on either
// side of one boundary and save up to a second; Klaviyo publishes no phase, so none can.)
#include <chrono>

namespace kmcp::bench {

// t_(N-1) above, in whole seconds: when the last of `calls` calls may go at the earliest.
std::chrono::seconds earliest_last_call(int calls, int burst, int steady);

}  // namespace kmcp::bench
