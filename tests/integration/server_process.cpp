#include "tests/integration/server_process.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace kmcp::test {

Env server_env(const std::string& base_url, const std::string& key) {
  Env env{{"KLAVIYO_BASE_URL", base_url}};
  if (!key.empty()) env["KLAVIYO_API_KEY"] = key;
  return env;
}

BinaryRun run_binary(std::vector<std::string> args, Env env, const std::string& input) {
  args.insert(args.begin(), KMCP_BINARY);
  Subprocess p(args, std::move(env));
  if (!input.empty()) REQUIRE(p.write_line(input));
  p.close_stdin();
  std::string out;
  while (auto line = p.read_line(10s)) out += *line + "\n";
  auto status = p.wait_exit(10s);
  REQUIRE(status.has_value());
  // The exit can be seen before the reader thread has drained the stderr pipe.
  REQUIRE(p.wait_stderr_closed(10s));
  return {*status, out, p.stderr_text()};
}

namespace {
std::vector<std::string> command(const std::string& mode, std::vector<std::string> extra) {
  std::vector<std::string> argv{KMCP_BINARY};
  argv.insert(argv.end(), mode == "stdio" ? std::initializer_list<std::string>{"--stdio"}
                                          : std::initializer_list<std::string>{"--http", "127.0.0.1:0"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

std::string key_of(const json::value& id) { return json::serialize(id); }
}  // namespace

StdioServer::StdioServer(Env env, std::vector<std::string> extra_args)
    : process_(std::make_unique<Subprocess>(command("stdio", std::move(extra_args)), std::move(env))) {}

std::int64_t StdioServer::send_request(const std::string& method, json::object params) {
  const std::int64_t id = next_id_++;
  json::object msg{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.empty()) msg["params"] = std::move(params);
  REQUIRE(process_->write_line(json::serialize(msg)));
  return id;
}

std::optional<json::object> StdioServer::next_message(std::chrono::milliseconds timeout) {
  auto line = process_->read_line(timeout);
  if (!line) return std::nullopt;
  json::value v;
  try {
    v = json::parse(*line);
  } catch (const std::exception&) {
    FAIL("stdout carried a line that is not JSON: " << *line);
  }
  REQUIRE(v.is_object());
  return v.as_object();
}

std::optional<json::object> StdioServer::wait_response(std::int64_t id, std::chrono::milliseconds timeout) {
  const auto want = key_of(json::value(id));
  for (auto it = early_.begin(); it != early_.end(); ++it)
    if (key_of(it->at("id")) == want) {
      auto found = std::move(*it);
      early_.erase(it);
      return found;
    }
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto msg = next_message(left);
    if (!msg) return std::nullopt;
    if (!msg->contains("id") || msg->contains("method")) {
      notifications.push_back(std::move(*msg));
      continue;
    }
    if (key_of(msg->at("id")) == want) return msg;
    early_.push_back(std::move(*msg));
  }
}

json::object StdioServer::request(const std::string& method, json::object params, std::chrono::milliseconds timeout) {
  auto id = send_request(method, std::move(params));
  auto response = wait_response(id, timeout);
  REQUIRE_MESSAGE(response.has_value(), "no response to " << method << "; stderr:\n" << process_->stderr_text());
  return *response;
}

void StdioServer::notify(const std::string& method, json::object params) {
  json::object msg{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.empty()) msg["params"] = std::move(params);
  REQUIRE(process_->write_line(json::serialize(msg)));
}

void StdioServer::send_line(const std::string& line) { REQUIRE(process_->write_line(line)); }

json::object StdioServer::initialize() {
  auto r = request("initialize", {{"protocolVersion", "2025-11-25"},
                                  {"capabilities", json::object{}},
                                  {"clientInfo", {{"name", "integration-test"}, {"version", "1"}}}});
  REQUIRE(r.contains("result"));
  notify("notifications/initialized");
  return r.at("result").as_object();
}

json::object StdioServer::call_tool(const std::string& name, json::object arguments, json::object meta) {
  json::object params{{"name", name}, {"arguments", std::move(arguments)}};
  if (!meta.empty()) params["_meta"] = std::move(meta);
  auto r = request("tools/call", std::move(params));
  REQUIRE_MESSAGE(r.contains("result"), json::serialize(r));
  return r.at("result").as_object();
}

std::vector<json::object> StdioServer::list_tools() {
  std::vector<json::object> tools;
  std::string cursor;
  do {
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    auto r = request("tools/list", params).at("result").as_object();
    for (auto& t : r.at("tools").as_array()) tools.push_back(t.as_object());
    cursor = r.contains("nextCursor") ? std::string(r.at("nextCursor").as_string()) : "";
  } while (!cursor.empty());
  return tools;
}

std::vector<std::string> StdioServer::tool_names() {
  std::vector<std::string> names;
  for (const auto& t : list_tools()) names.emplace_back(t.at("name").as_string());
  return names;
}

HttpServer::HttpServer(Env env, std::vector<std::string> extra_args)
    : process_(std::make_unique<Subprocess>(command("http", std::move(extra_args)), std::move(env))) {
  // The server logs {"event":"listening",...,"port":N} on stderr once it accepts connections.
  REQUIRE_MESSAGE(process_->wait_stderr_contains("\"listening\"", std::chrono::seconds(20)),
                  process_->stderr_text());
  std::istringstream lines(process_->stderr_text());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("\"listening\"") == std::string::npos) continue;
    auto entry = json::parse(line).as_object();
    port_ = static_cast<unsigned short>(entry.at("port").to_number<int>());
  }
  REQUIRE(port_ != 0);
}

}  // namespace kmcp::test
