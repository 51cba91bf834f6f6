#include "server/pipeline/unique_id.hpp"

#include <array>
#include <cstdint>

#include "server/pipeline/argument_text.hpp"

namespace kmcp {

std::string unique_id_argument(const ToolSpec& spec) {
  if (spec.body.kind != BodySpec::Kind::resource) return {};
  for (const auto& [arg, attribute] : spec.body.attributes)
    if (attribute.attribute == "unique_id" && attribute.wrap.empty()) return arg;
  return {};
}

std::string uuid_v4(RandomSource& random) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t bits = random.next();
    for (std::size_t i = 0; i < 8; ++i, bits >>= 8) bytes[half * 8 + i] = static_cast<std::uint8_t>(bits);
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0f];
  }
  return text;
}

std::optional<UniqueId> ensure_unique_id(const ToolSpec& spec, json::object& args, RandomSource& random) {
  std::string argument = unique_id_argument(spec);
  if (argument.empty()) return std::nullopt;
  if (const json::value* given = args.if_contains(argument); given && !given->is_null()) {
    std::optional<std::string> text = scalar_text(*given);
    return UniqueId{std::move(argument), text.value_or(json::serialize(*given)), false};
  }
  UniqueId made{std::move(argument), uuid_v4(random), true};
  args[made.argument] = made.value;
  return made;
}

}  // namespace kmcp
