// results_table_test.cpp: --results NAME.csv/.tsv/.json: GNU's quoting and
// columns, and the decorator writing a row per job as it finishes.
#include "results/results_table.hpp"
#include "support/test_support.hpp"

#include <fcntl.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using wgrun::ExitStatus;
using wgrun::JobStart;
using wgrun::OutputFlow;
using wgrun::OutputMode;
using wgrun::ResultsRow;
using wgrun::ResultsTable;
using wgrun::ResultsTableKind;
using wgrun::Stream;
using wgrun::UniqueFd;

ResultsRow row() {
    ResultsRow r;
    r.seq = 2;
    r.starttime = 1700000000.1234;
    r.runtime = 0.5;
    r.receive = 4;
    r.exitval = 1;
    r.command = "echo 'a,b'";
    r.values = {"a,b", "c\"d"};
    r.out = "a,b\n";
    r.err = "";
    return r;
}

TEST(ResultsTableFormat, CsvQuotesAsGnu) {
    std::string field;
    wgrun::append_csv_field(field, "plain", ',');
    EXPECT_EQ(field, "plain");
    field.clear();
    wgrun::append_csv_field(field, "say \"hi\"", ',');
    EXPECT_EQ(field, "\"say \"\"hi\"\"\"");
    field.clear();
    wgrun::append_csv_field(field, "a\tb", ',');  // any whitespace
    EXPECT_EQ(field, "\"a\tb\"");
    field.clear();
    wgrun::append_csv_field(field, "", ',');
    EXPECT_EQ(field, "");
}

TEST(ResultsTableFormat, CsvHeaderAndRow) {
    EXPECT_EQ(wgrun::csv_header(2, ','),
              "Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,V2,"
              "Stdout,Stderr\n");
    EXPECT_EQ(wgrun::csv_row(row(), ','),
              "2,:,1700000000.123,0.500,0,4,1,0,\"echo 'a,b'\",\"a,b\",\"c\"\"d\",\"a,b\n\",\n");
    EXPECT_EQ(wgrun::csv_row(row(), '\t'),
              "2\t:\t1700000000.123\t0.500\t0\t4\t1\t0\t\"echo 'a,b'\"\ta,b\t\"c\"\"d\"\t"
              "\"a,b\n\"\t\n");
}

TEST(ResultsTableFormat, JsonLikeGnu) {
    ResultsRow r = row();
    r.values = {"q\"\\", "\x01"};
    EXPECT_EQ(wgrun::json_row(r),
              "{ \"Seq\": 2, \"Host\": \":\", \"Starttime\": 1700000000.123, \"JobRuntime\": "
              "0.500, \"Send\": 0, \"Receive\": 4, \"Exitval\": 1, \"Signal\": 0, \"Command\": "
              "\"echo 'a,b'\", \"V\": [ \"q\\\"\\\\\",\"\\u0001\" ], \"Stdout\": \"a,b\\u000a\", "
              "\"Stderr\": \"\" }\n");
}

class PassMode : public OutputMode, public OutputFlow {
public:
    void started(const JobStart&) override {}
    void output(std::uint64_t, Stream, std::string_view bytes) override { seen += bytes; }
    std::string finished(std::uint64_t, const ExitStatus&) override { return ""; }
    OutputFlow& flow() override { return *this; }
    bool stdout_closed() const override { return false; }
    std::string seen;
};

TEST(ResultsTable, WritesHeaderOnceAndARowPerJob) {
    wgrun::test::TempDir temp;
    const std::string path = temp.file("t.csv");
    auto inner = std::make_unique<PassMode>();
    PassMode* pass = inner.get();
    ResultsTable table(std::move(inner), ResultsTableKind::Csv,
                       UniqueFd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666)),
                       "t.csv");
    const std::vector<std::string> a{"a"};
    const std::vector<std::string> b{"b"};
    const std::string cmd_a = "echo a";
    const std::string cmd_b = "kill b";
    table.started(JobStart{1, 1, &a, &cmd_a});
    table.started(JobStart{2, 2, &b, &cmd_b});
    table.output(2, Stream::Err, "dying");
    table.output(1, Stream::Out, "a\n");
    EXPECT_EQ(table.finished(2, ExitStatus{ExitStatus::Kind::Signaled, 9}), "");
    EXPECT_EQ(table.finished(1, ExitStatus{}), "");
    EXPECT_EQ(pass->seen, "dyinga\n");  // passed on as well
    const std::string text = wgrun::test::read_file(path);
    const std::vector<std::string> lines = [&] {
        std::vector<std::string> out;
        std::size_t at = 0;
        for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
            out.push_back(text.substr(at, nl - at));
        }
        return out;
    }();
    ASSERT_EQ(lines.size(), 4u) << text;  // header, job 2, job 1 (two lines: "a\n" quoted)
    EXPECT_EQ(lines[0], "Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,"
                        "Stdout,Stderr");
    EXPECT_EQ(lines[1].substr(0, 4), "2,:,");
    EXPECT_NE(lines[1].find(",0,0,9,\"kill b\",b,,dying"), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find(",0,2,0,0,\"echo a\",a,\"a"), std::string::npos) << lines[2];
}

TEST(ResultsTable, AFailedWriteIsTheJobsProblem) {
    auto inner = std::make_unique<PassMode>();
    ResultsTable table(std::move(inner), ResultsTableKind::Json,
                       UniqueFd(::open("/dev/full", O_WRONLY | O_CLOEXEC)), "full.json");
    table.started(JobStart{1});
    EXPECT_EQ(table.finished(1, ExitStatus{}),
              "results not saved: full.json: No space left on device");
}

}  // namespace

namespace {

TEST(ResultsTable, ARetriedAttemptsRowStartsAgain) {
    wgrun::test::TempDir temp;
    const std::string path = temp.file("t.json");
    ResultsTable table(std::make_unique<PassMode>(), ResultsTableKind::Json,
                       UniqueFd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666)),
                       "t.json");
    table.started(JobStart{1});
    table.output(1, Stream::Out, "try 1\n");
    EXPECT_EQ(table.retrying(1), 0u);
    table.output(1, Stream::Out, "try 2\n");
    EXPECT_EQ(table.finished(1, ExitStatus{}), "");
    const std::string text = wgrun::test::read_file(path);
    EXPECT_NE(text.find("\"Stdout\": \"try 2\\u000a\""), std::string::npos) << text;
    EXPECT_EQ(text.find("try 1"), std::string::npos) << text;
}

}  // namespace
