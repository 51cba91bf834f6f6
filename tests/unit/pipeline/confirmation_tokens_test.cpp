// Confirmation tokens: bound to one exact call, single use, short-lived on the injected clock,
// bounded in number.
#include <doctest/doctest.h>

#include "server/pipeline/confirmation_tokens.hpp"
#include "tests/unit/pipeline/scripted_random.hpp"

using namespace kmcp;
using namespace std::chrono_literals;
using Redeemed = ConfirmationTokens::Redeemed;

namespace {

json::object args(std::string_view text) { return json::parse(text).as_object(); }

struct Store {
  Store() { random.seed(7); }
  ManualClock clock;
  test::ScriptedRandom random;
  ConfirmationTokens tokens{clock, random, 300s, 4};
};

}  // namespace

TEST_CASE("the binding names tool, account and arguments, whatever their key order") {
  const auto a = confirmation_binding("delete_list", "default", args(R"({"list_id":"L1","x":{"b":1,"a":[2,{"d":3,"c":4}]}})"));
  const auto b = confirmation_binding("delete_list", "default", args(R"({"x":{"a":[2,{"c":4,"d":3}],"b":1},"list_id":"L1"})"));
  CHECK(a == b);
  CHECK(a != confirmation_binding("delete_list", "other", args(R"({"list_id":"L1","x":{"b":1,"a":[2,{"d":3,"c":4}]}})")));
  CHECK(a != confirmation_binding("delete_tag", "default", args(R"({"list_id":"L1","x":{"b":1,"a":[2,{"d":3,"c":4}]}})")));
  CHECK(confirmation_binding("t", "a", args(R"({"ids":["1","2"]})")) !=
        confirmation_binding("t", "a", args(R"({"ids":["2","1"]})")));
}

TEST_CASE("a token runs the call it was issued for, once") {
  Store s;
  const auto binding = confirmation_binding("delete_list", "default", args(R"({"list_id":"L1"})"));
  const auto token = s.tokens.issue(binding);
  CHECK(token.size() > 30);
  CHECK(s.tokens.redeem(token, binding) == Redeemed::ok);
  CHECK(s.tokens.redeem(token, binding) == Redeemed::unknown);
  CHECK(s.tokens.size() == 0);
}

TEST_CASE("tokens are distinct, and one never stands for another") {
  Store s;
  const auto b1 = confirmation_binding("delete_list", "default", args(R"({"list_id":"L1"})"));
  const auto b2 = confirmation_binding("delete_list", "default", args(R"({"list_id":"L2"})"));
  const auto t1 = s.tokens.issue(b1);
  const auto t2 = s.tokens.issue(b2);
  CHECK(t1 != t2);
  CHECK(s.tokens.redeem("confirm-made-up", b1) == Redeemed::unknown);
  CHECK(s.tokens.redeem(t2, b2) == Redeemed::ok);
  CHECK(s.tokens.redeem(t1, b1) == Redeemed::ok);
}

TEST_CASE("a token presented with other arguments is refused and void from then on") {
  Store s;
  const auto binding = confirmation_binding("delete_list", "default", args(R"({"list_id":"L1"})"));
  const auto token = s.tokens.issue(binding);
  CHECK(s.tokens.redeem(token, confirmation_binding("delete_list", "default", args(R"({"list_id":"L2"})"))) ==
        Redeemed::mismatch);
  CHECK(s.tokens.redeem(token, binding) == Redeemed::unknown);
}

TEST_CASE("a token expires after its lifetime on the injected clock") {
  Store s;
  const auto binding = confirmation_binding("delete_list", "default", args(R"({"list_id":"L1"})"));
  const auto early = s.tokens.issue(binding);
  const auto late = s.tokens.issue(binding);
  s.clock.advance(299s);
  CHECK(s.tokens.redeem(early, binding) == Redeemed::ok);
  s.clock.advance(1s);
  CHECK(s.tokens.redeem(late, binding) == Redeemed::expired);
}

TEST_CASE("the store forgets expired tokens, and the oldest when full") {
  Store s;
  const auto binding = confirmation_binding("delete_list", "default", args(R"({"list_id":"L1"})"));
  const auto first = s.tokens.issue(binding);
  for (int i = 0; i < 3; ++i) s.tokens.issue(binding);
  CHECK(s.tokens.size() == 4);
  const auto fifth = s.tokens.issue(binding);  // capacity 4: the first goes
  CHECK(s.tokens.size() == 4);
  CHECK(s.tokens.redeem(first, binding) == Redeemed::unknown);
  CHECK(s.tokens.redeem(fifth, binding) == Redeemed::ok);

  s.clock.advance(301s);
  s.tokens.issue(binding);  // every earlier one has expired
  CHECK(s.tokens.size() == 1);
}
