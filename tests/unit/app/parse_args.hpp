#pragma once
// parse_command_line on a list of words, as a shell would pass them after the program name.
#include <string>
#include <vector>

#include "server/app/config.hpp"

namespace kmcp::test {

inline ParseOutcome parse_args(std::vector<std::string> args) {
  args.insert(args.begin(), "klaviyo-mcp");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

}  // namespace kmcp::test
