#include "bench/servers_under_test.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "bench/stdio_load.hpp"
#include "tests/support/subprocess.hpp"

namespace kmcp::bench {

namespace asio = boost::asio;
using asio::ip::tcp;

std::vector<std::string> ServerUnderTest::http_argv(unsigned short port) const {
  std::vector<std::string> argv = stdio_argv;
  argv.insert(argv.end(), http_flag.begin(), http_flag.end());
  argv.back() += std::to_string(port);
  return argv;
}

ServerUnderTest klaviyo_mcp(const std::string& binary, const std::string& upstream_url) {
  return ServerUnderTest{
      .name = "klaviyo-mcp",
      // One io thread, as the reference has one event loop: on a machine whose cores the load
      // generator and the fake upstream share, a second thread only adds hand-offs.
      .stdio_argv = {binary, "--log-level", "warning", "--rate-limit-scale", "0", "--threads", "1", "--base-url",
                     upstream_url},
      .http_flag = {"--http", "127.0.0.1:"},
      .environment = {{"KLAVIYO_API_KEY", "pk_bench"}},
  };
}

ServerUnderTest reference_server(const std::string& node, const std::string& script, const std::string& tools_file,
                                 const std::string& upstream_url) {
  return ServerUnderTest{
      .name = "reference (TypeScript SDK)",
      .stdio_argv = {node, script, "--tools", tools_file, "--upstream", upstream_url},
      .http_flag = {"--http", ""},
      .environment = {{"KLAVIYO_API_KEY", "pk_bench"}},
  };
}

unsigned short free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

bool wait_until_accepting(unsigned short port, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  asio::io_context io;
  while (std::chrono::steady_clock::now() < until) {
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
    if (!ec) return true;
    // A benchmark's startup poll, not a test: there is no clock to inject into another process.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::optional<double> cold_start_ms(const ServerUnderTest& server) {
  const auto started = std::chrono::steady_clock::now();
  Subprocess child(server.stdio_argv, server.environment);
  if (!open_stdio_session(child).empty()) return std::nullopt;
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace kmcp::bench
