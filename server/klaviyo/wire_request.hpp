#pragma once
// UpstreamRequest -> the Beast message written on the wire. Pure. Refuses a target or header
// that could split the request (CR, LF, NUL, spaces in the target; a name that is not a token).
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/result.hpp>
#include <string_view>

#include "server/klaviyo/upstream_client.hpp"

namespace kmcp {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// `host_header` becomes Host; caller-given Host and Content-Length headers are ignored (both are
// ours to set). Failures are Kind::protocol with maybe_sent false and name the header, never its
// value.
boost::system::result<WireRequest, UpstreamFailure> to_wire_request(const UpstreamRequest& request,
                                                                    std::string_view host_header);

}  // namespace kmcp
