#include "tests/support/fake_upstream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace kmcp {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

RecordedRequest record(const http::request<http::string_body>& request) {
  RecordedRequest recorded;
  recorded.method = std::string(request.method_string());
  recorded.target = std::string(request.target());
  recorded.body = request.body();
  if (auto url = boost::urls::parse_origin_form(recorded.target)) {
    recorded.path = url->path();
    // params() decodes percent-escapes and reads '+' as a space.
    for (const auto& param : url->params()) recorded.query.emplace(param.key, param.value);
  } else {
    recorded.path = recorded.target;
  }
  for (const auto& field : request) {
    auto [it, inserted] = recorded.headers.emplace(lower(field.name_string()), std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  return recorded;
}

ssl::context make_server_tls_context(const TestCertificates& certificates) {
  ssl::context context(ssl::context::tls_server);
  context.use_certificate_chain(asio::buffer(certificates.server_certificate_pem));
  context.use_private_key(asio::buffer(certificates.server_private_key_pem), ssl::context::pem);
  return context;
}

}  // namespace

std::string RecordedRequest::query_value(const std::string& key) const {
  const auto it = query.find(key);
  return it == query.end() ? std::string() : it->second;
}

std::string RecordedRequest::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

ScriptedResponse ScriptedResponse::json(unsigned status, std::string body) {
  ScriptedResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/vnd.api+json");
  response.body = std::move(body);
  return response;
}

// Every coroutine of the fake lives in `io`: the destructor stops it, joins its thread and then
// destroys it, which destroys any session still suspended (a pending delay included).
struct FakeUpstream::Impl {
  explicit Impl(FakeUpstreamOptions options) : record_requests(options.record_requests) {
    if (options.tls) {
      const TestCertificates certificates = generate_test_certificates();
      directory.emplace("kmcp-fake-upstream");
      ca_file = (directory->path() / "ca.pem").string();
      std::ofstream(ca_file) << certificates.ca_certificate_pem;
      tls.emplace(make_server_tls_context(certificates));
    }
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    asio::co_spawn(io, accept_loop(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    io.stop();
    thread.join();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kAsTuple);
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) continue;
      ++accepted;
      peak_open = std::max(peak_open.load(), ++open);
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    // Open until the session ends, which is when the fake sees the client close.
    struct Closing {
      std::atomic<std::size_t>& open;
      ~Closing() { --open; }
    } closing{open};
    beast::tcp_stream stream(std::move(socket));
    if (!tls) {
      co_await session(stream);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *tls);
    auto [ec] = co_await secure.async_handshake(ssl::stream_base::server, kAsTuple);
    if (ec) co_return;
    if (SSL_session_reused(secure.native_handle()) == 1) ++resumed;
    co_await session(secure);
  }

  template <class Stream>
  asio::awaitable<void> session(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAsTuple);
      if (read_ec) co_return;
      const auto request = parser.release();
      const RecordedRequest recorded = record(request);
      if (record_requests) {
        {
          std::lock_guard lock(mutex);
          recorded_requests.push_back(recorded);
        }
        arrived.notify_all();
      }

      const ScriptedResponse scripted = next_response(recorded);
      if (scripted.delay.count() > 0) {
        asio::steady_timer timer(io, scripted.delay);
        co_await timer.async_wait(kAsTuple);
      }
      auto& socket = beast::get_lowest_layer(stream).socket();
      if (scripted.reset_connection) {
        // Linger 0 makes close() send RST instead of FIN: the abrupt drop tests need.
        boost::system::error_code ignored;
        socket.set_option(asio::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
        co_return;
      }

      http::response<http::string_body> response{static_cast<http::status>(scripted.status), request.version()};
      response.keep_alive(request.keep_alive());
      for (const auto& [name, value] : scripted.headers) response.insert(name, value);
      response.body() = scripted.body;
      response.prepare_payload();
      auto [write_ec, written] = co_await http::async_write(stream, response, kAsTuple);
      if (write_ec || !response.keep_alive()) {
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        co_return;
      }
    }
  }

  ScriptedResponse next_response(const RecordedRequest& recorded) {
    Handler current;
    {
      std::lock_guard lock(mutex);
      if (!queue.empty()) {
        ScriptedResponse front = std::move(queue.front());
        queue.pop_front();
        return front;
      }
      current = handler;
    }
    if (!current) return ScriptedResponse::json(200, R"({"data":[]})");
    try {
      return current(recorded);
    } catch (const std::exception& e) {
      // A throwing test handler shows up as a 500 carrying its message, not a dead fake.
      ScriptedResponse failed;
      failed.status = 500;
      failed.body = std::string("fake upstream handler threw: ") + e.what();
      return failed;
    }
  }

  // Declared first, destroyed last: sessions suspended in `io` hold streams that use them.
  bool record_requests = true;
  std::optional<TempDir> directory;
  std::string ca_file;
  std::optional<ssl::context> tls;
  std::atomic<std::size_t> open{0};  // counted down by sessions, even those destroyed with `io`
  asio::io_context io{1};

  tcp::acceptor acceptor{io};
  unsigned short port = 0;
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> peak_open{0};
  std::atomic<std::size_t> resumed{0};

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::vector<RecordedRequest> recorded_requests;
  std::deque<ScriptedResponse> queue;
  Handler handler;

  std::thread thread;  // last: starts once everything it touches exists
};

FakeUpstream::FakeUpstream(FakeUpstreamOptions options) : impl_(std::make_unique<Impl>(options)) {}

FakeUpstream::~FakeUpstream() = default;

unsigned short FakeUpstream::port() const { return impl_->port; }

std::string FakeUpstream::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

std::string FakeUpstream::ca_file() const { return impl_->ca_file; }

void FakeUpstream::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

void FakeUpstream::enqueue(ScriptedResponse response) {
  std::lock_guard lock(impl_->mutex);
  impl_->queue.push_back(std::move(response));
}

std::vector<RecordedRequest> FakeUpstream::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->recorded_requests;
}

bool FakeUpstream::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->recorded_requests.size() >= count; });
}

void FakeUpstream::clear() {
  std::lock_guard lock(impl_->mutex);
  impl_->recorded_requests.clear();
  impl_->queue.clear();
}

std::size_t FakeUpstream::connections_accepted() const { return impl_->accepted.load(); }

std::size_t FakeUpstream::peak_open_connections() const { return impl_->peak_open.load(); }

std::size_t FakeUpstream::tls_sessions_resumed() const { return impl_->resumed.load(); }

}  // namespace kmcp
