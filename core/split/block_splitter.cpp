// block_splitter.cpp: GNU parallel's spreadstdin() and
// find_split_positions(), with memrchr on the tail instead of Perl's
// rindex over the whole buffer.
#include "split/block_splitter.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/regex.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <string_view>

#include "input/input_sources.hpp"

namespace wgrun {
namespace {

constexpr std::uint64_t kMaxBlock = (std::uint64_t{1} << 31) - 1;  // GNU's 2 GB - 1
constexpr std::size_t kTailWindow = std::size_t{256} << 10;
constexpr std::size_t kPartWindow = std::size_t{128} << 10;  // GNU's dd block size

std::string read_error(const char* what) {
    return std::string("cannot read ") + what + ": " + std::strerror(errno);
}

// pread() all of [offset, offset + size) into `out`, or less at the end.
void pread_all(int fd, std::string& out, std::uint64_t offset, std::size_t size) {
    out.resize(size);
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::pread(fd, out.data() + got, size - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError(read_error("the input"));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
}

std::uint64_t file_size(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw InputError(read_error("the input"));
    return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

HeaderRule parse_header_rule(const std::string& text) {
    HeaderRule rule;
    if (text == ":") {
        rule.lines = 1;
    } else if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        rule.lines = std::stoul(text);
    } else {
        rule.regex = text;
        try {
            boost::regex check(text, boost::regex::perl | boost::regex::no_mod_s);
        } catch (const boost::regex_error& e) {
            throw RecordFormatError("--header: not a number, ':' or a regular expression: " +
                                    std::string(e.what()));
        }
    }
    return rule;
}

std::optional<std::size_t> header_length(const HeaderRule& rule, std::string_view bytes, bool at_end) {
    if (rule.lines > 0) {
        std::size_t at = 0;
        for (std::size_t i = 0; i < rule.lines; ++i) {
            const std::size_t nl = bytes.find('\n', at);
            if (nl == std::string_view::npos) return at_end ? std::optional<std::size_t>(0) : std::nullopt;
            at = nl + 1;
        }
        return at;
    }
    const boost::regex re(rule.regex, boost::regex::perl | boost::regex::no_mod_s);
    boost::cmatch match;
    if (boost::regex_search(bytes.data(), bytes.data() + bytes.size(), match, re,
                            boost::match_continuous) &&
        !(match[0].second == bytes.data() + bytes.size() && !at_end)) {
        return static_cast<std::size_t>(match[0].second - bytes.data());
    }
    // GNU keeps reading until the header matches, or the input ends.
    if (at_end) return 0;
    return std::nullopt;
}

// ---- StreamSplitter ----------------------------------------------------------

StreamSplitter::StreamSplitter(int fd, SplitRules rules, std::function<void(const std::string&)> warn)
    : fd_(fd), rules_(std::move(rules)), warn_(std::move(warn)), block_(rules_.block) {
    struct stat st {};
    // A regular file (stdin redirected from one), cut at fixed separators
    // without -N or --rrs: ranges, never read whole.
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !rules_.format.regexp() &&
        rules_.records_per_job == 0 && !rules_.remove_separators) {
        const off_t at = ::lseek(fd, 0, SEEK_CUR);
        const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (at >= 0 && copy >= 0) {
            file_ = std::make_shared<const UniqueFd>(copy);
            pos_ = static_cast<std::uint64_t>(at);
        } else if (copy >= 0) {
            UniqueFd close_it(copy);
        }
    }
}

StreamSplitter::~StreamSplitter() = default;

void StreamSplitter::grow() {
    const std::uint64_t old = block_;
    block_ = std::min<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(block_ * 1.3 + 1)), kMaxBlock);
    if (!warned_ && warn_) {
        warned_ = true;
        warn_("a record is longer than --block " + std::to_string(old) +
              ": the block grows to hold it (to " + std::to_string(block_) + " bytes, and more as needed)");
    }
}

BlockData StreamSplitter::make(std::string body) {
    BlockData block;
    block.header = header_;
    block.body = rules_.remove_separators ? rules_.format.remove_separators(body) : std::move(body);
    return block;
}

BlockData StreamSplitter::make_range(std::uint64_t offset, std::uint64_t length) {
    BlockData block;
    block.header = header_;
    block.file = file_;
    block.offset = offset;
    block.length = length;
    return block;
}

void StreamSplitter::read_header() {
    if (!rules_.header.any()) return;
    std::size_t length = 0;
    if (file_) {
        // Read as much as it takes (GNU reads --block at a time until it matches).
        std::uint64_t want = block_;
        for (;;) {
            pread_all(file_->get(), scratch_, pos_, static_cast<std::size_t>(want));
            const bool at_end = scratch_.size() < want;
            if (auto found = header_length(rules_.header, scratch_, at_end)) {
                length = *found;
                break;
            }
            want *= 2;
        }
        header_ = std::make_shared<const std::string>(scratch_.substr(0, length));
        pos_ += length;
        return;
    }
    for (;;) {
        const std::size_t had = buf_.size();
        buf_.resize(had + static_cast<std::size_t>(block_));
        ssize_t n;
        do {
            n = ::read(fd_, buf_.data() + had, static_cast<std::size_t>(block_));
        } while (n < 0 && errno == EINTR);
        if (n < 0) throw InputError(read_error("standard input"));
        buf_.resize(had + static_cast<std::size_t>(n));
        if (n == 0) eof_ = true;
        if (auto found = header_length(rules_.header, buf_, eof_)) {
            length = *found;
            break;
        }
    }
    header_ = std::make_shared<const std::string>(buf_.substr(0, length));
    buf_.erase(0, length);
}

bool StreamSplitter::read_block() {
    if (eof_) return false;  // the header's read met the end
    std::size_t want = static_cast<std::size_t>(block_ - buf_.size() % block_);
    std::size_t had = buf_.size();
    buf_.resize(had + want);
    ssize_t n = 0;
    while (want > 0) {
        n = ::read(fd_, buf_.data() + had, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError(read_error("standard input"));
        if (n == 0) break;
        had += static_cast<std::size_t>(n);
        want -= static_cast<std::size_t>(n);
    }
    buf_.resize(had);
    return n != 0;
}

std::size_t StreamSplitter::last_cut_in_file() {
    const std::string& sep = rules_.format.separator();
    if (sep.empty()) return static_cast<std::size_t>(held_);
    // Only what may hold a separator not seen yet: from clean_ on.
    const std::uint64_t lower = clean_ >= sep.size() ? clean_ - sep.size() + 1 : 0;
    std::uint64_t hi = held_;
    while (hi > lower && hi - lower >= sep.size()) {
        const std::uint64_t lo = hi - lower > kTailWindow ? hi - kTailWindow : lower;
        pread_all(file_->get(), scratch_, pos_ + lo, static_cast<std::size_t>(hi - lo));
        const std::size_t cut = rules_.format.last_cut(scratch_);
        if (cut > 0) return static_cast<std::size_t>(lo + cut);
        if (lo == lower) break;
        hi = lo + sep.size() - 1;  // a separator across the window's edge
    }
    return 0;
}

bool StreamSplitter::plan_block() {
    const std::uint64_t want = block_ - held_ % block_;
    const std::uint64_t size = file_size(file_->get());
    const std::uint64_t end = pos_ + held_;
    const std::uint64_t take = end >= size ? 0 : std::min(want, size - end);
    held_ += take;
    return take == want;  // short: the end of the input (GNU's sysread got 0)
}

void StreamSplitter::round() {
    bool written = false;
    if (file_) {
        eof_ = !plan_block();
        if (!eof_) {
            const std::size_t cut = last_cut_in_file();
            if (cut > 0) {
                ready_.push_back(make_range(pos_, cut));
                pos_ += cut;
                held_ -= cut;
                clean_ = static_cast<std::size_t>(held_);  // after the last separator: none
                written = true;
            } else {
                clean_ = static_cast<std::size_t>(held_);
            }
        }
    } else {
        eof_ = !read_block() || eof_;
        if (rules_.records_per_job > 0) {
            // GNU's pass_n(): every N records there are, each a block.
            std::size_t from = 0;
            std::string_view view(buf_);
            while (from < view.size()) {
                const auto cut = rules_.format.nth_cut(view.substr(from), rules_.records_per_job);
                if (!cut || *cut == 0) break;
                ready_.push_back(make(std::string(view.substr(from, *cut))));
                from += *cut;
                written = true;
            }
            if (from > 0) buf_.erase(0, from);
        } else if (!eof_) {
            const std::size_t cut = rules_.format.last_cut(buf_, clean_);
            if (cut > 0) {
                std::string rest(buf_, cut);
                buf_.resize(cut);
                ready_.push_back(make(std::move(buf_)));
                buf_ = std::move(rest);
                clean_ = buf_.size();
                written = true;
            } else {
                clean_ = buf_.size();
            }
        }
    }
    if (eof_) {
        // The rest, whatever it holds, is the last block.
        if (file_) {
            if (held_ > 0) ready_.push_back(make_range(pos_, held_));
            pos_ += held_;
            held_ = 0;
            ::lseek(fd_, static_cast<off_t>(pos_), SEEK_SET);  // read, as from a pipe
        } else if (!buf_.empty()) {
            ready_.push_back(make(std::move(buf_)));
            buf_.clear();
        }
        done_ = true;
        return;
    }
    if (!written) grow();
}

std::optional<BlockData> StreamSplitter::next() {
    if (!started_) {
        started_ = true;
        read_header();
    }
    while (ready_.empty() && !done_) round();
    if (ready_.empty()) return std::nullopt;
    BlockData block = std::move(ready_.front());
    ready_.pop_front();
    return block;
}

// ---- PartPlanner -------------------------------------------------------------

PartPlanner::PartPlanner(const std::string& path, SplitRules rules) : rules_(std::move(rules)) {
    // O_NONBLOCK: a named pipe is refused, not waited on.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) throw InputError("--pipepart: cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        throw InputError("--pipepart: " + path +
                         " is not a regular file (it is split by offsets): give a pipe to --pipe");
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
    file_ = std::make_shared<const UniqueFd>(std::move(fd));
    std::size_t length = 0;
    if (rules_.header.any()) {
        std::string bytes;
        std::uint64_t want = std::max<std::uint64_t>(rules_.block, kPartWindow);
        for (;;) {
            pread_all(file_->get(), bytes, 0, static_cast<std::size_t>(std::min(want, size_)));
            const bool at_end = bytes.size() >= size_;
            if (auto found = header_length(rules_.header, bytes, at_end)) {
                length = *found;
                break;
            }
            want *= 2;
        }
        header_ = std::make_shared<const std::string>(bytes.substr(0, length));
    }
    start_ = length;
    probe_ = length + rules_.block;
}

// GNU's loop: for (pos = block + header; pos < size; pos += block), each
// pos moved on to the first cut from it.
std::optional<std::uint64_t> PartPlanner::next_position() {
    const std::string& sep = rules_.format.separator();
    while (probe_ < size_) {
        std::uint64_t pos = probe_;
        probe_ += rules_.block;
        if (!rules_.format.regexp() && sep.empty()) return pos;
        std::string window;
        std::string more;
        for (std::uint64_t at = pos; at < size_; at += kPartWindow) {
            pread_all(file_->get(), more, at, kPartWindow);
            window += more;
            const auto cut = rules_.format.part_cut(window, 0);
            if (cut) {
                pos += *cut;
                probe_ = pos + rules_.block;
                return pos;
            }
        }
        // No cut after pos: GNU moves on by a block (and so ends here).
    }
    return std::nullopt;
}

std::optional<BlockData> PartPlanner::next() {
    while (!done_) {
        std::uint64_t end = size_;
        if (auto pos = next_position()) {
            end = *pos;
        } else {
            done_ = true;
        }
        if (end <= start_) continue;
        BlockData block;
        block.header = header_;
        block.file = file_;
        block.offset = start_;
        block.length = end - start_;
        start_ = end;
        return block;
    }
    return std::nullopt;
}

}  // namespace wgrun
