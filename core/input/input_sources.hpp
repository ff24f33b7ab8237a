// input_sources.hpp: GNU parallel's input sources (::: :::: :::+ ::::+ -a)
// and the combinations they make, produced lazily.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/os_error.hpp"

namespace wgrun {

/// One input source as written on the command line.
struct SourceSpec {
    enum class Kind {
        Args,  // ::: a b c   -- the values themselves
        File,  // :::: f / -a f -- one record per line (or NUL) of file f; "-" is stdin
    };
    Kind kind = Kind::Args;
    std::vector<std::string> values;  // Args: the values; File: exactly one path
    bool linked = false;              // :::+ / ::::+: zipped with the source before it
};

/// How records are read and combined, beyond the sources themselves.
struct InputRules {
    char delimiter = '\n';     // ends the records of File sources (-0, -d)
    /// -E STR: a record equal to it ends its source (it and the rest unread);
    /// applies to every source, as GNU parallel's does. Empty: none.
    std::string eof;
    /// -r: records that are empty or only whitespace are skipped, in every
    /// source (GNU parallel's -r).
    bool skip_blank = false;
    /// --link: every source is in one group, and shorter sources wrap
    /// around; without it only :::+ / ::::+ link, and stop at the shortest.
    bool link_all = false;
};

/// Thrown when a source cannot be read (an unreadable -a file, ...); the
/// message is one line naming the file and the reason; code() is the errno
/// of a failed read or open (0 when the sources are wrong: stdin twice).
class InputError : public SetupError {
public:
    using SetupError::SetupError;
};

/// Produces the combinations of several input sources, one value per source.
///
/// Sources are first grouped: a source and the linked ones after it (:::+,
/// ::::+) form one group, whose k-th row holds the k-th value of each; such a
/// group is as long as its shortest source, as in GNU parallel 20221122
/// (`::: A B C :::+ F G` gives (A,F) (B,G)). With InputRules::link_all
/// (--link) every source is in one group, as long as its longest source, and
/// the shorter ones wrap around (`--link ::: a b c ::: 1 2` gives (a,1)
/// (b,2) (c,1)). The groups then make a cartesian product in which the first
/// group varies slowest:  ::: a b ::: 1 2  gives (a,1) (a,2) (b,1) (b,2).
/// The first source's own link mark (`:::+` or `::::+` first, as GNU allows)
/// links it to nothing.
///
/// The first group is read lazily when it is a single File source (stdin or a
/// file of any size: memory does not grow with it, and the first combination
/// is ready as soon as its first record is); every other group is read whole
/// at construction. When any source is empty there are no combinations.
class InputCombiner {
public:
    /// Opens and reads as described above. `delimiter` ends records of File
    /// sources. `stdin_fd` is the fd that "-" stands for. Throws InputError
    /// when a file cannot be opened or read, or when stdin is named twice.
    InputCombiner(std::vector<SourceSpec> sources, char delimiter, int stdin_fd = 0);
    /// The same, with -E, -r and --link as `rules` say.
    InputCombiner(std::vector<SourceSpec> sources, const InputRules& rules, int stdin_fd = 0);
    ~InputCombiner();
    InputCombiner(const InputCombiner&) = delete;
    InputCombiner& operator=(const InputCombiner&) = delete;

    /// The number of sources: the length of each combination.
    std::size_t source_count() const;

    /// The next combination, or nothing when all have been produced.
    /// Throws InputError on a read error.
    std::optional<std::vector<std::string>> next();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace wgrun
