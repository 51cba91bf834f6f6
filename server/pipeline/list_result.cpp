#include "server/pipeline/list_result.hpp"

#include <algorithm>

#include "server/pipeline/cursor_table.hpp"
#include "server/pipeline/resource_flattening.hpp"
#include "server/pipeline/result_notices.hpp"
#include "server/pipeline/result_shaper.hpp"
#include "server/pipeline/untrusted_fields.hpp"

namespace kmcp {
namespace {

struct RecordRef {
  std::size_t page;
  std::size_t index;  // in that page's data
  const json::object* resource;
};

const json::value* data_of(const json::value& document) {
  return document.is_object() ? document.get_object().if_contains("data") : nullptr;
}

class ListShaper {
 public:
  ListShaper(std::span<const FetchedPage> pages, const ListShapeOptions& options) : pages_(pages), options_(options) {
    for (std::size_t p = 0; p < pages.size(); ++p) {
      const json::value* data = data_of(pages[p].document);
      if (!data && !unexpected_) unexpected_ = &pages[p].document;
      if (data && data->is_array()) {
        const auto& items = data->get_array();
        for (std::size_t i = pages[p].skip; i < items.size(); ++i)
          if (items[i].is_object()) records_.push_back({p, i, &items[i].get_object()});
      } else if (data && data->is_object() && pages[p].skip == 0) {
        records_.push_back({p, 0, &data->get_object()});
      }
      if (pages[p].document.is_object())
        if (const auto* included = pages[p].document.get_object().if_contains("included")) pool_.add(*included);
    }
    if (!pages.empty() && pages.back().document.is_object()) last_next_ = next_cursor(pages.back().document.get_object());
  }

  std::size_t read() const { return records_.size(); }
  std::size_t wanted() const { return options_.max_items ? std::min(options_.max_items, read()) : read(); }

  // Where a result showing `shown` records leaves off, if anything is left.
  std::optional<Continuation> continuation(std::size_t shown) const {
    if (shown < read()) return Continuation{pages_[records_[shown].page].fetched_with, records_[shown].index};
    if (last_next_) return Continuation{*last_next_, 0};
    return std::nullopt;
  }

  json::object build(std::size_t shown, bool cut, const std::string& token) const {
    std::vector<const json::object*> kept;
    for (std::size_t i = 0; i < shown; ++i) kept.push_back(records_[i].resource);
    FlattenedRecords flat = flatten_with_included(kept, pool_);

    json::object out;
    out["data"] = std::move(flat.records);
    if (!flat.shared.empty()) out["included"] = std::move(flat.shared);
    const bool more = continuation(shown).has_value();
    out["has_more"] = more;
    if (more && options_.can_continue) out["next_cursor"] = token;
    if (options_.report_pages) out["pages_read"] = pages_.size();
    if (cut)
      out["truncated"] = json::object{{"records_shown", shown}, {"records_read", read()}, {"max_chars", options_.max_chars}};
    if (unexpected_) out["document"] = *unexpected_;
    if (auto note = untrusted_note(out)) out["untrusted_content"] = std::move(*note);

    std::string notice;
    if (cut)
      notice = list_cut_notice(shown, read(), options_.max_chars, options_.can_continue, options_.fieldset_args);
    if (options_.stopped_kind)
      notice += (notice.empty() ? "" : " ") + paging_stopped_notice(pages_.size(), *options_.stopped_kind,
                                                                    options_.stopped_message, options_.can_continue);
    if (unexpected_)
      notice += (notice.empty() ? "" : " ") + std::string("Klaviyo's answer was not a JSON:API list; it is under document.");
    return notice.empty() ? out : with_notice(out, std::move(notice));
  }

 private:
  std::span<const FetchedPage> pages_;
  const ListShapeOptions& options_;
  std::vector<RecordRef> records_;
  IncludedPool pool_;
  std::optional<std::string> last_next_;
  const json::value* unexpected_ = nullptr;
};

}  // namespace

json::object shape_list(std::span<const FetchedPage> pages, const ListShapeOptions& options, const IssueCursor& issue) {
  const ListShaper shaper(pages, options);
  // Tokens have one length, so a placeholder measures the same as the token issued at the end.
  const std::string placeholder(CursorTable::kTokenLength, 'x');
  std::size_t shown = shaper.wanted();
  bool cut = false;
  if (shown > 0 && result_chars(shaper.build(shown, false, placeholder)) > options.max_chars) {
    // The most records that fit, cut at a record boundary; none when even one does not fit.
    cut = true;
    std::size_t fits = 0, low = 0, high = shown - 1;
    while (low <= high) {
      const std::size_t middle = low + (high - low) / 2;
      if (result_chars(shaper.build(middle, true, placeholder)) <= options.max_chars) {
        fits = middle;
        low = middle + 1;
      } else if (middle == 0) {
        break;
      } else {
        high = middle - 1;
      }
    }
    shown = fits;
  }
  std::string token;
  if (auto next = shaper.continuation(shown); next && options.can_continue) token = issue(*next);
  return shaper.build(shown, cut, token);
}

}  // namespace kmcp
