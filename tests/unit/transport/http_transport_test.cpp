#include <doctest/doctest.h>

#include "server/mcp/jsonrpc.hpp"
#include "tests/unit/transport/http_harness.hpp"

namespace kmcp {
namespace {
using test::HttpHarness;
using test::Response;

void check_refusal(const Response& response, unsigned status, std::string_view text) {
  CHECK(response.result_int() == status);
  CHECK(response[test::http::field::content_type] == "application/json");
  const json::object body = test::body_json(response);
  CHECK(body.at("jsonrpc") == "2.0");
  CHECK(body.at("id").is_null());
  const json::value* error = body.if_contains("error");
  REQUIRE_MESSAGE(error, "not an error: " << json::serialize(body));
  const std::string message(error->at("message").as_string());
  CHECK_MESSAGE(message.find(text) != std::string::npos, message);
}
}  // namespace

TEST_CASE("http: initialize opens a session; its id is random visible ASCII; requests need it") {
  HttpHarness h;
  Response init = h.send(h.post(test::initialize_request(1)));
  CHECK(init.result_int() == 200);
  CHECK(init[test::http::field::content_type] == "application/json");
  const std::string session(init["Mcp-Session-Id"]);
  CHECK(session.size() == 32);
  CHECK(std::all_of(session.begin(), session.end(), [](char c) { return c >= 0x21 && c <= 0x7e; }));
  CHECK(test::body_json(init).at("result").at("protocolVersion") == "2025-11-25");

  Response second = h.send(h.post(test::initialize_request(1)));
  CHECK(std::string(second["Mcp-Session-Id"]) != session);

  Response list = h.send(h.post(test::request_text(2, "tools/list"), session));
  CHECK(list.result_int() == 200);
  CHECK(test::body_json(list).at("result").at("tools").as_array().at(0).at("name") == "get_thing");

  Response call = h.send(h.post(test::call_text(3, "echo"), session));
  CHECK(call.result_int() == 200);
  CHECK(test::body_json(call).at("result").at("structuredContent").at("mode") == "echo");
}

TEST_CASE("http: session errors: missing id 400, unknown id 404, initialize with an id 400") {
  HttpHarness h;
  check_refusal(h.send(h.post(test::request_text(2, "tools/list"))), 400, "Mcp-Session-Id");
  check_refusal(h.send(h.post(test::request_text(2, "tools/list"), "00000000000000000000000000000000")), 404,
                "Session not found");
  auto init = h.post(test::initialize_request(1));
  init.set("Mcp-Session-Id", "abc");
  check_refusal(h.send(init), 400, "initialize");
}

TEST_CASE("http: MCP-Protocol-Version must be supported when present; absent is accepted") {
  HttpHarness h;
  const std::string session = h.open_session();
  auto bad = h.post(test::request_text(2, "ping"), session);
  bad.set("MCP-Protocol-Version", "1999-01-01");
  check_refusal(h.send(bad), 400, "MCP-Protocol-Version");

  auto absent = h.post(test::request_text(3, "ping"), session);
  absent.erase("MCP-Protocol-Version");
  CHECK(h.send(absent).result_int() == 200);
}

TEST_CASE("http: Origin and Host are checked against DNS rebinding") {
  HttpOptions options;
  options.allowed_origins = {"https://app.example.com"};
  options.allowed_hosts = {"mcp.internal"};
  HttpHarness h(options);

  auto evil_origin = h.post(test::initialize_request(1));
  evil_origin.set(test::http::field::origin, "http://evil.example");
  check_refusal(h.send(evil_origin), 403, "Origin");

  auto local_origin = h.post(test::initialize_request(1));
  local_origin.set(test::http::field::origin, "http://localhost:6274");
  CHECK(h.send(local_origin).result_int() == 200);

  auto listed_origin = h.post(test::initialize_request(1));
  listed_origin.set(test::http::field::origin, "https://app.example.com");
  CHECK(h.send(listed_origin).result_int() == 200);

  auto evil_host = h.post(test::initialize_request(1));
  evil_host.set(test::http::field::host, "evil.example:8080");
  check_refusal(h.send(evil_host), 403, "Host");

  auto listed_host = h.post(test::initialize_request(1));
  listed_host.set(test::http::field::host, "mcp.internal:8080");
  CHECK(h.send(listed_host).result_int() == 200);
}

TEST_CASE("http: notifications and responses get 202 with no body") {
  HttpHarness h;
  const std::string session = h.open_session();  // notifications/initialized: 202 (checked inside)
  Response response = h.send(h.post(R"({"jsonrpc":"2.0","id":"s1","result":{}})", session));
  CHECK(response.result_int() == 202);
  CHECK(response.body().empty());
  Response unknown = h.send(h.post(test::notification_text("notifications/whatever"), session));
  CHECK(unknown.result_int() == 202);
}

TEST_CASE("http: progress turns the reply into an SSE stream: progress event, then the response") {
  HttpHarness h;
  const std::string session = h.open_session();
  Response reply = h.send(h.post(test::call_text(9, "progress", json::value("tok")), session));
  CHECK(reply.result_int() == 200);
  CHECK(reply[test::http::field::content_type] == "text/event-stream");
  CHECK(reply[test::http::field::cache_control] == "no-cache");
  const auto messages = test::sse_messages(reply.body());
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("method") == "notifications/progress");
  CHECK(messages[0].at("params").at("progressToken") == "tok");
  CHECK(messages[1].at("id") == 9);
  CHECK(messages[1].at("result").at("structuredContent").at("mode") == "progress");
  // Every event carries an id, distinct within the stream.
  CHECK(reply.body().find("id: ") == 0);
  CHECK(reply.body().find("event: message\n") != std::string::npos);
  const auto first_id = reply.body().substr(4, reply.body().find('\n') - 4);
  CHECK(reply.body().find("id: " + first_id + "\n", 1) == std::string::npos);
}

TEST_CASE("http: a client that takes only JSON gets the response as JSON, progress dropped") {
  HttpHarness h;
  const std::string session = h.open_session();
  auto request = h.post(test::call_text(9, "progress", json::value("tok")), session);
  request.set(test::http::field::accept, "application/json");
  Response reply = h.send(request);
  CHECK(reply.result_int() == 200);
  CHECK(reply[test::http::field::content_type] == "application/json");
  CHECK(test::body_json(reply).at("id") == 9);
}

TEST_CASE("http: one GET stream per session; DELETE ends the session and its stream") {
  HttpHarness h;
  const std::string session = h.open_session();

  test::TestConnection stream(h.client, h.port);
  stream.write(test::mcp_get(h.port, session));
  const auto& header = stream.read_header();
  CHECK(header.get().result_int() == 200);
  CHECK(header.get()[test::http::field::content_type] == "text/event-stream");
  CHECK(header.get()[test::http::field::cache_control] == "no-cache");

  check_refusal(h.send(test::mcp_get(h.port, session)), 409, "GET stream");

  Response deleted = h.send(test::mcp_delete(h.port, session));
  CHECK(deleted.result_int() == 200);
  Response rest = stream.read_rest();  // the stream ends with the session
  CHECK(rest.body().empty());

  check_refusal(h.send(h.post(test::request_text(5, "ping"), session)), 404, "Session not found");
  check_refusal(h.send(test::mcp_delete(h.port, session)), 404, "Session not found");
  check_refusal(h.send(test::mcp_get(h.port, session)), 404, "Session not found");
}

TEST_CASE("http: GET without Accept: text/event-stream is 405 with Allow; other methods 405; other paths 404") {
  HttpHarness h;
  const std::string session = h.open_session();
  auto get = test::mcp_get(h.port, session);
  get.set(test::http::field::accept, "*/*");
  Response no_stream = h.send(get);
  CHECK(no_stream.result_int() == 405);
  CHECK(no_stream[test::http::field::allow] == "GET, POST, DELETE");

  auto put = h.post(test::request_text(1, "ping"), session);
  put.method(test::http::verb::put);
  Response not_allowed = h.send(put);
  CHECK(not_allowed.result_int() == 405);
  CHECK(not_allowed[test::http::field::allow] == "GET, POST, DELETE");

  auto elsewhere = h.post(test::request_text(1, "ping"), session);
  elsewhere.target("/other");
  check_refusal(h.send(elsewhere), 404, "/mcp");
  auto with_query = h.post(test::request_text(1, "ping"), session);
  with_query.target("/mcp?x=1");
  CHECK(h.send(with_query).result_int() == 200);
}

TEST_CASE("http: body limit 413, wrong content type 415, unacceptable Accept 406, bad JSON-RPC 400") {
  HttpOptions options;
  options.max_body_bytes = 1024;
  HttpHarness h(options);

  Response too_large = h.send(h.post(test::request_text(1, "ping", {{"pad", std::string(4000, 'x')}})));
  check_refusal(too_large, 413, "Payload Too Large");

  auto text = h.post(test::initialize_request(1));
  text.set(test::http::field::content_type, "text/plain");
  check_refusal(h.send(text), 415, "Content-Type");

  auto html = h.post(test::initialize_request(1));
  html.set(test::http::field::accept, "text/html");
  check_refusal(h.send(html), 406, "Accept");

  auto no_accept = h.post(test::initialize_request(1));
  no_accept.erase(test::http::field::accept);
  CHECK(h.send(no_accept).result_int() == 200);  // lenient with clients that omit it

  Response batch = h.send(h.post("[" + test::request_text(1, "ping") + "]"));
  CHECK(batch.result_int() == 400);
  CHECK(test::body_json(batch).at("error").at("code") == jsonrpc::kInvalidRequest);
  Response garbage = h.send(h.post("{nope"));
  CHECK(garbage.result_int() == 400);
  CHECK(test::body_json(garbage).at("error").at("code") == jsonrpc::kParseError);
}

TEST_CASE("http: oversized headers get 431") {
  HttpOptions options;
  options.max_header_bytes = 2048;
  HttpHarness h(options);
  auto request = h.post(test::initialize_request(1));
  request.set("X-Padding", std::string(4000, 'p'));
  CHECK(h.send(request).result_int() == 431);
}

TEST_CASE("http: Expect: 100-continue gets the go-ahead before the body is sent") {
  HttpHarness h;
  const std::string body = test::initialize_request(1);
  test::TestConnection connection(h.client, h.port);
  connection.write_raw("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       "Accept: application/json, text/event-stream\r\nExpect: 100-continue\r\n"
                       "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  CHECK(connection.read().result_int() == 100);
  connection.write_raw(body);
  Response reply = connection.read();
  CHECK(reply.result_int() == 200);
  CHECK_FALSE(std::string(reply["Mcp-Session-Id"]).empty());
}

TEST_CASE("http: keep-alive serves several requests on one connection") {
  HttpHarness h;
  const std::string session = h.open_session();
  test::TestConnection connection(h.client, h.port);
  for (int id = 1; id <= 3; ++id) {
    Response reply = connection.exchange(h.post(test::request_text(id, "ping"), session));
    CHECK(reply.result_int() == 200);
    CHECK(test::body_json(reply).at("id") == id);
  }
}

TEST_CASE("http: a client hanging up during its tools/call cancels the call") {
  HttpHarness h;
  const std::string session = h.open_session();
  test::TestConnection connection(h.client, h.port);
  connection.write(h.post(test::call_text(4, "block"), session));
  REQUIRE(test::ready_within(h.runner.started()));
  connection.close();
  CHECK(test::ready_within(h.runner.cancelled()));
  // The session lives on.
  CHECK(h.send(h.post(test::request_text(5, "ping"), session)).result_int() == 200);
}

TEST_CASE("http: notifications/cancelled over POST stops a call another POST is waiting on") {
  HttpHarness h;
  const std::string session = h.open_session();
  test::TestConnection connection(h.client, h.port);
  connection.write(h.post(test::call_text(6, "block"), session));
  REQUIRE(test::ready_within(h.runner.started()));
  Response cancel = h.send(h.post(test::notification_text("notifications/cancelled", {{"requestId", 6}}), session));
  CHECK(cancel.result_int() == 202);
  CHECK(test::ready_within(h.runner.cancelled()));
  // No response is due: the POST ends with an empty event stream.
  Response reply = connection.read();
  CHECK(reply.result_int() == 200);
  CHECK(reply[test::http::field::content_type] == "text/event-stream");
  CHECK(test::sse_messages(reply.body()).empty());
}

TEST_CASE("http: a request pipelined behind a running call is kept and answered after it") {
  HttpHarness h;
  const std::string session = h.open_session();
  test::TestConnection connection(h.client, h.port);
  connection.write(h.post(test::call_text(11, "block"), session));
  REQUIRE(test::ready_within(h.runner.started()));
  connection.write(h.post(test::request_text(12, "ping"), session));  // read by the hang-up watch
  CHECK(h.send(h.post(test::notification_text("notifications/cancelled", {{"requestId", 11}}), session))
            .result_int() == 202);
  REQUIRE(test::ready_within(h.runner.cancelled()));
  CHECK(connection.read().result_int() == 200);  // the cancelled call's (empty) stream
  Response ping = connection.read();
  CHECK(ping.result_int() == 200);
  CHECK(test::body_json(ping).at("id") == 12);
}

TEST_CASE("http: a connection that sends nothing is closed after the idle timeout") {
  HttpOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  HttpHarness h(options);
  test::TestConnection silent(h.client, h.port);
  CHECK(silent.closed_by_server());
}

TEST_CASE("http: stop() ends calls, streams and idle connections, and run() returns") {
  HttpHarness h;
  const std::string session = h.open_session();

  test::TestConnection stream(h.client, h.port);
  stream.write(test::mcp_get(h.port, session));
  CHECK(stream.read_header().get().result_int() == 200);

  test::TestConnection idle(h.client, h.port);
  CHECK(idle.exchange(h.post(test::request_text(1, "ping"), session)).result_int() == 200);

  test::TestConnection call(h.client, h.port);
  call.write(h.post(test::call_text(2, "block"), session));
  REQUIRE(test::ready_within(h.runner.started()));

  CHECK(h.stop());
  CHECK(test::ready_within(h.runner.cancelled()));
  CHECK(idle.closed_by_server());
}

}  // namespace kmcp
