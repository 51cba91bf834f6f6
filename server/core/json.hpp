#pragma once
// Namespace aliases shared by every layer.
#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace kmcp {
namespace json = boost::json;
namespace asio = boost::asio;
}  // namespace kmcp
