// The Subprocess test helper itself (it lives in tests/support and has no binary of its own).
#include <doctest/doctest.h>

#include <stdlib.h>

#include <chrono>

#include "tests/support/subprocess.hpp"

namespace kmcp {

using namespace std::chrono_literals;

TEST_CASE("subprocess: cat echoes lines and exits 0 when stdin closes") {
  Subprocess cat({"/bin/cat"});
  REQUIRE(cat.write_line("hello"));
  REQUIRE(cat.write_line(R"({"jsonrpc":"2.0","id":1})"));
  CHECK(cat.read_line(5s) == "hello");
  CHECK(cat.read_line(5s) == R"({"jsonrpc":"2.0","id":1})");
  cat.close_stdin();
  CHECK(cat.wait_exit(5s) == 0);
  CHECK_FALSE(cat.read_line(1s).has_value());  // end of output
  CHECK_FALSE(cat.write_line("late"));
}

TEST_CASE("subprocess: stderr is captured and the exit code reported") {
  Subprocess sh({"/bin/sh", "-c", "echo x >&2; printf partial; exit 3"});
  CHECK(sh.wait_stderr_contains("x", 5s));
  CHECK(sh.wait_exit(5s) == 3);
  CHECK(sh.stderr_text() == "x\n");
  CHECK(sh.read_line(5s) == "partial");  // an unterminated last line still comes out
}

TEST_CASE("subprocess: KLAVIYO_* variables are not inherited unless given") {
  ::setenv("KLAVIYO_SUBPROCESS_TEST_SECRET", "leaked", 1);
  Subprocess sh({"/bin/sh", "-c", R"(echo "[$KLAVIYO_SUBPROCESS_TEST_SECRET][$KLAVIYO_GIVEN][$GREETING]")"},
                {{"KLAVIYO_GIVEN", "yes"}, {"GREETING", "hi"}});
  ::unsetenv("KLAVIYO_SUBPROCESS_TEST_SECRET");
  CHECK(sh.read_line(5s) == "[][yes][hi]");
  CHECK(sh.wait_exit(5s) == 0);
}

TEST_CASE("subprocess: waits are bounded and signals end the child") {
  Subprocess sleeper({"sleep", "30"});
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(sleeper.read_line(100ms).has_value());
  CHECK_FALSE(sleeper.wait_exit(100ms).has_value());
  CHECK(std::chrono::steady_clock::now() - start < 2s);
  CHECK_FALSE(sleeper.wait_stderr_contains("never", 50ms));
  sleeper.terminate();
  CHECK(sleeper.wait_exit(5s) == 128 + 15);
}

TEST_CASE("subprocess: the destructor kills a child that ignores its stdin closing") {
  const auto start = std::chrono::steady_clock::now();
  { Subprocess sleeper({"sleep", "30"}); }
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("subprocess: a program that does not exist is an error") {
  CHECK_THROWS_AS(Subprocess({"kmcp-no-such-program-xyz"}), std::runtime_error);
}

}  // namespace kmcp
