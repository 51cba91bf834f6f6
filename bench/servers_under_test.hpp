#pragma once
// The two servers the throughput benchmark compares, and how to start each on stdio or HTTP
// against the same upstream.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kmcp::bench {

struct ServerUnderTest {
  std::string name;
  std::vector<std::string> stdio_argv;
  std::vector<std::string> http_flag;  // appended to stdio_argv with the port, e.g. {"--http", "127.0.0.1:"}
  std::map<std::string, std::string> environment;

  std::vector<std::string> http_argv(unsigned short port) const;
};

// klaviyo-mcp with its default tools, one io thread, logging warnings only and with its own
// pacing off (--rate-limit-scale 0): the upstream answers at once, and Klaviyo's quota is not
// measured.
ServerUnderTest klaviyo_mcp(const std::string& binary, const std::string& upstream_url);

// bench/reference/server.mjs on `node`, listing the tools in `tools_file`.
ServerUnderTest reference_server(const std::string& node, const std::string& script, const std::string& tools_file,
                                 const std::string& upstream_url);

// A loopback port nobody listens on now (the kernel's pick, released at once).
unsigned short free_port();

// Polls until something accepts connections on 127.0.0.1:`port`.
bool wait_until_accepting(unsigned short port, std::chrono::milliseconds timeout);

// Exec to the answer of the first initialize over stdio, in ms; nothing when it did not answer.
std::optional<double> cold_start_ms(const ServerUnderTest& server);

}  // namespace kmcp::bench
