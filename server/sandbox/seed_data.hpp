#pragma once
// A small, realistic store to try things on: an account, lists, a few hundred profiles with
// consent, metrics and events, segments, tags, templates, campaigns, flows, a catalog and
// coupons. Deterministic: the same data (ids included) for the same `now`.
#include "server/sandbox/resource_store.hpp"
#include "server/sandbox/sandbox_time.hpp"

namespace kmcp::sandbox {

struct SeedSize {
  int profiles = 300;
  int events = 900;
};

void seed_store(ResourceStore& store, WallTime now, SeedSize size = {});

}  // namespace kmcp::sandbox
