// input_sources_test.cpp: InputCombiner against GNU parallel's ::: :::: :::+
// ::::+ semantics: product order, linking with wrap-around, files and stdin,
// empty sources, errors, fds, and the lazy first group.
#include "input/input_sources.hpp"
#include "support/test_support.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

using wgrun::InputCombiner;
using wgrun::InputError;
using wgrun::InputRules;
using wgrun::SourceSpec;

using Combination = std::vector<std::string>;
using Combinations = std::vector<Combination>;

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::system_error(errno, std::generic_category(), "write");
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string temp_dir() {
    const char* dir = std::getenv("TMPDIR");
    return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

// A temp file holding `content`; removed on destruction.
class TempFile {
public:
    explicit TempFile(std::string_view content) : path_(temp_dir() + "/wgrun_is_XXXXXX") {
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) throw std::system_error(errno, std::generic_category(), "mkstemp");
        write_all(fd, content);
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Both ends of a pipe, closed on destruction unless closed before.
struct Pipe {
    int r = -1;
    int w = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            throw std::system_error(errno, std::generic_category(), "pipe2");
        }
        r = fds[0];
        w = fds[1];
    }
    ~Pipe() {
        close_write();
        if (r >= 0) ::close(r);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_write() {
        if (w >= 0) ::close(w);
        w = -1;
    }
};

// A pipe holding `content` and closed for writing (small contents only).
class FilledPipe : public Pipe {
public:
    explicit FilledPipe(std::string_view content) {
        write_all(w, content);
        close_write();
    }
};

SourceSpec args(std::vector<std::string> values, bool linked = false) {
    return SourceSpec{SourceSpec::Kind::Args, std::move(values), linked};
}

SourceSpec file(std::string path, bool linked = false) {
    return SourceSpec{SourceSpec::Kind::File, {std::move(path)}, linked};
}

Combinations all(InputCombiner& combiner) {
    Combinations out;
    while (auto c = combiner.next()) {
        EXPECT_EQ(c->size(), combiner.source_count());
        out.push_back(std::move(*c));
    }
    EXPECT_EQ(combiner.next(), std::nullopt) << "the end must stay the end";
    return out;
}

Combinations combine(std::vector<SourceSpec> sources, char delimiter = '\n', int stdin_fd = 0) {
    InputCombiner combiner(std::move(sources), delimiter, stdin_fd);
    return all(combiner);
}

Combinations combine(std::vector<SourceSpec> sources, const InputRules& rules) {
    InputCombiner combiner(std::move(sources), rules);
    return all(combiner);
}

using wgrun::test::open_fds;

std::string error_of(std::vector<SourceSpec> sources, int stdin_fd = 0) {
    try {
        InputCombiner combiner(std::move(sources), '\n', stdin_fd);
        all(combiner);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no InputError)";
}

TEST(InputCombiner, SingleArgsSource) {
    EXPECT_EQ(combine({args({"a", "b", "c"})}), (Combinations{{"a"}, {"b"}, {"c"}}));
}

TEST(InputCombiner, FirstSourceVariesSlowest) {
    EXPECT_EQ(combine({args({"a", "b"}), args({"1", "2"})}),
              (Combinations{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}}));
}

TEST(InputCombiner, ProductOfThreeSources) {
    EXPECT_EQ(combine({args({"a", "b"}), args({"1", "2", "3"}), args({"x", "y"})}),
              (Combinations{{"a", "1", "x"}, {"a", "1", "y"}, {"a", "2", "x"}, {"a", "2", "y"},
                            {"a", "3", "x"}, {"a", "3", "y"}, {"b", "1", "x"}, {"b", "1", "y"},
                            {"b", "2", "x"}, {"b", "2", "y"}, {"b", "3", "x"}, {"b", "3", "y"}}));
}

TEST(InputCombiner, SourceCount) {
    InputCombiner combiner({args({"a"}), args({"1"}, true), args({"x", "y"})}, '\n');
    EXPECT_EQ(combiner.source_count(), 3u);
}

// Changed with issue 14: :::+ used to wrap the shorter source around (as
// --link does); GNU parallel 20221122 stops at the shorter source.
TEST(InputCombiner, LinkedSourcesZipAndStopAtTheShortest) {
    // parallel echo ::: A B C D E :::+ F G  ->  A F, B G
    EXPECT_EQ(combine({args({"A", "B", "C", "D", "E"}), args({"F", "G"}, true)}),
              (Combinations{{"A", "F"}, {"B", "G"}}));
    // The shorter source may come first.
    EXPECT_EQ(combine({args({"a"}), args({"1", "2", "3"}, true), args({"x", "y"}, true)}),
              (Combinations{{"a", "1", "x"}}));
    EXPECT_EQ(combine({args({"a", "b", "c"}), args({"1", "2", "3"}, true), args({"x", "y"}, true)}),
              (Combinations{{"a", "1", "x"}, {"b", "2", "y"}}));
}

TEST(InputCombiner, LinkAllZipsEverySourceAndWrapsTheShorterOnes) {
    InputRules link;
    link.link_all = true;
    // parallel --link echo ::: a b c ::: 1 2  ->  a 1, b 2, c 1
    EXPECT_EQ(combine({args({"a", "b", "c"}), args({"1", "2"})}, link),
              (Combinations{{"a", "1"}, {"b", "2"}, {"c", "1"}}));
    // parallel --link echo ::: a b ::: 1 2 3 :::+ x y  ->  a 1 x, b 2 y, a 3 x
    EXPECT_EQ(combine({args({"a", "b"}), args({"1", "2", "3"}), args({"x", "y"}, true)}, link),
              (Combinations{{"a", "1", "x"}, {"b", "2", "y"}, {"a", "3", "x"}}));
    // A lazy first source (a file) with --link: the sources are one group.
    TempFile f("f1\nf2\nf3\n");
    EXPECT_EQ(combine({file(f.path()), args({"1", "2"})}, link),
              (Combinations{{"f1", "1"}, {"f2", "2"}, {"f3", "1"}}));
    // One source alone is itself.
    EXPECT_EQ(combine({file(f.path())}, link), (Combinations{{"f1"}, {"f2"}, {"f3"}}));
    // An empty source still gives nothing.
    EXPECT_EQ(combine({args({"a"}), args({})}, link), Combinations{});
}

TEST(InputCombiner, LinkMarkOnTheFirstSourceLinksToNothing) {
    // parallel echo :::+ a b ::: 1 2 : as ::: a b ::: 1 2.
    EXPECT_EQ(combine({args({"a", "b"}, true), args({"1", "2"})}),
              (Combinations{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}}));
    // parallel echo ::::+ f g : the files link to each other.
    TempFile f("p\nq\n");
    TempFile g("1\n2\n3\n");
    EXPECT_EQ(combine({file(f.path(), true), file(g.path(), true)}),
              (Combinations{{"p", "1"}, {"q", "2"}}));
    EXPECT_EQ(combine({file(f.path(), true), args({"x", "y"})}),
              (Combinations{{"p", "x"}, {"p", "y"}, {"q", "x"}, {"q", "y"}}));
}

TEST(InputCombiner, EofStringEndsItsSource) {
    InputRules eof;
    eof.eof = "stop";
    TempFile f("a\nstop\nb\n");
    EXPECT_EQ(combine({file(f.path())}, eof), (Combinations{{"a"}}));
    EXPECT_EQ(combine({args({"x"}), file(f.path())}, eof), (Combinations{{"x", "a"}}));
    // parallel -E stop echo ::: a stop b  ->  a
    EXPECT_EQ(combine({args({"a", "stop", "b"})}, eof), (Combinations{{"a"}}));
    // Only a whole record matches.
    EXPECT_EQ(combine({args({"stop it", "b"})}, eof), (Combinations{{"stop it"}, {"b"}}));
    // A pipe: what follows is never handed out, and stdin stays open.
    FilledPipe in("s1\nstop\nlater\n");
    InputCombiner combiner({file("-")}, eof, in.r);
    EXPECT_EQ(all(combiner), (Combinations{{"s1"}}));
    EXPECT_NE(::fcntl(in.r, F_GETFD), -1) << "stdin_fd was closed";
}

TEST(InputCombiner, SkipBlankLeavesOutEmptyAndWhitespaceRecords) {
    InputRules skip;
    skip.skip_blank = true;
    TempFile f("a\n\n  \n\t\r\nb\n");
    EXPECT_EQ(combine({file(f.path())}, skip), (Combinations{{"a"}, {"b"}}));
    EXPECT_EQ(combine({args({"1"}), file(f.path())}, skip), (Combinations{{"1", "a"}, {"1", "b"}}));
    EXPECT_EQ(combine({args({"a", "", " ", "b"})}, skip), (Combinations{{"a"}, {"b"}}));
    TempFile blanks(" \n\n");
    EXPECT_EQ(combine({file(blanks.path())}, skip), Combinations{});
    // Without -r an empty record is a value.
    EXPECT_EQ(combine({file(f.path())}), (Combinations{{"a"}, {""}, {"  "}, {"\t\r"}, {"b"}}));
}

TEST(InputCombiner, FileSourcesWithArgs) {
    TempFile f("f1\nf2\n");
    // The file first (read lazily) ...
    EXPECT_EQ(combine({file(f.path()), args({"1", "2"})}),
              (Combinations{{"f1", "1"}, {"f1", "2"}, {"f2", "1"}, {"f2", "2"}}));
    // ... second (read whole) ...
    EXPECT_EQ(combine({args({"1", "2"}), file(f.path())}),
              (Combinations{{"1", "f1"}, {"1", "f2"}, {"2", "f1"}, {"2", "f2"}}));
    // ... and linked: :::: f ::::+ g, ::: a b c ::::+ f.
    TempFile g("g1\ng2\ng3");
    EXPECT_EQ(combine({file(f.path()), file(g.path(), true)}),
              (Combinations{{"f1", "g1"}, {"f2", "g2"}}));
    EXPECT_EQ(combine({args({"a", "b", "c"}), file(f.path(), true)}),
              (Combinations{{"a", "f1"}, {"b", "f2"}}));
}

TEST(InputCombiner, FileRecordsKeepTheirBytes) {
    TempFile f("a b\r\n\nc");
    EXPECT_EQ(combine({file(f.path())}), (Combinations{{"a b\r"}, {""}, {"c"}}));
    EXPECT_EQ(combine({args({"x"}), file(f.path())}),
              (Combinations{{"x", "a b\r"}, {"x", ""}, {"x", "c"}}));
}

TEST(InputCombiner, NulDelimiter) {
    TempFile f(std::string("a\nb\0c\0", 6));
    EXPECT_EQ(combine({file(f.path()), args({"1"})}, '\0'),
              (Combinations{{"a\nb", "1"}, {"c", "1"}}));
    EXPECT_EQ(combine({args({"1"}), file(f.path())}, '\0'),
              (Combinations{{"1", "a\nb"}, {"1", "c"}}));
}

TEST(InputCombiner, StdinAsFirstSource) {
    FilledPipe in("s1\ns2\n");
    EXPECT_EQ(combine({file("-"), args({"1", "2"})}, '\n', in.r),
              (Combinations{{"s1", "1"}, {"s1", "2"}, {"s2", "1"}, {"s2", "2"}}));
    EXPECT_NE(::fcntl(in.r, F_GETFD), -1) << "stdin_fd was closed";
}

TEST(InputCombiner, StdinAsLaterSource) {
    FilledPipe in("s1\ns2");
    EXPECT_EQ(combine({args({"a", "b"}), file("-")}, '\n', in.r),
              (Combinations{{"a", "s1"}, {"a", "s2"}, {"b", "s1"}, {"b", "s2"}}));
    EXPECT_NE(::fcntl(in.r, F_GETFD), -1) << "stdin_fd was closed";
}

TEST(InputCombiner, StdinLinked) {
    FilledPipe in("s1\ns2\ns3\n");
    EXPECT_EQ(combine({args({"a", "b", "c", "d"}), file("-", true)}, '\n', in.r),
              (Combinations{{"a", "s1"}, {"b", "s2"}, {"c", "s3"}}));
}

TEST(InputCombiner, EmptySourceGivesNothing) {
    TempFile empty("");
    TempFile f("f1\n");
    EXPECT_EQ(combine({args({})}), Combinations{});
    EXPECT_EQ(combine({args({"a", "b"}), args({})}), Combinations{});
    EXPECT_EQ(combine({args({}), args({"a", "b"})}), Combinations{});
    EXPECT_EQ(combine({args({"a", "b"}), args({}, true)}), Combinations{});
    EXPECT_EQ(combine({file(empty.path())}), Combinations{});
    EXPECT_EQ(combine({file(empty.path()), args({"1"})}), Combinations{});
    EXPECT_EQ(combine({file(f.path()), args({})}), Combinations{});
    EXPECT_EQ(combine({args({"1"}), file(empty.path())}), Combinations{});
    EXPECT_EQ(combine({file(f.path()), file(empty.path(), true)}), Combinations{});
    FilledPipe in("");
    EXPECT_EQ(combine({file("-")}, '\n', in.r), Combinations{});
}

TEST(InputCombiner, NoSources) {
    InputCombiner combiner({}, '\n');
    EXPECT_EQ(combiner.source_count(), 0u);
    EXPECT_EQ(combiner.next(), std::nullopt);
}

TEST(InputCombiner, MissingFile) {
    const std::string path = temp_dir() + "/wgrun_is_no_such_file";
    ::unlink(path.c_str());
    const std::string expected =
        "cannot read input file '" + path + "': No such file or directory";
    EXPECT_EQ(error_of({file(path)}), expected);
    EXPECT_EQ(error_of({args({"a"}), file(path)}), expected);
    EXPECT_EQ(error_of({args({"a"}), file(path, true)}), expected);
}

TEST(InputCombiner, DirectoryIsAnError) {
    const std::string dir = temp_dir();
    const std::string expected = "cannot read input file '" + dir + "': Is a directory";
    EXPECT_EQ(error_of({file(dir)}), expected);
    EXPECT_EQ(error_of({args({"a"}), file(dir)}), expected);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(error_of({file("-")}, fd), "cannot read standard input: Is a directory");
    ::close(fd);
}

TEST(InputCombiner, StdinTwiceIsAnError) {
    FilledPipe in("x\n");
    EXPECT_THROW(InputCombiner({file("-"), file("-")}, '\n', in.r), InputError);
    EXPECT_THROW(InputCombiner({file("-"), args({"a"}), file("-", true)}, '\n', in.r),
                 InputError);
    // Nothing was read: stdin is still there for whoever handles the error.
    EXPECT_EQ(combine({file("-")}, '\n', in.r), (Combinations{{"x"}}));
}

TEST(InputCombiner, ClosesWhatItOpens) {
    TempFile f("f1\nf2\n");
    TempFile g("g1\n");
    FilledPipe in("s1\n");
    const std::set<int> before = open_fds();
    {
        InputCombiner combiner({file(f.path()), file(g.path()), file("-")}, '\n', in.r);
        // Only the lazy first file stays open, close-on-exec.
        std::set<int> now = open_fds();
        for (int fd : before) now.erase(fd);
        ASSERT_EQ(now.size(), 1u);
        EXPECT_EQ(::fcntl(*now.begin(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
        EXPECT_EQ(combiner.next(), (Combination{"f1", "g1", "s1"}));
    }
    EXPECT_EQ(open_fds(), before);
    {
        InputCombiner combiner({file(f.path())}, '\n');
        all(combiner);
        EXPECT_EQ(open_fds(), before) << "the lazy file is closed at its end";
    }
    EXPECT_EQ(open_fds(), before);
    EXPECT_THROW(InputCombiner({file(f.path()), args({"a"}), file(temp_dir())}, '\n'), InputError);
    EXPECT_EQ(open_fds(), before);
}

// The first combination comes while stdin is still open; the guard closes
// the pipe after a timeout so that a failing combiner cannot hang the test.
TEST(InputCombiner, FirstGroupIsLazy) {
    Pipe in;
    std::promise<std::optional<Combination>> got;
    auto result = got.get_future();
    std::thread writer([w = in.w] { write_all(w, "first\n"); });
    std::thread reader([r = in.r, &got] {
        try {
            InputCombiner combiner({file("-"), args({"1", "2"})}, '\n', r);
            got.set_value(combiner.next());
            while (combiner.next()) {}  // to the end, once the guard closes the pipe
        } catch (...) {
            got.set_exception(std::current_exception());
        }
    });
    writer.join();
    const bool in_time = result.wait_for(10s) == std::future_status::ready;
    in.close_write();
    reader.join();
    ASSERT_TRUE(in_time) << "the combiner waited for the end of stdin";
    EXPECT_EQ(result.get(), (Combination{"first", "1"}));
}

// `yes | head -n 1000000` as stdin: a million records, far more than a pipe
// holds, so the first combination arriving before the writer is done shows
// that the input is read as it is consumed.
TEST(InputCombiner, MillionLinesOfStdin) {
    constexpr int kLines = 1'000'000;
    Pipe in;
    std::atomic<bool> writer_done{false};
    std::thread writer([&in, &writer_done] {
        std::string batch;
        for (int i = 0; i < kLines; ++i) {
            batch += "y\n";
            if (batch.size() >= 8192) {
                write_all(in.w, batch);
                batch.clear();
            }
        }
        write_all(in.w, batch);
        in.close_write();
        writer_done = true;
    });
    std::size_t count = 0;
    bool early = false;
    try {
        InputCombiner combiner({file("-"), args({"a", "b"})}, '\n', in.r);
        auto first = combiner.next();
        early = !writer_done.load();
        EXPECT_EQ(first, (Combination{"y", "a"}));
        if (first) ++count;
        while (auto c = combiner.next()) ++count;
    } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
    }
    // Drain what is left, so that the writer can finish whatever happened.
    char sink[4096];
    for (;;) {
        const ssize_t n = ::read(in.r, sink, sizeof sink);
        if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    writer.join();
    EXPECT_TRUE(early) << "stdin was read whole before the first combination";
    EXPECT_EQ(count, 2u * kLines);
}

TEST(InputCombiner, ErrorsKeepTheErrno) {
    const std::string missing = temp_dir() + "/wgrun-no-such-input";
    try {
        InputCombiner combiner({file(missing)}, '\n');
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.code(), ENOENT);
    }
    try {
        InputCombiner combiner({file("-"), file("-")}, '\n');
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.code(), 0) << "no system call failed";
    }
}

}  // namespace
