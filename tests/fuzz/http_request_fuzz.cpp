// The HTTP request path up to the MCP endpoint: Beast's parser with the server's limits, then
// the screen (Host, Origin, path, method) and the header checks every POST goes through.
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string_view>

#include "server/transport/http_checks.hpp"
#include "server/transport/http_connection.hpp"
#include "server/transport/http_transport.hpp"
#include "server/transport/mcp_endpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = boost::beast::http;
  kmcp::HttpOptions options;
  // A token table, so the Authorization header's parsing is fuzzed too.
  static const auto tokens = [] {
    kmcp::BearerTokens table;
    table.add("fuzz-token-0123456789", "token-1", {"acme"});
    return std::make_shared<const kmcp::BearerTokens>(std::move(table));
  }();
  options.tokens = tokens;
  options.max_header_bytes = 16 * 1024;
  options.max_body_bytes = 64 * 1024;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  const auto& request = parser.get();
  (void)kmcp::screen_request(options, request);
  const kmcp::TokenGrant* grant = nullptr;
  (void)kmcp::authenticate(options, request, grant);
  (void)kmcp::choose_account(options, request, grant);
  (void)kmcp::accepts(request[http::field::accept], "application/json", true);
  (void)kmcp::accepts(request[http::field::accept], "text/event-stream", false);
  (void)kmcp::is_json_content_type(request[http::field::content_type]);
  (void)kmcp::protocol_version_supported(request["MCP-Protocol-Version"]);
  return 0;
}
