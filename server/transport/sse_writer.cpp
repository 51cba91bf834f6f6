#include "server/transport/sse_writer.hpp"

#include "server/transport/sse_format.hpp"

namespace kmcp {

namespace beast = boost::beast;

SseWriter::SseWriter(HttpStream& stream, std::chrono::steady_clock::duration write_timeout,
                     std::string id_prefix)
    : stream_(stream), timeout_(write_timeout), id_prefix_(std::move(id_prefix)) {}

asio::awaitable<boost::system::error_code> SseWriter::start(const HttpRequest& request,
                                                            std::optional<std::string> session_id) {
  http::response<http::empty_body> header(http::status::ok, request.version());
  header.set(http::field::content_type, "text/event-stream");
  header.set(http::field::cache_control, "no-cache");
  if (session_id) header.set("Mcp-Session-Id", *session_id);
  // HTTP/1.0 has no chunks: the stream then ends by closing the connection.
  chunked_ = request.version() >= 11;
  keep_alive_ = chunked_ && request.keep_alive();
  header.keep_alive(keep_alive_);
  if (chunked_) header.chunked(true);
  started_ = true;

  http::response_serializer<http::empty_body> serializer(header);
  stream_.expires_after(timeout_);
  auto [ec, n] = co_await http::async_write_header(stream_, serializer, asio::as_tuple(asio::use_awaitable));
  (void)n;
  stream_.expires_never();
  co_return ec;
}

asio::awaitable<boost::system::error_code> SseWriter::event(std::string_view json) {
  co_return co_await write_raw(sse_event(id_prefix_ + "-" + std::to_string(++next_id_), json));
}

asio::awaitable<boost::system::error_code> SseWriter::comment(std::string_view text) {
  co_return co_await write_raw(sse_comment(text));
}

asio::awaitable<boost::system::error_code> SseWriter::finish() {
  if (!chunked_) co_return boost::system::error_code{};
  stream_.expires_after(timeout_);
  auto [ec, n] = co_await asio::async_write(stream_, http::make_chunk_last(), asio::as_tuple(asio::use_awaitable));
  (void)n;
  stream_.expires_never();
  co_return ec;
}

asio::awaitable<boost::system::error_code> SseWriter::write_raw(std::string data) {
  stream_.expires_after(timeout_);
  boost::system::error_code ec;
  std::size_t n = 0;
  if (chunked_)
    std::tie(ec, n) = co_await asio::async_write(stream_, http::make_chunk(asio::buffer(data)),
                                                 asio::as_tuple(asio::use_awaitable));
  else
    std::tie(ec, n) = co_await asio::async_write(stream_, asio::buffer(data), asio::as_tuple(asio::use_awaitable));
  stream_.expires_never();
  co_return ec;
}

}  // namespace kmcp
