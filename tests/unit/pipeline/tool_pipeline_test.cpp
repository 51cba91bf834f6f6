#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>

#include "server/pipeline/cursor_table.hpp"
#include "tests/unit/pipeline/pipeline_harness.hpp"
#include "tests/unit/pipeline/retry_specs.hpp"
#include "tests/unit/pipeline/test_specs.hpp"

using namespace kmcp;
using namespace kmcp::test;
using namespace std::chrono_literals;

namespace {

const char* kProfilesPage = R"({
  "data":[{"type":"profile","id":"P1","attributes":{"email":"a@b.co"},"links":{"self":"s"}}],
  "links":{"self":"s","next":"https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=NEXT1"}})";

}  // namespace

TEST_CASE("schema violations are validation errors naming the argument; nothing is sent") {
  Harness h;
  auto spec = test::add_profiles_to_list_spec();

  auto wrong_item = error_of(h.call(spec, R"({"list_id":"L1","profile_ids":["P1",7]})"));
  CHECK(wrong_item.at("kind") == "validation");
  CHECK(wrong_item.at("argument") == "profile_ids[1]");
  CHECK(message_of(wrong_item).find("profile_ids[1]") != std::string::npos);
  REQUIRE(wrong_item.at("violations").as_array().size() == 1);
  CHECK(wrong_item.at("violations").as_array()[0].at("argument") == "profile_ids[1]");

  auto missing = error_of(h.call(spec, R"({"profile_ids":["P1"]})"));
  CHECK(missing.at("argument") == "list_id");

  auto two = error_of(h.call(spec, R"({"list_id":5,"profile_ids":"P1"})"));
  CHECK(two.at("violations").as_array().size() == 2);
  CHECK(message_of(two).find("list_id") != std::string::npos);
  CHECK(message_of(two).find("profile_ids") != std::string::npos);

  CHECK(h.upstream.requests.empty());
}

TEST_CASE("a failing precondition is returned as is; nothing is sent") {
  Harness h;
  auto error = error_of(h.call(test::add_profiles_to_list_spec(), R"({"list_id":"L1","profile_ids":["a","b","c","d"]})"));
  CHECK(error.at("kind") == "precondition");
  CHECK(error.at("argument") == "profile_ids");
  CHECK(h.upstream.requests.empty());
}

TEST_CASE("missing credentials are auth errors naming the setting") {
  SUBCASE("no private key") {
    Harness h(accounts_with(""));
    auto error = error_of(h.call(test::get_profiles_spec(), "{}"));
    CHECK(error.at("kind") == "auth");
    CHECK(message_of(error).find("KLAVIYO_API_KEY") != std::string::npos);
    CHECK(h.upstream.requests.empty());
  }
  SUBCASE("unknown account") {
    Harness h;
    auto ctx = h.context();
    ctx.account = "other";
    auto error = error_of(h.call(test::get_profiles_spec(), "{}", ctx));
    CHECK(error.at("kind") == "auth");
    CHECK(message_of(error).find("'other'") != std::string::npos);
  }
  SUBCASE("no public key for a client-side tool") {
    Harness h;
    auto error = error_of(h.call(test::create_client_subscription_spec(), R"({"email":"a@b.co"})"));
    CHECK(error.at("kind") == "auth");
    CHECK(message_of(error).find("KLAVIYO_PUBLIC_KEY") != std::string::npos);
    CHECK(h.upstream.requests.empty());
  }
}

TEST_CASE("a successful read: request built, result shaped, progress and logs reported") {
  Harness h;
  h.upstream.answer(200, kProfilesPage);
  std::vector<Progress> progress;
  std::vector<json::object> client_logs;
  auto ctx = h.context();
  ctx.progress = [&](double p, std::optional<double> total, std::string message) {
    progress.push_back({p, total, std::move(message)});
  };
  ctx.log = [&](LogLevel level, json::object data) {
    CHECK(level == LogLevel::debug);
    client_logs.push_back(std::move(data));
  };

  auto result = h.call(test::get_profiles_spec(), R"({"fields_profile":["email"],"page_size":2})", ctx);

  REQUIRE(h.upstream.requests.size() == 1);
  const auto& sent = h.upstream.requests[0];
  CHECK(sent.method == boost::beast::http::verb::get);
  CHECK(sent.target == "/api/profiles?fields%5Bprofile%5D=email&page%5Bsize%5D=2");
  CHECK(header(sent, "Authorization") == "Klaviyo-API-Key pk_secret_test_key");
  CHECK(header(sent, "revision") == "2026-07-15");
  CHECK(sent.body.empty());

  CHECK(result.at("isError") == false);
  auto shaped = result.at("structuredContent").as_object();
  CHECK(shaped.at("data") == json::parse(R"([{"type":"profile","id":"P1","email":"a@b.co"}])"));
  CHECK(shaped.at("has_more") == true);
  CHECK(CursorTable::looks_like_token(shaped.at("next_cursor").as_string()));

  REQUIRE(progress.size() == 3);
  CHECK(progress[0].progress == 0);
  CHECK(progress[1].progress == 1);
  CHECK(progress[2].progress == 2);
  CHECK(progress[2].total == std::optional<double>(2));

  REQUIRE(client_logs.size() == 1);
  CHECK(client_logs[0].at("method") == "GET");
  CHECK(client_logs[0].at("path") == "/api/profiles");
  CHECK(client_logs[0].at("status") == 200);
  CHECK(client_logs[0].contains("duration_ms"));

  std::string server_log = h.log_lines.str();
  CHECK(server_log.find("\"tool_call\"") != std::string::npos);
  CHECK(server_log.find("\"get_profiles\"") != std::string::npos);
  CHECK(server_log.find("\"status\":200") != std::string::npos);
  CHECK(server_log.find("pk_secret_test_key") == std::string::npos);
  CHECK(server_log.find("a@b.co") == std::string::npos);  // no bodies
}

TEST_CASE("a write sends its JSON:API body; a 404 maps to not_found") {
  Harness h;
  h.upstream.answer(404, R"({"errors":[{"id":"1","status":404,"code":"not_found","title":"Not found.",
                              "detail":"A list with id L404 does not exist.","source":{"pointer":"/data/"}}]})");
  auto error = error_of(h.call(test::update_list_spec(), R"({"id":"L404","name":"VIP"})"));
  CHECK(error.at("kind") == "not_found");
  CHECK(error.at("status") == 404);
  CHECK(message_of(error).find("L404 does not exist") != std::string::npos);

  REQUIRE(h.upstream.requests.size() == 1);
  const auto& sent = h.upstream.requests[0];
  CHECK(sent.method == boost::beast::http::verb::patch);
  CHECK(sent.target == "/api/lists/L404");
  CHECK(header(sent, "Content-Type") == "application/vnd.api+json");
  CHECK(json::parse(sent.body) == json::parse(R"({"data":{"type":"list","id":"L404","attributes":{"name":"VIP"}}})"));
  CHECK(h.log_lines.str().find("\"error\":\"not_found\"") != std::string::npos);
}

TEST_CASE("a client-side tool sends the public key as company_id, without Authorization") {
  Harness h(accounts_with("pk_private", "PUBK1"));
  h.upstream.answer(202, "");
  auto result = h.call(test::create_client_subscription_spec(), R"({"email":"a@b.co"})");
  CHECK(result.at("structuredContent").at("accepted") == true);
  REQUIRE(h.upstream.requests.size() == 1);
  CHECK(h.upstream.requests[0].target == "/client/subscriptions?company_id=PUBK1");
  CHECK(header(h.upstream.requests[0], "Authorization") == "<absent>");
  CHECK(h.log_lines.str().find("default:public") != std::string::npos);
}

TEST_CASE("429 with Retry-After: 0 is retried once, then succeeds") {
  Harness h;
  h.upstream.answer(429, R"({"errors":[{"code":"throttled","detail":"Request was throttled."}]})", {{"Retry-After", "0"}});
  h.upstream.answer(200, kProfilesPage);
  std::vector<double> steps;
  auto ctx = h.context();
  ctx.progress = [&](double p, std::optional<double>, std::string) { steps.push_back(p); };

  auto result = h.call(test::get_profiles_spec(), "{}", ctx);
  CHECK(result.at("isError") == false);
  CHECK(h.upstream.requests.size() == 2);
  REQUIRE(steps.size() >= 3);
  for (std::size_t i = 1; i < steps.size(); ++i) CHECK(steps[i] > steps[i - 1]);  // MCP: progress only grows
  // Each request, the 429 and the retry are counted; the call once, as a success.
  CHECK(h.metrics.value(metric::kUpstreamRequests, {{"status", "429"}}) == 1);
  CHECK(h.metrics.value(metric::kUpstreamRequests, {{"status", "200"}}) == 1);
  CHECK(h.metrics.value(metric::kUpstreamRateLimited) == 1);
  CHECK(h.metrics.value(metric::kUpstreamRetries, {{"reason", "rate_limited"}}) == 1);
  CHECK(h.metrics.value(metric::kRateLimitWaitSeconds) == 2);  // two acquisitions observed
  CHECK(h.metrics.value(metric::kUpstreamSeconds) == 2);
  const std::string tool = test::get_profiles_spec().name;
  CHECK(h.metrics.value(metric::kToolCalls, {{"tool", tool}, {"outcome", "ok"}}) == 1);
  CHECK(h.metrics.value(metric::kToolCallSeconds, {{"tool", tool}}) == 1);
  CHECK(h.metrics.value(metric::kToolCallsInFlight) == 0);
}

TEST_CASE("a 429 still there after every attempt is returned as rate_limited") {
  Harness h;
  for (int i = 0; i < 6; ++i) h.upstream.answer(429, "", {{"Retry-After", "0"}});
  auto error = error_of(h.call(test::get_profiles_spec(), "{}"));
  CHECK(error.at("kind") == "rate_limited");
  CHECK(error.at("retry_after_seconds") == 0);
  CHECK(h.upstream.requests.size() == RetryOptions{}.max_attempts);
  CHECK(h.metrics.value(metric::kUpstreamRateLimited) == RetryOptions{}.max_attempts);
  CHECK(h.metrics.value(metric::kUpstreamRetries, {{"reason", "rate_limited"}}) == RetryOptions{}.max_attempts - 1);
  CHECK(h.metrics.value(metric::kToolCalls, {{"tool", test::get_profiles_spec().name}, {"outcome", "rate_limited"}}) ==
        1);
}

TEST_CASE("a 429 whose Retry-After lies past the deadline is returned at once") {
  Harness h;
  h.upstream.answer(429, "", {{"Retry-After", "30"}});
  auto started = std::chrono::steady_clock::now();
  auto error = error_of(h.call(test::get_profiles_spec(), "{}", h.context(5s)));
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(error.at("kind") == "rate_limited");
  CHECK(error.at("retry_after_seconds").to_number<double>() == doctest::Approx(30));
  CHECK(h.upstream.requests.size() == 1);
}

TEST_CASE("a call the rate budget cannot admit before its deadline is refused unsent") {
  Harness h;
  auto spec = test::get_profiles_spec();
  spec.rate.limits = {1, 1, std::nullopt};
  h.upstream.answer(200, kProfilesPage);
  CHECK(h.call(spec, "{}").at("isError") == false);
  auto error = error_of(h.call(spec, "{}", h.context(1s)));
  CHECK(error.at("kind") == "rate_limited");
  CHECK(error.contains("retry_after_seconds"));
  CHECK(h.upstream.requests.size() == 1);
}

TEST_CASE("a create that may have been sent reports outcome_unknown") {
  Harness h;
  h.upstream.script.push_back(UpstreamFailure{UpstreamFailure::Kind::reset, true, "connection reset by peer"});
  auto error = error_of(h.call(test::bulk_subscribe_spec(), R"({"profiles":[{"email":"a@b.co"}]})"));
  CHECK(error.at("kind") == "outcome_unknown");
  CHECK(h.metrics.value(metric::kUpstreamRequests, {{"status", "failed"}}) == 1);
  CHECK(h.upstream.requests.size() == 1);  // never retried
}

namespace {

// Starts a call bound to `signal`, runs until `ready` holds, cancels, then runs to the end.
json::object cancel_when(Harness& h, const ToolSpec& spec, std::string_view args, CallContext ctx,
                         const std::function<bool()>& ready) {
  asio::cancellation_signal signal;
  std::optional<json::object> out;
  asio::co_spawn(h.io, h.pipeline.call(spec, parse_object(args), std::move(ctx)),
                 asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr error, json::object result) {
                   if (error) std::rethrow_exception(error);
                   out = std::move(result);
                 }));
  auto give_up = std::chrono::steady_clock::now() + 5s;
  while (!ready() && !out && std::chrono::steady_clock::now() < give_up) h.io.run_one_for(100ms);
  REQUIRE(ready());
  REQUIRE_FALSE(out.has_value());
  signal.emit(asio::cancellation_type::terminal);
  h.io.run_for(5s);
  REQUIRE(out.has_value());
  return *out;
}

}  // namespace

TEST_CASE("cancelling while the request is in flight ends the call as cancelled") {
  Harness h;
  h.upstream.hang = true;
  auto started = std::chrono::steady_clock::now();
  auto error = error_of(cancel_when(h, test::get_profiles_spec(), "{}", h.context(),
                                    [&] { return h.upstream.requests.size() == 1; }));
  CHECK(error.at("kind") == "cancelled");
  CHECK(std::chrono::steady_clock::now() - started < 4s);  // did not wait for the 5 s hang
  CHECK(h.log_lines.str().find("\"error\":\"cancelled\"") != std::string::npos);
}

TEST_CASE("cancelling during the 429 wait does not turn into a retry") {
  Harness h;
  h.upstream.answer(429, "", {{"Retry-After", "3"}});
  h.upstream.answer(200, kProfilesPage);
  auto started = std::chrono::steady_clock::now();
  auto error = error_of(cancel_when(h, test::get_profiles_spec(), "{}", h.context(20s),
                                    [&] { return h.upstream.requests.size() == 1; }));
  CHECK(error.at("kind") == "cancelled");
  CHECK(h.upstream.requests.size() == 1);
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);
}

TEST_CASE("a multipart tool sends its form body with a multipart Content-Type, not JSON:API") {
  Harness h;
  h.upstream.answer(201, R"({"data":{"type":"image","id":"9","attributes":{"name":"Logo"}}})");
  auto result = h.call(test::upload_image_spec(), R"({"file_base64":"aGVsbG8=","file_name":"a.gif","name":"Logo"})");
  CHECK(result.at("isError") == false);
  REQUIRE(h.upstream.requests.size() == 1);
  const auto& sent = h.upstream.requests.front();
  CHECK(header(sent, "Content-Type") == "multipart/form-data; boundary=kmcp-form-boundary-0");
  CHECK(sent.body.find("filename=\"a.gif\"\r\nContent-Type: image/gif\r\n\r\nhello\r\n") != std::string::npos);
}

TEST_CASE("a file_path without an upload directory is refused as a precondition and nothing is sent") {
  Harness h;
  auto error = error_of(h.call(test::upload_image_spec(), R"({"file_path":"logo.png"})"));
  CHECK(error.at("kind") == "precondition");
  CHECK(message_of(error).find("--upload-dir") != std::string::npos);
  CHECK(h.upstream.requests.empty());
}

// Safe writes: a destructive call runs only after the human agreed (the confirm hook, else a
// single-use token); a dry run sends nothing.
namespace {

std::string token_of(const json::object& result) {
  const auto error = error_of(result);
  REQUIRE(error.at("kind") == "confirmation_required");
  return std::string(error.at("confirmation_token").as_string());
}

// A confirm hook answering `answer`, recording what it was asked.
std::function<asio::awaitable<std::optional<bool>>(std::string)> hook(std::optional<bool> answer,
                                                                       std::vector<std::string>& asked) {
  return [answer, &asked](std::string message) -> asio::awaitable<std::optional<bool>> {
    asked.push_back(std::move(message));
    co_return answer;
  };
}

ToolSpec destructive_delete() { return test::with_safe_write_arguments(test::delete_list_spec()); }

}  // namespace

TEST_CASE("a destructive call without a token answers with a preview and a token; nothing is sent") {
  Harness h;
  const auto result = h.call(destructive_delete(), R"({"id":"L1"})");
  const auto error = error_of(result);
  CHECK(error.at("kind") == "confirmation_required");
  CHECK(error.at("method") == "DELETE");
  CHECK(error.at("path") == "/api/lists/L1");
  CHECK(error.at("arguments") == parse_object(R"({"id":"L1"})"));
  CHECK(message_of(error).find("Show this to the human") != std::string::npos);
  CHECK(h.upstream.requests.empty());
}

TEST_CASE("the token runs the call once; reused or with other arguments it is refused unsent") {
  Harness h;
  const auto spec = destructive_delete();
  const auto token = token_of(h.call(spec, R"({"id":"L1"})"));

  h.upstream.answer(204, "");
  const auto args = R"({"id":"L1","confirmation_token":")" + token + "\"}";
  CHECK(h.call(spec, args).at("isError") == false);
  REQUIRE(h.upstream.requests.size() == 1);
  CHECK(h.upstream.requests[0].target == "/api/lists/L1");

  const auto reused = error_of(h.call(spec, args));
  CHECK(reused.at("kind") == "confirmation_required");
  CHECK(message_of(reused).find("already used") != std::string::npos);
  CHECK(reused.at("confirmation_token").as_string() != token);  // a fresh one with the fresh preview

  const auto other = token_of(h.call(spec, R"({"id":"L1"})"));
  const auto altered = error_of(h.call(spec, R"({"id":"L2","confirmation_token":")" + other + "\"}"));
  CHECK(message_of(altered).find("other arguments") != std::string::npos);
  CHECK(h.upstream.requests.size() == 1);
}

TEST_CASE("the confirm hook decides when the client can ask the human") {
  Harness h;
  const auto spec = destructive_delete();
  std::vector<std::string> asked;

  SUBCASE("accepted: sent at once") {
    auto ctx = h.context();
    ctx.confirm = hook(true, asked);
    h.upstream.answer(204, "");
    CHECK(h.call(spec, R"({"id":"L1"})", std::move(ctx)).at("isError") == false);
    CHECK(h.upstream.requests.size() == 1);
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].find("DELETE /api/lists/L1") != std::string::npos);
  }
  SUBCASE("declined: nothing sent, the result says so") {
    auto ctx = h.context();
    ctx.confirm = hook(false, asked);
    const auto error = error_of(h.call(spec, R"({"id":"L1"})", std::move(ctx)));
    CHECK(error.at("kind") == "confirmation_declined");
    CHECK(message_of(error).find("declined") != std::string::npos);
    CHECK_FALSE(error.contains("confirmation_token"));
    CHECK(h.upstream.requests.empty());
  }
  SUBCASE("unavailable: the token path") {
    auto ctx = h.context();
    ctx.confirm = hook(std::nullopt, asked);
    token_of(h.call(spec, R"({"id":"L1"})", std::move(ctx)));
    CHECK(asked.size() == 1);
    CHECK(h.upstream.requests.empty());
  }
}

TEST_CASE("without confirmation (--no-confirm) a destructive call runs at once") {
  Harness h(accounts_with("pk_secret_test_key"), 20000, false);
  h.upstream.answer(204, "");
  CHECK(h.call(destructive_delete(), R"({"id":"L1"})").at("isError") == false);
  CHECK(h.upstream.requests.size() == 1);
}

TEST_CASE("a dry run describes the exact request, key masked, and sends nothing, destructive or not") {
  Harness h;
  const auto update = test::with_safe_write_arguments(test::update_list_spec());
  const auto result = h.call(update, R"({"id":"L1","name":"VIP","dry_run":true})");
  const auto error = error_of(result);
  CHECK(error.at("kind") == "dry_run");
  const auto& request = error.at("request");
  CHECK(request.at("method") == "PATCH");
  CHECK(request.at("url") == "https://a.klaviyo.com/api/lists/L1");
  CHECK(request.at("headers").at("Authorization") == "Klaviyo-API-Key ***");
  CHECK(request.at("body").at("data").at("attributes").at("name") == "VIP");
  CHECK(json::serialize(result).find("pk_secret_test_key") == std::string::npos);

  CHECK(error_of(h.call(destructive_delete(), R"({"id":"L1","dry_run":true})")).at("kind") == "dry_run");
  CHECK(h.upstream.requests.empty());
}

TEST_CASE("bad arguments are refused before any preview or token") {
  Harness h;
  CHECK(error_of(h.call(destructive_delete(), R"({})")).at("kind") == "validation");
  CHECK(error_of(h.call(destructive_delete(), R"({"id":"L1","confirmation_token":7})")).at("kind") ==
        "validation");
}
