#include "tests/support/redis_server.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "tests/support/test_certificates.hpp"

namespace kmcp::test {

unsigned short free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot bind a loopback port");
  return ntohs(address.sin_port);
}

RedisServer::RedisServer(std::vector<std::string> extra_args) : extra_args_(std::move(extra_args)) {
  start_on_a_free_port();
}

RedisServer::RedisServer(Tls, std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)), tls_(true) {
  const TestCertificates certificates = generate_test_certificates();
  const auto write = [this](const char* name, const std::string& pem) {
    std::ofstream out(dir_.path() / name, std::ios::binary);
    out << pem;
    if (!out.flush()) throw std::runtime_error(std::string("cannot write ") + name);
  };
  write("ca.pem", certificates.ca_certificate_pem);
  write("server.pem", certificates.server_certificate_pem);
  write("server.key", certificates.server_private_key_pem);
  start_on_a_free_port();
}

void RedisServer::start_on_a_free_port() {
  // Another process may take the free port before redis-server binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    if (launch()) return;
  }
  throw std::runtime_error("redis-server did not start (is it installed?)");
}

RedisServer::~RedisServer() {
  if (process_) resume();
}

std::string RedisServer::url(const std::string& userinfo) const {
  return (tls_ ? "rediss://" : "redis://") + (userinfo.empty() ? "" : userinfo + "@") + "127.0.0.1:" +
         std::to_string(port_);
}

std::string RedisServer::ca_file() const { return tls_ ? (dir_.path() / "ca.pem").string() : ""; }

bool RedisServer::launch() {
  std::vector<std::string> argv{"redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", dir_.path().string(), "--logfile", "", "--loglevel", "notice"};
  const std::vector<std::string> listen =
      tls_ ? std::vector<std::string>{"--port", "0", "--tls-port", std::to_string(port_),
                                      "--tls-cert-file", (dir_.path() / "server.pem").string(),
                                      "--tls-key-file", (dir_.path() / "server.key").string(),
                                      "--tls-ca-cert-file", ca_file(), "--tls-auth-clients", "no"}
           : std::vector<std::string>{"--port", std::to_string(port_)};
  argv.insert(argv.end(), listen.begin(), listen.end());
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<Subprocess>(std::move(argv));
  // It logs to stdout; this line means it listens.
  for (;;) {
    const auto line = process_->read_line(std::chrono::seconds(10));
    if (!line) {
      process_.reset();
      return false;
    }
    if (line->find("Ready to accept connections") != std::string::npos) return true;
  }
}

void RedisServer::stop() {
  if (!process_) return;
  resume();
  process_->kill();
  process_->wait_exit(std::chrono::seconds(10));
  process_.reset();
}

void RedisServer::start() {
  if (process_) return;
  for (int attempt = 0; attempt < 20; ++attempt) {
    if (launch()) return;
    ::usleep(100 * 1000);  // the old socket may linger a moment
  }
  throw std::runtime_error("redis-server did not start again on its port");
}

void RedisServer::pause() {
  if (process_) ::kill(process_->pid(), SIGSTOP);
}

void RedisServer::resume() {
  if (process_) ::kill(process_->pid(), SIGCONT);
}

}  // namespace kmcp::test
