// The hook table, built explicitly: the names here are the names specs use.
#include "tools/preconditions/hooks.hpp"

namespace kmcp {

HookTable make_standard_hooks() {
  HookTable table;
  table.add("at_least_one_of", make_at_least_one_of_hook());
  table.add("at_most_one_of", make_at_most_one_of_hook());
  table.add("exactly_one_of", make_exactly_one_of_hook());
  table.add("non_empty", make_non_empty_hook());
  table.add("max_items", make_max_items_hook());
  table.add("valid_emails", make_valid_emails_hook());
  table.add("e164_phones", make_e164_phones_hook());
  table.add("iso8601", make_iso8601_hook());
  table.add("max_payload_bytes", make_max_payload_bytes_hook());
  table.add("filter_requires", make_filter_requires_hook());
  return table;
}

}  // namespace kmcp
