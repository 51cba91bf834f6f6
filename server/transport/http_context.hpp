#pragma once
// What every HTTP connection of one transport shares. Owned by the transport and kept alive by
// each connection and request coroutine it starts.
#include <atomic>
#include <boost/asio/ssl/context.hpp>

#include "server/core/logger.hpp"
#include "server/transport/activity_count.hpp"
#include "server/transport/connection_set.hpp"
#include "server/transport/http_transport.hpp"
#include "server/transport/session_store.hpp"
#include "server/transport/task_group.hpp"
#include "server/transport/tls_server_context.hpp"

namespace kmcp {

class Dispatcher;

struct HttpContext {
  HttpContext(asio::any_io_executor io, Dispatcher& dispatcher, Logger& logger, HttpOptions options)
      : io(io),
        dispatcher(dispatcher),
        logger(logger),
        options(std::move(options)),
        tls(this->options.tls_certificate_file.empty()
                ? nullptr
                : make_tls_server_context(this->options.tls_certificate_file, this->options.tls_private_key_file)),
        requests(io),
        in_flight(io),
        tasks(io, logger) {}

  asio::any_io_executor io;
  Dispatcher& dispatcher;
  Logger& logger;
  const HttpOptions options;
  const std::shared_ptr<asio::ssl::context> tls;  // null: plain HTTP
  SessionStore sessions;
  ConnectionSet connections;
  // Set once by drain() or stop(): new work is refused, replies close their connection.
  std::atomic<bool> draining{false};
  // POSTs being answered, from the request read to the reply written; a drain waits for them.
  ActivityCount requests;
  // POSTs holding a max_in_flight place: from the request read until its answer starts to be
  // written, so a client that has its answer finds its place free.
  ActivityCount in_flight;
  TaskGroup tasks;  // connections, and the dispatcher calls of POSTed requests
};

}  // namespace kmcp
