// utf8.cpp: a UTF-8 validator that also repairs, by maximal subparts.
#include "base/utf8.hpp"

#include <cstddef>
#include <cstdint>

namespace wgrun {
namespace {

// The length of the well-formed sequence at the start of `bytes`, or 0 when
// it is ill-formed; then `bad` is the length of its maximal subpart (at least
// 1): the bytes that are one U+FFFD. Table 3-7 of the Unicode Standard:
//   00..7F
//   C2..DF 80..BF
//   E0     A0..BF 80..BF
//   E1..EC 80..BF 80..BF
//   ED     80..9F 80..BF
//   EE..EF 80..BF 80..BF
//   F0     90..BF 80..BF 80..BF
//   F1..F3 80..BF 80..BF 80..BF
//   F4     80..8F 80..BF 80..BF
std::size_t sequence(std::string_view bytes, std::size_t& bad) {
    const auto at = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
    const std::uint8_t lead = at(0);
    bad = 1;
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    std::uint8_t low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // below: overlong
        if (lead == 0xED) high = 0x9F;  // above: surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // below: overlong
        if (lead == 0xF4) high = 0x8F;  // above: beyond U+10FFFF
    } else {
        return 0;  // 80..C1, F5..FF: no sequence starts here
    }
    for (std::size_t i = 1; i < length; ++i) {
        if (i >= bytes.size()) return 0;  // truncated: the bytes so far are one U+FFFD
        const std::uint8_t byte = at(i);
        const std::uint8_t lo = i == 1 ? low : 0x80;
        const std::uint8_t hi = i == 1 ? high : 0xBF;
        if (byte < lo || byte > hi) return 0;
        bad = i + 1;
    }
    return length;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
    std::size_t bad = 0;
    while (!bytes.empty()) {
        const std::size_t n = sequence(bytes, bad);
        if (n == 0) return false;
        bytes.remove_prefix(n);
    }
    return true;
}

std::string valid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t bad = 0;
    while (!bytes.empty()) {
        // Copy the well-formed run in one go, then replace one bad part.
        std::size_t good = 0;
        std::size_t n = 0;
        while (good < bytes.size() && (n = sequence(bytes.substr(good), bad)) != 0) good += n;
        out.append(bytes.substr(0, good));
        bytes.remove_prefix(good);
        if (bytes.empty()) break;
        out.append(kReplacementCharacter);
        bytes.remove_prefix(bad);
    }
    return out;
}

}  // namespace wgrun
