#pragma once
// Runs a program as a child process with pipes on stdin, stdout and stderr, for tests that
// drive the real server binary. Every call is bounded: none can block forever.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kmcp {

class Subprocess {
 public:
  // argv[0] is the program: a path, or a name looked up in PATH. The child's environment is the
  // parent's without any KLAVIYO_* variable (so a developer's real key never reaches a test),
  // plus `environment`, which wins on conflicts. Throws std::runtime_error when the program
  // cannot be started.
  explicit Subprocess(std::vector<std::string> argv, std::map<std::string, std::string> environment = {});
  ~Subprocess();  // closes stdin, kills the child (SIGKILL) if still running, and reaps it
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  int pid() const;

  // Writes `line` and a '\n'. False if stdin is closed, the child stopped reading for `timeout`,
  // or it exited.
  bool write_line(const std::string& line, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void close_stdin();

  // The next stdout line without its '\n'; nullopt on timeout, or at end of output with nothing
  // left (an unterminated last line is returned first).
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  // Everything the child wrote on stderr so far (collected continuously by a background thread).
  std::string stderr_text() const;
  bool wait_stderr_contains(const std::string& needle, std::chrono::milliseconds timeout) const;
  // Waits until the child's stderr reached end of file (all of it is in stderr_text()).
  bool wait_stderr_closed(std::chrono::milliseconds timeout) const;

  // The exit status once the child has exited: its exit code, or 128 + signal number when a
  // signal ended it (the shell convention). nullopt if still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  void terminate();  // SIGTERM
  void kill();       // SIGKILL

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmcp
