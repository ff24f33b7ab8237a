// files_output_test.cpp: --files: each job's stdout in a file of its own in
// the temporary directory, its name passed on as the job's stdout when it
// finishes; stderr passed on; a retried attempt's stdout dropped; a file
// that cannot be written is the job's problem and is removed.
#include "output/files_output.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/output_test_support.hpp"

namespace {

using wgrun::ExitStatus;
using wgrun::FilesOutput;
using wgrun::JobStart;
using wgrun::OutputFlow;
using wgrun::OutputMode;
using wgrun::Stream;
using wgrun::test::TempDir;
using wgrun::test::TestJob;

class Recorder : public OutputMode, public OutputFlow {
public:
    void started(const JobStart&) override {}
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override {
        (stream == Stream::Out ? out : err) += std::to_string(seq) + ":" + std::string(bytes);
    }
    std::string finished(std::uint64_t, const ExitStatus&) override { return ""; }
    OutputFlow& flow() override { return *this; }
    bool stdout_closed() const override { return false; }
    std::string out;
    std::string err;
};

TEST(FilesOutput, WritesStdoutToAFileAndPassesItsName) {
    TempDir tmp;
    auto inner = std::make_unique<Recorder>();
    Recorder* rec = inner.get();
    FilesOutput files(std::move(inner), tmp.path() + "/");
    TestJob one(1);
    files.started(one.start);
    files.output(1, Stream::Out, "hello ");
    files.output(1, Stream::Err, "warn\n");
    files.output(1, Stream::Out, "world\n");
    EXPECT_EQ(files.retrying(1), 12u);  // the file starts again
    files.output(1, Stream::Out, "last\n");
    EXPECT_EQ(files.finished(1, ExitStatus{}), "");
    EXPECT_EQ(rec->err, "1:warn\n");
    ASSERT_EQ(rec->out.substr(0, 2), "1:");
    const std::string name = rec->out.substr(2, rec->out.size() - 3);
    EXPECT_EQ(rec->out.back(), '\n');
    EXPECT_EQ(name.substr(0, tmp.path().size() + 4), tmp.path() + "/par");
    EXPECT_EQ(name.substr(name.size() - 4), ".par");
    EXPECT_EQ(name.size(), tmp.path().size() + 1 + 3 + 6 + 4);
    EXPECT_EQ(wgrun::test::read_file(name), "last\n");
}

TEST(FilesOutput, AFileThatCannotBeMadeIsTheJobsProblem) {
    auto inner = std::make_unique<Recorder>();
    Recorder* rec = inner.get();
    FilesOutput files(std::move(inner), "/nonexistent/dir");
    TestJob one(1);
    files.started(one.start);
    files.output(1, Stream::Out, "x");
    EXPECT_EQ(files.finished(1, ExitStatus{}),
              "output lost: --files: /nonexistent/dir: No such file or directory");
    EXPECT_EQ(rec->out, "");
}

}  // namespace
