#pragma once
// The hooks the project ships, one factory each; make_standard_hooks() (standard_hooks.cpp)
// puts them in a HookTable under the names specs use. Settings are the spec entry minus "hook".
#include "tools/preconditions/hook_table.hpp"

namespace kmcp {

// "at_least_one_of" {"args": [...], "in"?: array-arg}: one of args is given; with "in", in every
// item of that array of objects.
PreconditionHook make_at_least_one_of_hook();
// "at_most_one_of" {"args": [...]}: no two of args are given together.
PreconditionHook make_at_most_one_of_hook();
// "exactly_one_of" {"args": [...]}: one of args is given, and only one.
PreconditionHook make_exactly_one_of_hook();
// "non_empty" {"args": [...]}: given strings are not blank, given arrays are not empty.
PreconditionHook make_non_empty_hook();
// "max_items" {"arg", "max"}: the array arg (when given) has at most max items.
PreconditionHook make_max_items_hook();
// "valid_emails" {}: every string under an "email" key and in an "emails" array, at any depth.
PreconditionHook make_valid_emails_hook();
// "e164_phones" {}: every string under a "phone_number" key, at any depth, is E.164.
PreconditionHook make_e164_phones_hook();
// "iso8601" {"args"?: top-level args, "keys"?: key names at any depth}: ISO-8601 date-times
// (with a zone) or dates; arrays of them too.
PreconditionHook make_iso8601_hook();
// "max_payload_bytes" {"max", "arg"?, "max_item_bytes"?}: JSON size of all arguments (or of
// arg), and of each item of the array arg.
PreconditionHook make_max_payload_bytes_hook();
// "filter_requires" {"arg", "field", "example"}: the filter string has a condition on field
// (e.g. messages.channel when listing campaigns); the error shows the example.
PreconditionHook make_filter_requires_hook();

}  // namespace kmcp
