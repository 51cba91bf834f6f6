#include "tests/support/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace kmcp {
namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, rounded up, for poll().
int poll_timeout(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

int status_to_exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string name(text.substr(0, text.find('=')));
    if (name.starts_with("KLAVIYO_") || extra.count(name) != 0) continue;
    entries.emplace_back(text);
  }
  for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Blocks SIGPIPE for the calling thread while alive, so writing to a pipe whose reader died
// fails with EPIPE instead of killing the test process; a SIGPIPE raised meanwhile is consumed.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      const timespec zero{};
      while (sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool was_pending_ = false;
};

}  // namespace

struct Subprocess::Impl {
  pid_t pid = -1;
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int wake_read = -1;  // the stderr reader also watches this, to stop on demand
  int wake_write = -1;

  std::string stdout_buffer;
  bool stdout_eof = false;
  std::optional<int> exit_code;

  mutable std::mutex stderr_mutex;
  mutable std::condition_variable stderr_grew;
  std::string stderr_buffer;
  bool stderr_eof = false;
  std::thread stderr_reader;

  void read_stderr() {
    char chunk[4096];
    for (;;) {
      pollfd fds[2] = {{stderr_fd, POLLIN, 0}, {wake_read, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      const auto n = ::read(stderr_fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        {
          std::lock_guard lock(stderr_mutex);
          stderr_eof = true;
        }
        stderr_grew.notify_all();
        return;
      }
      {
        std::lock_guard lock(stderr_mutex);
        stderr_buffer.append(chunk, static_cast<std::size_t>(n));
      }
      stderr_grew.notify_all();
    }
  }

  // Reaps the child if it has exited; with `block`, waits for it.
  bool reap(bool block) {
    if (exit_code) return true;
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid) {
      exit_code = status_to_exit_code(status);
      return true;
    }
    return false;
  }
};

Subprocess::Subprocess(std::vector<std::string> argv, std::map<std::string, std::string> environment)
    : impl_(std::make_unique<Impl>()) {
  if (argv.empty()) throw std::runtime_error("Subprocess: empty argv");
  int in[2], out[2], err[2], wake[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("Subprocess: pipe failed");
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]);
    throw std::runtime_error("Subprocess: pipe failed");
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    throw std::runtime_error("Subprocess: pipe failed");
  }
  if (::pipe2(wake, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    throw std::runtime_error("Subprocess: pipe failed");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the target, so only fds 0-2 survive into the child.
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> env = child_environment(environment);
  auto argv_pointers = pointers_to(argv);
  auto env_pointers = pointers_to(env);
  const int rc = ::posix_spawnp(&impl_->pid, argv[0].c_str(), &actions, &attributes, argv_pointers.data(),
                                env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  impl_->stdin_fd = in[1];
  impl_->stdout_fd = out[0];
  impl_->stderr_fd = err[0];
  impl_->wake_read = wake[0];
  impl_->wake_write = wake[1];
  if (rc != 0) {
    for (int* fd : {&impl_->stdin_fd, &impl_->stdout_fd, &impl_->stderr_fd, &impl_->wake_read, &impl_->wake_write}) {
      close_fd(*fd);
    }
    throw std::runtime_error("Subprocess: cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  // Non-blocking stdin: a child that stops reading makes write_line time out, not hang.
  ::fcntl(impl_->stdin_fd, F_SETFL, ::fcntl(impl_->stdin_fd, F_GETFL) | O_NONBLOCK);
  impl_->stderr_reader = std::thread([impl = impl_.get()] { impl->read_stderr(); });
}

Subprocess::~Subprocess() {
  close_stdin();
  if (!impl_->reap(false)) {
    ::kill(impl_->pid, SIGKILL);
    impl_->reap(true);  // SIGKILL cannot be ignored: this returns promptly
  }
  const char stop = 1;
  [[maybe_unused]] const auto written = ::write(impl_->wake_write, &stop, 1);
  impl_->stderr_reader.join();
  for (int* fd : {&impl_->stdout_fd, &impl_->stderr_fd, &impl_->wake_read, &impl_->wake_write}) close_fd(*fd);
}

int Subprocess::pid() const { return impl_->pid; }

bool Subprocess::write_line(const std::string& line, std::chrono::milliseconds timeout) {
  if (impl_->stdin_fd < 0) return false;
  const std::string data = line + "\n";
  const auto deadline = Clock::now() + timeout;
  SigpipeGuard guard;
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::write(impl_->stdin_fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd fd{impl_->stdin_fd, POLLOUT, 0};
      const int ready = ::poll(&fd, 1, poll_timeout(deadline));
      if (ready == 0) return false;  // the child is not reading
      if (ready < 0 && errno != EINTR) return false;
      continue;
    }
    return false;  // EPIPE: the child closed its stdin or exited
  }
  return true;
}

void Subprocess::close_stdin() { close_fd(impl_->stdin_fd); }

std::optional<std::string> Subprocess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto& buffer = impl_->stdout_buffer;
  for (;;) {
    if (const auto newline = buffer.find('\n'); newline != std::string::npos) {
      std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      return line;
    }
    if (impl_->stdout_eof) {
      if (buffer.empty()) return std::nullopt;
      return std::exchange(buffer, std::string());
    }
    pollfd fd{impl_->stdout_fd, POLLIN, 0};
    const int ready = ::poll(&fd, 1, poll_timeout(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char chunk[4096];
    const auto n = ::read(impl_->stdout_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      impl_->stdout_eof = true;
      continue;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string Subprocess::stderr_text() const {
  std::lock_guard lock(impl_->stderr_mutex);
  return impl_->stderr_buffer;
}

bool Subprocess::wait_stderr_closed(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->stderr_mutex);
  return impl_->stderr_grew.wait_for(lock, timeout, [&] { return impl_->stderr_eof; });
}

bool Subprocess::wait_stderr_contains(const std::string& needle, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->stderr_mutex);
  return impl_->stderr_grew.wait_for(lock, timeout,
                                     [&] { return impl_->stderr_buffer.find(needle) != std::string::npos; });
}

std::optional<int> Subprocess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (impl_->reap(false)) return impl_->exit_code;
  // A pidfd becomes readable when the process exits: wait on it without polling in a loop.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, impl_->pid, 0));
  while (!impl_->reap(false)) {
    if (Clock::now() >= deadline) break;
    if (pidfd >= 0) {
      pollfd fd{pidfd, POLLIN, 0};
      ::poll(&fd, 1, poll_timeout(deadline));
    } else {
      // Kernels without pidfd_open (< 5.3): check again shortly.
      std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(5), deadline - Clock::now()));
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  return impl_->exit_code;
}

void Subprocess::terminate() {
  if (!impl_->reap(false)) ::kill(impl_->pid, SIGTERM);
}

void Subprocess::kill() {
  if (!impl_->reap(false)) ::kill(impl_->pid, SIGKILL);
}

}  // namespace kmcp
