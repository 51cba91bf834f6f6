#include "server/redis/redis_client.hpp"

#include <openssl/ssl.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <deque>
#include <optional>
#include <stdexcept>

#include "server/klaviyo/host_resolution.hpp"
#include "server/klaviyo/tls_client_context.hpp"

namespace kmcp {
// Named, not anonymous: RedisClient::Impl (of external linkage) holds these.
namespace redis_connection {

namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// One command's wait for its reply. The timer is the signal: the reader cancels it when the
// reply (or the connection's end) comes, and it expires on its own at the deadline.
struct Pending {
  explicit Pending(const asio::any_io_executor& executor) : signal(executor) {}
  void finish(RedisReply answer) {
    reply = std::move(answer);
    done = true;
    signal.cancel();
  }
  void finish(RedisFailure why) {
    failure = std::move(why);
    done = true;
    signal.cancel();
  }
  asio::steady_timer signal;
  bool done = false;
  std::optional<RedisReply> reply;
  std::optional<RedisFailure> failure;
};

// One connection and what is under way on it. Only touched on the client's strand.
struct Connection {
  explicit Connection(const asio::any_io_executor& strand) : wake(strand) { plain.emplace(strand); }

  tcp::socket& lowest() { return tls ? tls->next_layer() : *plain; }
  void close_socket() {
    error_code ignored;
    lowest().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close(ignored);
  }
  asio::awaitable<error_code> write(std::string bytes) {
    error_code ec;
    if (tls) {
      std::tie(ec, std::ignore) = co_await asio::async_write(*tls, asio::buffer(bytes), kAsTuple);
    } else {
      std::tie(ec, std::ignore) = co_await asio::async_write(*plain, asio::buffer(bytes), kAsTuple);
    }
    co_return ec;
  }
  asio::awaitable<std::tuple<error_code, std::size_t>> read(asio::mutable_buffer into) {
    if (tls) co_return co_await tls->async_read_some(into, kAsTuple);
    co_return co_await plain->async_read_some(into, kAsTuple);
  }

  std::optional<tcp::socket> plain;  // until TLS wraps it, or for redis://
  std::optional<ssl::stream<tcp::socket>> tls;
  RedisReplyDecoder decoder;
  std::deque<std::shared_ptr<Pending>> waiting;  // written (or about to be), oldest first
  std::string outbox;                             // commands not yet written
  asio::steady_timer wake;                        // the writer sleeps on it while outbox is empty
  bool open = false;
};

unsigned short port_number(const std::string& port) {
  unsigned short value = 0;
  std::from_chars(port.data(), port.data() + port.size(), value);
  return value;
}

}  // namespace redis_connection

using namespace redis_connection;

void throw_exception_from_error(const RedisFailure& failure, const boost::source_location&) {
  throw std::runtime_error(failure.message);
}

struct RedisClient::Impl {
  Impl(asio::any_io_executor executor, RedisClientOptions o)
      : strand(asio::make_strand(executor)),
        options(std::move(o)),
        tls(options.endpoint.tls ? std::make_unique<ssl::context>(make_tls_client_context(options.ca_file))
                                 : nullptr),
        backoff(options.first_backoff) {}

  // Everything below runs on the strand.
  void fail(const std::shared_ptr<Connection>& connection, const std::string& why) {
    if (connection->open) {
      connection->open = false;
      connection->close_socket();
      connection->wake.cancel();
    }
    auto waiting = std::move(connection->waiting);
    connection->waiting.clear();
    for (const auto& pending : waiting)
      pending->finish(RedisFailure{RedisFailure::Kind::unavailable,
                                   "lost the connection to Redis at " + options.endpoint.authority() + ": " + why});
    if (current == connection) current.reset();
    last_error = why;
  }

  asio::strand<asio::any_io_executor> strand;
  const RedisClientOptions options;
  const std::unique_ptr<ssl::context> tls;
  std::shared_ptr<Connection> current;  // null or open
  bool connecting = false;
  std::vector<std::shared_ptr<asio::steady_timer>> connect_waiters;
  SteadyTime retry_at{};
  std::chrono::milliseconds backoff;
  std::string last_error;
};

namespace {

using Impl = RedisClient::Impl;

// One command and its reply on a connection nothing else uses yet (AUTH, SELECT on connect).
asio::awaitable<boost::system::result<RedisReply, std::string>> exchange_once(Connection& connection,
                                                                              std::vector<std::string> args) {
  if (const auto ec = co_await connection.write(encode_redis_command(args))) co_return "write failed: " + ec.message();
  std::array<char, 4096> buffer;
  for (;;) {
    auto next = connection.decoder.next();
    if (!next) co_return next.error();
    if (*next) co_return std::move(**next);
    auto [ec, n] = co_await connection.read(asio::buffer(buffer));
    if (ec) co_return "read failed: " + ec.message();
    connection.decoder.feed(std::string_view(buffer.data(), n));
  }
}

// TCP connect, TLS handshake (SNI, certificate and host name checked), AUTH, SELECT. Returns
// what went wrong, or nothing.
asio::awaitable<std::optional<std::string>> establish(std::shared_ptr<Impl> impl, std::shared_ptr<Connection> connection,
                                                      SteadyTime until) {
  const RedisEndpoint& endpoint = impl->options.endpoint;
  error_code ec;
  if (endpoint.host_is_ip) {
    const tcp::endpoint peer(asio::ip::make_address(endpoint.host, ec), port_number(endpoint.port));
    if (ec) co_return "bad address " + endpoint.host;
    std::tie(ec) = co_await connection->plain->async_connect(peer, kAsTuple);
  } else {
    const auto resolved = co_await resolve_within(endpoint.host, endpoint.port, until);
    if (!resolved) co_return "cannot resolve " + endpoint.host + ": " + resolved.error().message();
    std::tie(ec, std::ignore) = co_await asio::async_connect(*connection->plain, *resolved, kAsTuple);
  }
  if (ec) co_return ec.message();
  connection->plain->set_option(tcp::no_delay(true), ec);

  if (impl->tls) {
    connection->tls.emplace(std::move(*connection->plain), *impl->tls);
    connection->plain.reset();
    if (!endpoint.host_is_ip && SSL_set_tlsext_host_name(connection->tls->native_handle(), endpoint.host.c_str()) != 1)
      co_return "cannot set the TLS server name";
    connection->tls->set_verify_mode(ssl::verify_peer);
    connection->tls->set_verify_callback(ssl::host_name_verification(endpoint.host));
    std::tie(ec) = co_await connection->tls->async_handshake(ssl::stream_base::client, kAsTuple);
    if (ec) co_return "TLS handshake failed: " + ec.message();
  }

  std::vector<std::vector<std::string>> hello;
  if (!endpoint.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!endpoint.username.empty()) auth.push_back(endpoint.username);
    auth.push_back(endpoint.password);
    hello.push_back(std::move(auth));
  }
  if (endpoint.database != 0) hello.push_back(std::vector<std::string>{"SELECT", std::to_string(endpoint.database)});
  for (auto& command : hello) {
    const std::string name = command.front();
    auto reply = co_await exchange_once(*connection, std::move(command));
    if (!reply) co_return reply.error();
    if (reply->is_error()) co_return name + " refused: " + reply->text;
  }
  co_return std::nullopt;
}

// Matches replies to commands as they are read. Runs while the connection is open: it is the
// connection's own task, ended by fail() closing the socket.
asio::awaitable<void> read_replies(std::shared_ptr<Impl> impl, std::shared_ptr<Connection> connection) {
  std::array<char, 16384> buffer;
  while (connection->open) {
    auto [ec, n] = co_await connection->read(asio::buffer(buffer));
    if (ec) {
      impl->fail(connection, ec == asio::error::eof ? "Redis closed the connection" : "read failed: " + ec.message());
      co_return;
    }
    connection->decoder.feed(std::string_view(buffer.data(), n));
    for (;;) {
      auto next = connection->decoder.next();
      if (!next) {
        impl->fail(connection, next.error());
        co_return;
      }
      if (!*next) break;
      if (connection->waiting.empty()) {
        impl->fail(connection, "a reply to no command");
        co_return;
      }
      const auto pending = connection->waiting.front();
      connection->waiting.pop_front();
      pending->finish(std::move(**next));  // a caller that gave up is no longer listening
    }
  }
}

// Writes what commands queue, in order, batching those that queued meanwhile. The connection's
// other task, ended like read_replies.
asio::awaitable<void> write_commands(std::shared_ptr<Impl> impl, std::shared_ptr<Connection> connection) {
  while (connection->open) {
    if (connection->outbox.empty()) {
      connection->wake.expires_at(SteadyTime::max());
      co_await connection->wake.async_wait(kAsTuple);
      continue;
    }
    std::string bytes;
    bytes.swap(connection->outbox);
    if (const auto ec = co_await connection->write(std::move(bytes))) {
      impl->fail(connection, "write failed: " + ec.message());
      co_return;
    }
  }
}

void start_tasks(const std::shared_ptr<Impl>& impl, const std::shared_ptr<Connection>& connection) {
  // Their failures end the connection (fail() has run); an exception is a bug to surface.
  const auto rethrow = [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  };
  asio::co_spawn(impl->strand, read_replies(impl, connection), rethrow);
  asio::co_spawn(impl->strand, write_commands(impl, connection), rethrow);
}

RedisFailure unavailable(const Impl& impl, const std::string& what) {
  return RedisFailure{RedisFailure::Kind::unavailable, "Redis at " + impl.options.endpoint.authority() + " " + what};
}

asio::awaitable<boost::system::result<std::shared_ptr<Connection>, RedisFailure>> connected(std::shared_ptr<Impl> impl,
                                                                                            SteadyTime deadline) {
  using namespace asio::experimental::awaitable_operators;
  if (impl->current) co_return impl->current;
  if (impl->connecting) {  // another command is connecting: wait for its outcome
    auto waiter = std::make_shared<asio::steady_timer>(impl->strand, deadline);
    impl->connect_waiters.push_back(waiter);
    co_await waiter->async_wait(kAsTuple);
    if (impl->current) co_return impl->current;
    co_return unavailable(*impl, "is unavailable: " + (impl->last_error.empty() ? "connecting took too long" : impl->last_error));
  }
  const SteadyTime now = std::chrono::steady_clock::now();
  if (now < impl->retry_at)
    co_return unavailable(*impl, "is unavailable (" + impl->last_error + "); the next try is in " +
                                     std::to_string(std::chrono::ceil<std::chrono::milliseconds>(impl->retry_at - now).count()) +
                                     " ms");

  impl->connecting = true;
  auto connection = std::make_shared<Connection>(impl->strand);
  const SteadyTime until = std::min(deadline, now + impl->options.connect_timeout);
  asio::steady_timer timer(impl->strand, until);
  auto outcome = co_await (establish(impl, connection, until) || timer.async_wait(kAsTuple));
  std::optional<std::string> error = outcome.index() == 0 ? std::get<0>(outcome) : std::optional<std::string>("timed out");
  impl->connecting = false;
  if (error) {
    connection->close_socket();
    impl->last_error = "cannot connect: " + *error;
    impl->retry_at = std::chrono::steady_clock::now() + impl->backoff;
    impl->backoff = std::min(impl->backoff * 2, impl->options.max_backoff);
  } else {
    connection->open = true;
    impl->current = connection;
    impl->backoff = impl->options.first_backoff;
    impl->last_error.clear();
    start_tasks(impl, connection);
  }
  for (const auto& waiter : impl->connect_waiters) waiter->cancel();
  impl->connect_waiters.clear();
  if (error) co_return unavailable(*impl, impl->last_error);
  co_return connection;
}

asio::awaitable<RedisResult> run_command(std::shared_ptr<Impl> impl, std::vector<std::string> args,
                                         SteadyTime deadline) {
  if (deadline <= std::chrono::steady_clock::now())
    co_return RedisFailure{RedisFailure::Kind::timeout, "no time was left for the Redis command"};
  auto found = co_await connected(impl, deadline);
  if (!found) co_return found.error();
  const std::shared_ptr<Connection> connection = *found;
  auto pending = std::make_shared<Pending>(impl->strand);
  pending->signal.expires_at(deadline);
  connection->waiting.push_back(pending);
  connection->outbox += encode_redis_command(args);
  connection->wake.cancel();

  co_await pending->signal.async_wait(kAsTuple);
  if (pending->done) {
    if (pending->failure) co_return std::move(*pending->failure);
    co_return std::move(*pending->reply);
  }
  const auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none)
    co_return RedisFailure{RedisFailure::Kind::cancelled, "the Redis command was cancelled"};
  impl->fail(connection, "no reply within the deadline");
  // A stalled server would stall the next command too: wait a backoff before trying again.
  impl->retry_at = std::chrono::steady_clock::now() + impl->backoff;
  impl->backoff = std::min(impl->backoff * 2, impl->options.max_backoff);
  co_return RedisFailure{RedisFailure::Kind::timeout,
                         "Redis at " + impl->options.endpoint.authority() + " did not answer in time"};
}

}  // namespace

RedisClient::RedisClient(asio::any_io_executor executor, RedisClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

RedisClient::~RedisClient() { close(); }

asio::awaitable<RedisResult> RedisClient::command(std::vector<std::string> args, SteadyTime deadline) {
  co_return co_await asio::co_spawn(impl_->strand, run_command(impl_, std::move(args), deadline), asio::use_awaitable);
}

void RedisClient::close() {
  asio::post(impl_->strand, [impl = impl_] {
    if (impl->current) impl->fail(impl->current, "closed");
  });
}

const RedisEndpoint& RedisClient::endpoint() const { return impl_->options.endpoint; }

}  // namespace kmcp
