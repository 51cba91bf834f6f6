#include "server/pipeline/recipient_estimate.hpp"

#include <boost/beast/http/verb.hpp>

namespace kmcp {

std::optional<EstimateRead> recipient_estimate_read(const ToolSpec& send, const json::object& args,
                                                    const ToolRoutes& routes) {
  if (send.method != boost::beast::http::verb::post || send.body.type != "campaign-send-job") return std::nullopt;
  const auto* campaign_id = args.if_contains(send.body.id_arg);
  if (send.body.id_arg.empty() || !campaign_id || !campaign_id->is_string()) return std::nullopt;
  const ToolSpec* estimation = routes.find(boost::beast::http::verb::get, "/api/campaign-recipient-estimations/{id}");
  if (!estimation || estimation->path_args.size() != 1) return std::nullopt;
  return EstimateRead{estimation, json::object{{estimation->path_args.begin()->second, *campaign_id}}};
}

std::optional<std::int64_t> estimated_recipients(const json::value& document) {
  const auto* data = document.is_object() ? document.get_object().if_contains("data") : nullptr;
  const auto* attributes = data && data->is_object() ? data->get_object().if_contains("attributes") : nullptr;
  const auto* count =
      attributes && attributes->is_object() ? attributes->get_object().if_contains("estimated_recipient_count") : nullptr;
  if (!count || !count->is_number()) return std::nullopt;
  boost::system::error_code ec;
  const auto value = count->to_number<std::int64_t>(ec);
  if (ec) return std::nullopt;
  return value;
}

}  // namespace kmcp
