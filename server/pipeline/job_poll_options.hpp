#pragma once
// How often `wait` polls a job (job_waiter.hpp): a short first wait, growing for long jobs.
#include "server/core/clock.hpp"

namespace kmcp {

struct JobPollOptions {
  Millis first_interval{1000};  // doubles after each poll...
  Millis max_interval{5000};    // ...up to this
};

}  // namespace kmcp
