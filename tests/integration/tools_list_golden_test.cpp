// tools/list as the client sees it, one snapshot file per tool under tests/golden/tools/, so that
// a change to a name, description, schema or annotation shows in review. After an intended
// change, refresh them: KMCP_UPDATE_GOLDEN=1 ./integration_tests -tc="tools/list matches*"
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "server/core/json_pretty.hpp"
#include "tests/integration/server_process.hpp"
#include "tests/support/fake_upstream.hpp"

using namespace kmcp;
using namespace kmcp::test;

namespace {

// The snapshot text of one entry: it diffs line by line.
std::string pretty(const json::value& v) { return pretty_json(v) + "\n"; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("tools/list matches the golden snapshots, one file per tool") {
  const std::filesystem::path dir = KMCP_GOLDEN_DIR;
  const bool update = std::getenv("KMCP_UPDATE_GOLDEN") != nullptr;
  FakeUpstream upstream;
  StdioServer server(server_env(upstream.base_url()), {"--toolsets", "all"});
  server.initialize();

  std::set<std::string> listed;
  std::string cursor;
  do {
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    auto r = server.request("tools/list", params).at("result").as_object();
    for (const auto& t : r.at("tools").as_array()) {
      const std::string name(t.at("name").as_string());
      listed.insert(name);
      const auto file = dir / (name + ".json");
      const std::string want = pretty(t);
      if (update) {
        std::ofstream(file) << want;
        continue;
      }
      CAPTURE(name);
      REQUIRE_MESSAGE(std::filesystem::exists(file), "no snapshot; run with KMCP_UPDATE_GOLDEN=1 to write it");
      CHECK(read_file(file) == want);
    }
    cursor = r.contains("nextCursor") ? std::string(r.at("nextCursor").as_string()) : "";
  } while (!cursor.empty());

  // A snapshot without a tool is a tool that disappeared.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto name = entry.path().stem().string();
    if (listed.count(name)) continue;
    if (update) {
      std::filesystem::remove(entry.path());
      continue;
    }
    FAIL_CHECK("snapshot of a tool no longer listed: " << name);
  }
}
