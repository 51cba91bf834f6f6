#pragma once
// The built klaviyo-mcp binary as a test sees it: a subprocess spoken to over stdio, or over
// HTTP on a loopback port it picks itself.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/support/subprocess.hpp"

namespace kmcp::test {

namespace json = boost::json;
using namespace std::chrono_literals;

using Env = std::map<std::string, std::string>;

// The environment for a server whose Klaviyo is `base_url` and whose key is `key` (empty: none).
Env server_env(const std::string& base_url, const std::string& key = "pk_test_0123456789abcdef");

// One run of the binary to its end: exit status, stdout and stderr.
struct BinaryRun {
  int status = -1;
  std::string out;
  std::string err;
};
// Runs the binary with `args`, writes `input` (if any) to its stdin and closes it.
BinaryRun run_binary(std::vector<std::string> args, Env env = {}, const std::string& input = "");

// A server in stdio mode with a JSON-RPC client over its pipes.
class StdioServer {
 public:
  explicit StdioServer(Env env, std::vector<std::string> extra_args = {});

  // Sends a request and waits for the response with its id; messages without that id
  // (notifications) are kept in `notifications`.
  json::object request(const std::string& method, json::object params = {}, std::chrono::milliseconds timeout = 15s);
  // Sends a request without waiting; returns its id.
  std::int64_t send_request(const std::string& method, json::object params = {});
  // Waits for the response to `id`.
  std::optional<json::object> wait_response(std::int64_t id, std::chrono::milliseconds timeout = 15s);
  void notify(const std::string& method, json::object params = {});
  void send_line(const std::string& line);
  // The next message on stdout, parsed (fails the test if a line is not JSON).
  std::optional<json::object> next_message(std::chrono::milliseconds timeout);

  json::object initialize();
  // tools/call; returns the CallToolResult.
  json::object call_tool(const std::string& name, json::object arguments, json::object meta = {});
  // Every tools/list entry, following cursors.
  std::vector<json::object> list_tools();
  // Their names.
  std::vector<std::string> tool_names();

  Subprocess& process() { return *process_; }
  std::vector<json::object> notifications;

 private:
  std::unique_ptr<Subprocess> process_;
  std::int64_t next_id_ = 1;
  std::vector<json::object> early_;  // responses read while waiting for another id
};

// A server in HTTP mode on 127.0.0.1 and a port of its choosing.
class HttpServer {
 public:
  explicit HttpServer(Env env, std::vector<std::string> extra_args = {});
  unsigned short port() const { return port_; }
  Subprocess& process() { return *process_; }

 private:
  std::unique_ptr<Subprocess> process_;
  unsigned short port_ = 0;
};

}  // namespace kmcp::test
