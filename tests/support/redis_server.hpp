#pragma once
// A real redis-server for tests: on 127.0.0.1 and a free port, in a private temp directory,
// with no persistence, started by the test itself (redis-server must be on PATH; CI installs
// it), over TLS when asked. It can be stopped and started again on the same port, or paused
// (SIGSTOP) to stand for a Redis that accepts connections but answers nothing.
#include <memory>
#include <string>
#include <vector>

#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace kmcp::test {

class RedisServer {
 public:
  struct Tls {};
  // Serves TLS only, with a certificate for 127.0.0.1 signed by a throwaway CA (ca_file()).
  static constexpr Tls tls{};

  // Throws std::runtime_error when no redis-server could be started.
  explicit RedisServer(std::vector<std::string> extra_args = {});
  explicit RedisServer(Tls, std::vector<std::string> extra_args = {});
  ~RedisServer();

  unsigned short port() const { return port_; }
  // redis://127.0.0.1:PORT (rediss:// with TLS), with `userinfo` ("user:password") when given.
  std::string url(const std::string& userinfo = "") const;
  // The CA certificate (PEM file) that signed a TLS server's certificate; empty without TLS.
  std::string ca_file() const;

  void stop();   // SIGKILL, as in a crash; waits for the exit
  void start();  // again, on the same port
  void pause();  // SIGSTOP: the socket stays open, nothing answers
  void resume();

 private:
  void start_on_a_free_port();
  bool launch();
  std::vector<std::string> extra_args_;
  TempDir dir_{"kmcp-redis"};
  bool tls_ = false;
  unsigned short port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

// A port on 127.0.0.1 that nothing listened on a moment ago (the kernel's pick for port 0).
unsigned short free_loopback_port();

}  // namespace kmcp::test
