#include "server/sandbox/sandbox_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <thread>

namespace kmcp::sandbox {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

struct SandboxServer::Impl {
  Impl(SandboxApi& api_, std::function<void()> after_change_) : api(api_), after_change(std::move(after_change_)) {}

  SandboxApi& api;
  std::function<void()> after_change;
  asio::io_context io{1};
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)};
  std::string base_url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
  std::thread thread;

  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kAsTuple);
      if (ec) co_return;  // closed at shutdown
      // Each connection lives until its client closes it or the io_context is destroyed, which
      // destroys its frame: the owner of every connection is this io_context.
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      stream.expires_after(std::chrono::minutes(2));
      auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAsTuple);
      if (read_ec) co_return;
      const auto& in = parser.get();
      SandboxRequest request;
      request.method = std::string(in.method_string());
      request.target = std::string(in.target());
      for (const auto& field : in) {
        std::string& slot = request.headers[lower(field.name_string())];
        slot += slot.empty() ? std::string(field.value()) : ", " + std::string(field.value());
      }
      request.body = in.body();
      const auto version = api.store().version();
      SandboxResponse answer = api.handle(request, base_url);
      if (after_change && api.store().version() != version) after_change();

      http::response<http::string_body> out{static_cast<http::status>(answer.status), in.version()};
      out.set(http::field::server, "klaviyo-mcp-sandbox");
      for (const auto& [name, value] : answer.headers) out.set(name, value);
      out.body() = std::move(answer.body);
      out.keep_alive(in.keep_alive());
      out.prepare_payload();
      auto [write_ec, written] = co_await http::async_write(stream, out, kAsTuple);
      if (write_ec || !out.keep_alive()) co_return;
    }
  }
};

SandboxServer::SandboxServer(SandboxApi& api, std::function<void()> after_change)
    : impl_(std::make_unique<Impl>(api, std::move(after_change))) {
  asio::co_spawn(impl_->io, impl_->accept(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

SandboxServer::~SandboxServer() {
  impl_->io.stop();
  impl_->thread.join();
}

unsigned short SandboxServer::port() const { return impl_->acceptor.local_endpoint().port(); }
std::string SandboxServer::base_url() const { return impl_->base_url; }

}  // namespace kmcp::sandbox
