#include "server/klaviyo/tls_session_cache.hpp"

#include <utility>

namespace kmcp {

// OpenSSL marks a connection's session unresumable when the connection is freed without a TLS
// shutdown, which is how pooled connections end. So the cache never shares a session object
// with a connection: it keeps a copy of one, and offers each new connection its own copy.

TlsSessionCache::~TlsSessionCache() { SSL_SESSION_free(session_); }

void TlsSessionCache::offer(SSL* ssl) const {
  SSL_SESSION* copy = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (session_ == nullptr) return;
    copy = SSL_SESSION_dup(session_);
  }
  if (copy == nullptr) return;  // out of memory: a full handshake will do
  SSL_set_session(ssl, copy);   // takes its own reference
  SSL_SESSION_free(copy);
}

bool TlsSessionCache::keep(SSL* ssl) {
  const SSL_SESSION* current = SSL_get_session(ssl);
  if (current == nullptr || SSL_SESSION_is_resumable(current) != 1) return false;
  SSL_SESSION* copy = SSL_SESSION_dup(current);
  if (copy == nullptr) return false;
  {
    std::lock_guard lock(mutex_);
    std::swap(copy, session_);
  }
  SSL_SESSION_free(copy);  // the one replaced (null-safe), outside the lock
  return true;
}

}  // namespace kmcp
