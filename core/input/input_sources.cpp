// input_sources.cpp: InputCombiner, an odometer over groups of sources.
//
// Each group is a list of sources (vectors of values) that advance together;
// the combination is the concatenation of every group's current row, groups
// in command-line order, the last group turning fastest. A lazy first group
// is one RecordReader whose current record stands for its row.
#include "input/input_sources.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "base/unique_fd.hpp"
#include "input/record_reader.hpp"

namespace wgrun {
namespace {

// The fd a File source is read from: a file it opened (closed with it), or
// the borrowed stdin_fd for "-".
struct SourceFd {
    UniqueFd owned;
    int fd = -1;
};

bool is_stdin(const SourceSpec& spec) {
    return spec.kind == SourceSpec::Kind::File && spec.values.front() == "-";
}

std::string describe(const std::string& path) {
    return path == "-" ? std::string("standard input") : "input file '" + path + "'";
}

[[noreturn]] void fail(const std::string& path, int err) {
    throw InputError(OsError{err, "cannot read " + describe(path)});
}

// Opens a File source (or borrows stdin_fd for "-"). Refuses directories
// here so that the error comes at construction even for a lazy source.
SourceFd open_source(const std::string& path, int stdin_fd) {
    SourceFd fd;
    if (path == "-") {
        fd.fd = stdin_fd;
    } else {
        int raw;
        do {
            raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        } while (raw < 0 && errno == EINTR);
        if (raw < 0) fail(path, errno);
        fd.owned.reset(raw);
        fd.fd = raw;
    }
    struct stat st;
    if (::fstat(fd.fd, &st) != 0) fail(path, errno);
    if (S_ISDIR(st.st_mode)) fail(path, EISDIR);
    return fd;
}

std::optional<std::string> next_record(RecordReader& reader, const std::string& path) {
    try {
        return reader.next();
    } catch (const std::system_error& e) {
        fail(path, e.code().value());
    }
}

// Perl's \s: what -r calls blank.
bool blank(const std::string& record) {
    return record.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
}

// The next record of a source that -E and -r have their say on: nothing at
// its end or at the -E string.
std::optional<std::string> next_kept(RecordReader& reader, const std::string& path,
                                     const InputRules& rules) {
    for (;;) {
        auto record = next_record(reader, path);
        if (!record || (!rules.eof.empty() && *record == rules.eof)) return std::nullopt;
        if (rules.skip_blank && blank(*record)) continue;
        return record;
    }
}

std::vector<std::string> read_whole(const std::string& path, const InputRules& rules,
                                    int stdin_fd) {
    const SourceFd fd = open_source(path, stdin_fd);
    RecordReader reader(fd.fd, rules.delimiter);
    std::vector<std::string> records;
    while (auto record = next_kept(reader, path, rules)) records.push_back(std::move(*record));
    return records;
}

// A ::: list as -E and -r leave it.
std::vector<std::string> kept_values(std::vector<std::string> values, const InputRules& rules) {
    if (!rules.eof.empty()) {
        const auto end = std::find(values.begin(), values.end(), rules.eof);
        values.erase(end, values.end());
    }
    if (rules.skip_blank) std::erase_if(values, blank);
    return values;
}

}  // namespace

struct InputCombiner::Impl {
    struct Group {
        std::vector<std::vector<std::string>> sources;  // empty for the lazy group
        std::size_t length = 0;                          // rows: the longest source
        std::size_t row = 0;                             // the current row
    };

    std::size_t source_count = 0;
    std::vector<Group> groups;

    // The lazy first group, when there is one.
    bool lazy = false;
    std::string lazy_path;
    InputRules rules;
    SourceFd lazy_fd;
    std::optional<RecordReader> lazy_reader;
    std::string lazy_record;

    bool started = false;
    bool done = false;

    // Move to the first / next combination; false when there is none.
    bool first();
    bool advance();
    bool read_lazy();  // the lazy group's next row; false at its end
    std::vector<std::string> current() const;
    void finish();  // no more combinations: closes the lazy input
};

bool InputCombiner::Impl::first() {
    if (groups.empty()) return false;
    // An empty source anywhere: nothing, and the lazy input is left unread.
    for (std::size_t i = lazy ? 1 : 0; i < groups.size(); ++i) {
        if (groups[i].length == 0) return false;
    }
    return !lazy || read_lazy();
}

bool InputCombiner::Impl::read_lazy() {
    auto record = next_kept(*lazy_reader, lazy_path, rules);
    if (!record) return false;
    lazy_record = std::move(*record);
    return true;
}

bool InputCombiner::Impl::advance() {
    for (std::size_t i = groups.size(); i-- > 1;) {
        if (++groups[i].row < groups[i].length) return true;
        groups[i].row = 0;
    }
    if (lazy) return read_lazy();
    return ++groups[0].row < groups[0].length;
}

void InputCombiner::Impl::finish() {
    done = true;
    lazy_reader.reset();
    lazy_fd = {};
}

std::vector<std::string> InputCombiner::Impl::current() const {
    std::vector<std::string> combination;
    combination.reserve(source_count);
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (i == 0 && lazy) {
            combination.push_back(lazy_record);
            continue;
        }
        const Group& g = groups[i];
        for (const auto& values : g.sources) combination.push_back(values[g.row % values.size()]);
    }
    return combination;
}

InputCombiner::InputCombiner(std::vector<SourceSpec> sources, char delimiter, int stdin_fd)
    : InputCombiner(std::move(sources), InputRules{delimiter, {}, false, false}, stdin_fd) {}

InputCombiner::InputCombiner(std::vector<SourceSpec> sources, const InputRules& rules,
                             int stdin_fd)
    : impl_(std::make_unique<Impl>()) {
    Impl& im = *impl_;
    im.rules = rules;
    im.source_count = sources.size();

    bool seen_stdin = false;
    for (const SourceSpec& spec : sources) {
        if (spec.kind == SourceSpec::Kind::File && spec.values.size() != 1) {
            throw std::invalid_argument("a File input source takes exactly one path");
        }
        if (is_stdin(spec)) {
            if (seen_stdin) throw InputError("standard input is named twice as an input source");
            seen_stdin = true;
        }
    }

    // Group boundaries: a source that is not linked (or the very first one)
    // starts a group; --link makes one group of them all.
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) into sources
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (i == 0 || (!sources[i].linked && !rules.link_all)) spans.emplace_back(i, i);
        spans.back().second = i + 1;
    }
    im.groups.resize(spans.size());
    im.lazy = !spans.empty() && spans[0].second - spans[0].first == 1 &&
              sources[0].kind == SourceSpec::Kind::File;

    // Files are opened in command-line order, so the first bad one is named.
    for (std::size_t gi = 0; gi < spans.size(); ++gi) {
        Impl::Group& group = im.groups[gi];
        for (std::size_t si = spans[gi].first; si < spans[gi].second; ++si) {
            SourceSpec& spec = sources[si];
            if (gi == 0 && im.lazy) {
                im.lazy_path = spec.values.front();
                im.lazy_fd = open_source(im.lazy_path, stdin_fd);
                im.lazy_reader.emplace(im.lazy_fd.fd, rules.delimiter);
                continue;
            }
            if (spec.kind == SourceSpec::Kind::File) {
                group.sources.push_back(read_whole(spec.values.front(), rules, stdin_fd));
            } else {
                group.sources.push_back(kept_values(std::move(spec.values), rules));
            }
        }
        // --link: the longest source, the others wrapping around; :::+ and
        // ::::+: the shortest. 0 when one is empty: then nothing combines.
        if (!group.sources.empty()) group.length = group.sources.front().size();
        for (const auto& values : group.sources) {
            group.length = rules.link_all ? std::max(group.length, values.size())
                                          : std::min(group.length, values.size());
        }
        for (const auto& values : group.sources) {
            if (values.empty()) group.length = 0;
        }
    }
}

InputCombiner::~InputCombiner() = default;

std::size_t InputCombiner::source_count() const { return impl_->source_count; }

std::optional<std::vector<std::string>> InputCombiner::next() {
    Impl& im = *impl_;
    if (im.done) return std::nullopt;
    bool more = false;
    try {
        more = im.started ? im.advance() : im.first();
    } catch (...) {
        im.finish();  // a read error ends the input
        throw;
    }
    im.started = true;
    if (!more) {
        im.finish();
        return std::nullopt;
    }
    return im.current();
}

}  // namespace wgrun
