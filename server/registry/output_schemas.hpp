#pragma once
// What a successful call returns, by kind, and the MCP outputSchema each kind lists. One shared
// shape per kind keeps tools/list small: the schema names the members a program relies on and
// allows the rest (notice, truncated, untrusted_content, ...), which explain themselves in text.
// The pipeline's result shaper builds exactly these.
//
//   list    {data: [resource], included?: {"type:id": resource}, has_more, next_cursor?,
//            pages_read?, notice?, truncated?, untrusted_content?}
//   single  {data: resource | null, included?, notice?, omitted_fields?, untrusted_content?}
//   job     single, plus job: {id, status?} (Klaviyo runs it in the background)
//   empty   {ok: true, status, accepted?, note?}
#include <string_view>

#include "server/core/json.hpp"
#include "server/registry/tool_spec.hpp"

namespace kmcp {

enum class ResultKind { list, single, job, empty };

// From the spec's response kind; a resource under a ".../<x>-jobs" path (create a job, get a
// job) is a job.
ResultKind result_kind(const ToolSpec& spec);

std::string_view to_string(ResultKind kind);

json::object output_schema_for(ResultKind kind);

}  // namespace kmcp
