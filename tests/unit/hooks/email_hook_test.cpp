#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

constexpr std::string_view kSchema = R"({"type": "object", "properties": {
  "email": {"type": "string"}, "emails": {"type": "array", "items": {"type": "string"}},
  "profiles": {"type": "array", "items": {"type": "object", "properties": {"email": {"type": "string"}}}}}})";

std::string bad(const std::string& path) {
  return "'" + path + "' is not a valid email address: it needs one '@', a name before it and a domain with a dot "
         "after it, without spaces (e.g. ada@example.com).";
}

TEST_CASE("valid_emails: plausible addresses pass, wherever they are") {
  StandardHook hook("valid_emails");
  CHECK_FALSE(hook.check("{}", R"({"email": "ada@example.com"})"));
  CHECK_FALSE(hook.check("{}", R"({"email": "first.last+tag@sub.example.co.uk"})"));
  CHECK_FALSE(hook.check("{}", R"({"emails": ["a@b.co", "c@d.io"], "profiles": [{"email": "x@y.org"}]})"));
  CHECK_FALSE(hook.check("{}", R"({"email": null, "emails": [], "other": "not an email"})"));
}

TEST_CASE("valid_emails: each implausible form is refused") {
  StandardHook hook("valid_emails");
  for (const char* address : {"ada", "@example.com", "ada@", "ada@example", "ada@@example.com", "a@b@example.com",
                              "ada @example.com", "ada@exa mple.com", "ada@example.com.", "ada@.com", "ada@example..com",
                              "ada\u0001@example.com", ""}) {
    CAPTURE(address);
    json::object args{{"email", address}};
    failed(hook.check("{}", json::serialize(args)), "email", bad("email"));
  }
  std::string long_address = std::string(250, 'a') + "@b.co";  // 255 characters
  failed(hook.check("{}", json::serialize(json::object{{"email", long_address}})), "email", bad("email"));
}

TEST_CASE("valid_emails: the error names the path of the bad address") {
  StandardHook hook("valid_emails");
  failed(hook.check("{}", R"({"profiles": [{"email": "a@b.co"}, {"email": "c@d.co"}, {"email": "nope"}]})"),
         "profiles[2].email", bad("profiles[2].email"));
  failed(hook.check("{}", R"({"emails": ["a@b.co", "a.b.co"]})"), "emails[1]", bad("emails[1]"));
  failed(hook.check("{}", R"({"outer": {"inner": {"email": "x"}}})"), "outer.inner.email", bad("outer.inner.email"));
}

TEST_CASE("valid_emails: settings") {
  StandardHook hook("valid_emails");
  CHECK_FALSE(hook.settings_fault("{}", kSchema));
  CHECK(hook.args_used("{}").empty());
  CHECK(hook.settings_fault(R"({"args": ["email"]})", kSchema) == "unknown setting 'args'; this hook takes none");
  CHECK(hook.settings_fault("{}", R"({"type": "object", "properties": {"name": {"type": "string"}}})") ==
        "the inputSchema has no 'email' or 'emails' property to check");
  CHECK_FALSE(hook.settings_fault("{}", R"({"type": "object", "properties": {"profiles": {"type": "array",
      "items": {"type": "object", "properties": {"email": {"type": "string"}}}}}})"));
}

}  // namespace
}  // namespace kmcp
