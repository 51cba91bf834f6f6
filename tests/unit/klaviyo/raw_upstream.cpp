#include "tests/unit/klaviyo/raw_upstream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace kmcp::test {

namespace asio = boost::asio;
using asio::ip::tcp;

RawUpstream::RawUpstream(std::vector<RawReply> replies) : replies_(std::move(replies)) {
  acceptor_.open(tcp::v4());
  acceptor_.bind(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  acceptor_.listen();
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

RawUpstream::~RawUpstream() {
  io_.stop();
  thread_.join();
}

std::string RawUpstream::base_url() const {
  return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
}

asio::awaitable<void> RawUpstream::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    ++accepted_;
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> RawUpstream::serve(tcp::socket socket) {
  constexpr auto as_tuple = asio::as_tuple(asio::use_awaitable);
  std::string buffer;
  for (;;) {
    auto [read_ec, header_end] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), "\r\n\r\n", as_tuple);
    if (read_ec) co_return;
    buffer.erase(0, header_end);
    const std::size_t index = requests_++;
    const RawReply reply = index < replies_.size() ? replies_[index] : RawReply{"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"};
    auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(reply.bytes), as_tuple);
    if (write_ec || reply.close_after) co_return;  // the socket closes as the frame ends
  }
}

}  // namespace kmcp::test
