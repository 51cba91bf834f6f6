#pragma once
// A bare TCP server on 127.0.0.1 (port 0), on its own thread, that answers each request with
// bytes written verbatim: for the malformed exchanges FakeUpstream never produces, such as a
// body cut short or bytes after a complete response. Requests must have no body.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace kmcp::test {

struct RawReply {
  std::string bytes;
  bool close_after = false;  // close the connection once written
};

class RawUpstream {
 public:
  // The n-th request to arrive gets replies[n]; any later one a plain empty 200.
  explicit RawUpstream(std::vector<RawReply> replies);
  ~RawUpstream();
  RawUpstream(const RawUpstream&) = delete;
  RawUpstream& operator=(const RawUpstream&) = delete;

  std::string base_url() const;
  std::size_t connections_accepted() const { return accepted_.load(); }
  std::size_t requests_seen() const { return requests_.load(); }

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

  const std::vector<RawReply> replies_;
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> requests_{0};
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::thread thread_;  // last: starts once everything it touches exists
};

}  // namespace kmcp::test
