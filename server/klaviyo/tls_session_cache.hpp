#pragma once
// The last resumable TLS session with the upstream host, so a new connection resumes it (an
// abbreviated handshake: one round trip less and no certificate chain to verify) instead of
// starting over. One client talks to one host, so one session is kept. Thread-safe.
#include <openssl/ssl.h>

#include <mutex>

namespace kmcp {

class TlsSessionCache {
 public:
  TlsSessionCache() = default;
  ~TlsSessionCache();
  TlsSessionCache(const TlsSessionCache&) = delete;
  TlsSessionCache& operator=(const TlsSessionCache&) = delete;

  // Before the handshake of `ssl`: offers the kept session, if any, for resumption. The server
  // may still decline it, which just means a full handshake.
  void offer(SSL* ssl) const;

  // Keeps the session of `ssl` when it can be resumed. Call it after a response was read, not
  // right after the handshake: TLS 1.3 servers send their tickets after the handshake, and a
  // session without one cannot be resumed. Returns whether a session was kept.
  bool keep(SSL* ssl);

 private:
  mutable std::mutex mutex_;
  SSL_SESSION* session_ = nullptr;  // owned, never shared with a connection; null until kept
};

}  // namespace kmcp
