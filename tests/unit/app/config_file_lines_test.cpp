#include <doctest/doctest.h>

#include "server/app/config_file_lines.hpp"

namespace kmcp {

TEST_CASE("config_key_lines finds each key's line, skipping comments, sections and blanks") {
  const auto lines = config_key_lines("# comment\n\ntoolsets = \"core\"\n[section]\n  rate-margin-ms=5\n; other\nno equals\n");
  CHECK(lines.size() == 2);
  CHECK(lines.at("toolsets") == 3);
  CHECK(lines.at("rate-margin-ms") == 5);
}

TEST_CASE("locate_config_error names the line of the key an error mentions, the longest match first") {
  const std::map<std::string, int> lines{{"margin", 2}, {"rate-margin-ms", 7}, {"toolsets", 3}};
  CHECK(locate_config_error("--rate-margin-ms: Value 5000 not in range [0 - 1000]", "k.toml", lines) ==
        "k.toml:7: --rate-margin-ms: Value 5000 not in range [0 - 1000]");
  CHECK(locate_config_error("INI was not able to parse toolsets", "k.toml", lines) ==
        "k.toml:3: INI was not able to parse toolsets");
  CHECK(locate_config_error("something else", "k.toml", lines) == "something else");
  // "margin" inside "rate-margin-ms" is not the key "margin".
  CHECK(locate_config_error("--rate-margin-ms is bad", "k.toml", {{"margin", 2}}) == "--rate-margin-ms is bad");
}

}  // namespace kmcp
