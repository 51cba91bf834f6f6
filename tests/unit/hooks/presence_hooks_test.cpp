#include "tests/unit/hooks/hook_fixture.hpp"

namespace kmcp {
namespace {

using test::failed;
using test::StandardHook;

constexpr std::string_view kProfileSchema = R"({"type": "object", "properties": {
  "email": {"type": "string"}, "phone_number": {"type": "string"}, "external_id": {"type": "string"},
  "profile_ids": {"type": "array", "items": {"type": "string"}},
  "list_id": {"type": "string"}, "segment_id": {"type": "string"},
  "profiles": {"type": "array", "items": {"type": "object", "properties": {
    "email": {"type": "string"}, "phone_number": {"type": "string"}, "external_id": {"type": "string"}}}}}})";

constexpr std::string_view kIdentifiers = R"({"args": ["email", "phone_number", "external_id"]})";
constexpr std::string_view kEachProfile = R"({"args": ["email", "phone_number", "external_id"], "in": "profiles"})";

TEST_CASE("at_least_one_of: one given identifier is enough") {
  StandardHook hook("at_least_one_of");
  CHECK_FALSE(hook.check(kIdentifiers, R"({"email": "ada@example.com"})"));
  CHECK_FALSE(hook.check(kIdentifiers, R"({"phone_number": "+15005550006", "email": null})"));
  CHECK_FALSE(hook.check(kIdentifiers, R"({"external_id": "A-1"})"));
}

TEST_CASE("at_least_one_of: none, null, empty or blank is refused with the names to give") {
  StandardHook hook("at_least_one_of");
  const std::string message = "Give at least one of 'email', 'phone_number' or 'external_id'; none was given.";
  failed(hook.check(kIdentifiers, R"({})"), "email", message);
  failed(hook.check(kIdentifiers, R"({"email": null, "phone_number": ""})"), "email", message);
  failed(hook.check(kIdentifiers, R"({"external_id": "   "})"), "email", message);
}

TEST_CASE("at_least_one_of with 'in': every item needs one, and the message names the item") {
  StandardHook hook("at_least_one_of");
  CHECK_FALSE(hook.check(kEachProfile, R"({"profiles": [{"email": "a@b.co"}, {"phone_number": "+15005550006"}]})"));
  CHECK_FALSE(hook.check(kEachProfile, R"({})"));  // absence is the schema's business
  failed(hook.check(kEachProfile, R"({"profiles": [{"email": "a@b.co"}, {"email": "c@d.co"}, {"first_name": "X"}, {}]})"),
         "profiles[2]",
         "'profiles[2]' needs at least one of 'email', 'phone_number' or 'external_id'; give one in every item of 'profiles'.");
}

TEST_CASE("at_least_one_of: settings and used arguments") {
  StandardHook hook("at_least_one_of");
  CHECK_FALSE(hook.settings_fault(kIdentifiers, kProfileSchema));
  CHECK_FALSE(hook.settings_fault(kEachProfile, kProfileSchema));
  CHECK(hook.args_used(kIdentifiers) == std::vector<std::string>{"email", "phone_number", "external_id"});
  CHECK(hook.args_used(kEachProfile) == std::vector<std::string>{"profiles"});
  CHECK(hook.settings_fault(R"({"args": ["email", "fax"]})", kProfileSchema) ==
        "names the argument 'fax', which is not in inputSchema.properties");
  CHECK(hook.settings_fault(R"({"args": ["email", "fax"], "in": "profiles"})", kProfileSchema) ==
        "names 'fax', which the items of 'profiles' do not declare");
  CHECK(hook.settings_fault(R"({"args": ["email"], "in": "list_id"})", kProfileSchema) ==
        "setting 'in' names 'list_id', which is not an array of objects with declared properties");
  CHECK(hook.settings_fault(R"({})", kProfileSchema) == "setting 'args' is missing");
  CHECK(hook.settings_fault(R"({"args": "email"})", kProfileSchema) ==
        "setting 'args' must be an array of at least 1 argument name");
  CHECK(hook.settings_fault(R"({"args": ["email"], "within": "profiles"})", kProfileSchema) ==
        "unknown setting 'within'; known: 'args', 'in'");
}

TEST_CASE("at_most_one_of: ids or emails, not both") {
  StandardHook hook("at_most_one_of");
  constexpr std::string_view settings = R"({"args": ["profile_ids", "email"]})";
  CHECK_FALSE(hook.settings_fault(settings, kProfileSchema));
  CHECK(hook.args_used(settings) == std::vector<std::string>{"profile_ids", "email"});
  CHECK_FALSE(hook.check(settings, R"({})"));
  CHECK_FALSE(hook.check(settings, R"({"profile_ids": ["01H"]})"));
  CHECK_FALSE(hook.check(settings, R"({"profile_ids": [], "email": "a@b.co"})"));  // an empty list is not given
  failed(hook.check(settings, R"({"profile_ids": ["01H"], "email": "a@b.co"})"), "email",
         "Give at most one of 'profile_ids' or 'email'; got 'profile_ids' and 'email'. Remove all but one.");
  CHECK(hook.settings_fault(R"({"args": ["email"]})", kProfileSchema) ==
        "setting 'args' must be an array of at least 2 argument names");
}

TEST_CASE("exactly_one_of: profiles, a list or a segment") {
  StandardHook hook("exactly_one_of");
  constexpr std::string_view settings = R"({"args": ["profiles", "list_id", "segment_id"]})";
  CHECK_FALSE(hook.settings_fault(settings, kProfileSchema));
  CHECK_FALSE(hook.check(settings, R"({"list_id": "Y6nRLr"})"));
  CHECK_FALSE(hook.check(settings, R"({"profiles": [{"email": "a@b.co"}], "segment_id": ""})"));
  failed(hook.check(settings, R"({})"), "profiles",
         "Give exactly one of 'profiles', 'list_id' or 'segment_id'; none was given.");
  failed(hook.check(settings, R"({"list_id": "Y6nRLr", "segment_id": "Xy1"})"), "segment_id",
         "Give exactly one of 'profiles', 'list_id' or 'segment_id'; got 'list_id' and 'segment_id'. "
         "Remove all but one.");
  CHECK(hook.settings_fault(R"({"args": ["profiles", "lists"]})", kProfileSchema) ==
        "names the argument 'lists', which is not in inputSchema.properties");
}

TEST_CASE("non_empty: blank strings and empty arrays are refused, absent ones are not") {
  StandardHook hook("non_empty");
  constexpr std::string_view settings = R"({"args": ["list_id", "profile_ids"]})";
  CHECK_FALSE(hook.settings_fault(settings, kProfileSchema));
  CHECK(hook.args_used(settings) == std::vector<std::string>{"list_id", "profile_ids"});
  CHECK_FALSE(hook.check(settings, R"({"list_id": "Y6nRLr", "profile_ids": ["01H"]})"));
  CHECK_FALSE(hook.check(settings, R"({})"));
  failed(hook.check(settings, R"({"list_id": " \t"})"), "list_id", "'list_id' must not be blank; give a non-empty value.");
  failed(hook.check(settings, R"({"list_id": "Y6nRLr", "profile_ids": []})"), "profile_ids",
         "'profile_ids' must not be empty; give at least one item.");
  CHECK(hook.settings_fault(R"({"args": []})", kProfileSchema) == "setting 'args' must be an array of at least 1 argument name");
}

}  // namespace
}  // namespace kmcp
