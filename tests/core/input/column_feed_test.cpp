// column_feed_test.cpp: the column stage: --trim on a value, ColumnFeed over
// a fake feed (split, trimmed, CSV records over lines, the header), and
// open_column_input over real files and a pipe (one lazy source, several
// read first, --header 0).
#include "input/column_feed.hpp"
#include "input/column_input.hpp"
#include "input/value_trim.hpp"
#include "support/test_support.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using wgrun::ColumnFeed;
using wgrun::ColumnHeader;
using wgrun::ColumnRules;
using wgrun::ColumnSplitter;
using wgrun::CsvSplitter;
using wgrun::InputError;
using wgrun::JobFeed;
using wgrun::open_column_input;
using wgrun::parse_trim;
using wgrun::SourceSpec;
using wgrun::Trim;
using wgrun::trim_value;
using Values = std::vector<std::string>;

// Hands out the given inputs, counting the reads.
class FakeFeed : public JobFeed {
public:
    explicit FakeFeed(std::deque<Values> inputs) : inputs_(std::move(inputs)) {}
    std::optional<Values> next() override {
        ++reads;
        if (inputs_.empty()) return std::nullopt;
        Values values = std::move(inputs_.front());
        inputs_.pop_front();
        return values;
    }
    int reads = 0;

private:
    std::deque<Values> inputs_;
};

std::shared_ptr<const ColumnRules> colsep(const std::string& pattern, Trim trim = Trim::None) {
    auto rules = std::make_shared<ColumnRules>();
    rules->splitter.emplace(pattern);
    rules->trim = trim;
    return rules;
}

std::shared_ptr<const ColumnRules> csv(const std::string& separator = ",") {
    auto rules = std::make_shared<ColumnRules>();
    rules->csv.emplace(separator);
    return rules;
}

std::vector<Values> drain(JobFeed& feed) {
    std::vector<Values> all;
    while (auto values = feed.next()) all.push_back(std::move(*values));
    return all;
}

std::string write(const wgrun::test::TempDir& dir, const std::string& name,
                  const std::string& content) {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

// ---- --trim ------------------------------------------------------------------

TEST(ValueTrim, ParsesGnusValues) {
    EXPECT_EQ(parse_trim("n"), Trim::None);
    EXPECT_EQ(parse_trim("l"), Trim::Left);
    EXPECT_EQ(parse_trim("r"), Trim::Right);
    EXPECT_EQ(parse_trim("lr"), Trim::Both);
    EXPECT_EQ(parse_trim("rl"), Trim::Both);
    EXPECT_FALSE(parse_trim("x").has_value());
    EXPECT_FALSE(parse_trim("").has_value());
}

TEST(ValueTrim, TakesPerlsWhiteSpaceOffTheEndsAsked) {
    const std::string value = " \t\v\f\r\n a b \n\t ";
    auto trimmed = [&](Trim trim) {
        std::string v = value;
        trim_value(v, trim);
        return v;
    };
    EXPECT_EQ(trimmed(Trim::None), value);
    EXPECT_EQ(trimmed(Trim::Left), "a b \n\t ");
    EXPECT_EQ(trimmed(Trim::Right), " \t\v\f\r\n a b");
    EXPECT_EQ(trimmed(Trim::Both), "a b");
    std::string blank = "  \t ";
    trim_value(blank, Trim::Both);
    EXPECT_EQ(blank, "");
    std::string other = "\xa0x\xa0";  // not white space on bytes
    trim_value(other, Trim::Both);
    EXPECT_EQ(other, "\xa0x\xa0");
}

// ---- ColumnFeed ----------------------------------------------------------------

TEST(ColumnFeed, EachValueBecomesItsColumnsInOrder) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{"a,b", "c"}, {"", "d,"}}),
                    colsep(","));
    EXPECT_EQ(drain(feed), (std::vector<Values>{{"a", "b", "c"}, {"", "d", ""}}));
}

TEST(ColumnFeed, TrimsEveryColumn) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{" a , b ,\tc\t"}}),
                    colsep(",", Trim::Both));
    EXPECT_EQ(drain(feed), (std::vector<Values>{{"a", "b", "c"}}));
}

TEST(ColumnFeed, TrimAloneLeavesValuesWhole) {
    auto rules = std::make_shared<ColumnRules>();
    rules->trim = Trim::Right;
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{" a, b ", "c "}}), rules);
    EXPECT_EQ(drain(feed), (std::vector<Values>{{" a, b", "c"}}));
}

TEST(ColumnFeed, IsLazyReadingOneInputAtATime) {
    auto inner = std::make_unique<FakeFeed>(std::deque<Values>{{"a,b"}, {"c,d"}, {"e,f"}});
    FakeFeed* fake = inner.get();
    ColumnFeed feed(std::move(inner), colsep(","));
    EXPECT_EQ(fake->reads, 0);
    EXPECT_EQ(feed.next(), (Values{"a", "b"}));
    EXPECT_EQ(fake->reads, 1);
}

TEST(ColumnFeed, ACsvRecordGoesOnOverLinesWhenJoined) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{
                        {"a,\"b"}, {"c\"\"d"}, {"e\",f"}, {"g,h"}}),
                    csv(), true, '\n');
    EXPECT_EQ(drain(feed), (std::vector<Values>{{"a", "b\nc\"d\ne", "f"}, {"g", "h"}}));
}

TEST(ColumnFeed, AnOpenQuoteAtTheEndIsAnErrorNamingTheRecord) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{"a,b"}, {"c,\"d"}}), csv(),
                    true, '\n');
    EXPECT_EQ(feed.next(), (Values{"a", "b"}));
    try {
        feed.next();
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(),
                     "--csv: input record 2 is not CSV: a quoted field is not closed, at byte 3");
    }
}

TEST(ColumnFeed, WithoutJoiningEachValueIsARecord) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{"\"a\nb\",c"}}), csv());
    EXPECT_EQ(drain(feed), (std::vector<Values>{{"a\nb", "c"}}));
}

TEST(ColumnFeed, TheHeaderNamesAreNotTrimmedAndLoseTheirCarriageReturn) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{" x ,y,,\r"}, {" 1 ,2"}}),
                    colsep(",", Trim::Both));
    EXPECT_EQ(feed.take_header(), (Values{" x ", "y"}));
    EXPECT_EQ(drain(feed), (std::vector<Values>{{"1", "2"}}));
}

TEST(ColumnFeed, ACsvHeaderIsParsedAsCsv) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{{"\"a,b\",c\r"}, {"1,2"}}),
                    csv());
    EXPECT_EQ(feed.take_header(), (Values{"a,b", "c"}));
}

TEST(ColumnFeed, NoInputNoHeader) {
    ColumnFeed feed(std::make_unique<FakeFeed>(std::deque<Values>{}), colsep(","));
    EXPECT_TRUE(feed.take_header().empty());
    EXPECT_FALSE(feed.next().has_value());
}

// ---- open_column_input ---------------------------------------------------------

const wgrun::InputRules kLines{};  // records end at a newline

TEST(ColumnInput, OneFileSourceWithAHeader) {
    wgrun::test::TempDir dir;
    const std::string path = write(dir, "in.tsv", "name\tage\nann\t3\nbob\t4\n");
    auto input = open_column_input({{SourceSpec::Kind::File, {path}, false}}, colsep("\\t"),
                                   ColumnHeader::FirstRecord, kLines);
    EXPECT_EQ(input.names, (Values{"name", "age"}));
    EXPECT_EQ(drain(*input.feed), (std::vector<Values>{{"ann", "3"}, {"bob", "4"}}));
}

TEST(ColumnInput, OneSourceIsReadLazilyHeaderFirst) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    wgrun::test::Fd read_end(fds[0]);
    wgrun::test::Fd write_end(fds[1]);
    const std::string first = "h1,h2\na,\"b\n";
    ASSERT_EQ(::write(write_end.get(), first.data(), first.size()),
              static_cast<ssize_t>(first.size()));
    // Only the header and an open record are there: the header is read, and
    // the feed waits for the rest of the record.
    auto input = open_column_input({{SourceSpec::Kind::File, {"-"}, false}}, csv(),
                                   ColumnHeader::FirstRecord, kLines, read_end.get());
    EXPECT_EQ(input.names, (Values{"h1", "h2"}));
    const std::string rest = "c\"\n";
    ASSERT_EQ(::write(write_end.get(), rest.data(), rest.size()),
              static_cast<ssize_t>(rest.size()));
    EXPECT_EQ(input.feed->next(), (Values{"a", "b\nc"}));
    write_end.reset();
    EXPECT_FALSE(input.feed->next().has_value());
}

TEST(ColumnInput, SeveralSourcesEachGiveTheirHeaderAndColumns) {
    wgrun::test::TempDir dir;
    const std::string path = write(dir, "in.csv", "x,y\n1,\"2\n3\"\n");
    auto input = open_column_input(
        {{SourceSpec::Kind::Args, {"f", "A", "B"}, false}, {SourceSpec::Kind::File, {path}, false}},
        csv(), ColumnHeader::FirstRecord, kLines);
    EXPECT_EQ(input.names, (Values{"f", "x", "y"}));
    EXPECT_EQ(drain(*input.feed), (std::vector<Values>{{"A", "1", "2\n3"}, {"B", "1", "2\n3"}}));
}

TEST(ColumnInput, SeveralSourcesWithoutHeaderStayAsTheyAre) {
    auto input = open_column_input(
        {{SourceSpec::Kind::Args, {"a,b", "c"}, false}, {SourceSpec::Kind::Args, {"1,2"}, false}},
        colsep(","), ColumnHeader::None, kLines);
    EXPECT_TRUE(input.names.empty());
    EXPECT_EQ(drain(*input.feed), (std::vector<Values>{{"a", "b", "1", "2"}, {"c", "1", "2"}}));
}

TEST(ColumnInput, HeaderZeroNamesColumnsByTheirFiles) {
    wgrun::test::TempDir dir;
    const std::string one = write(dir, "one", "1\n2\n");
    const std::string two = write(dir, "two", "x\n");
    auto input = open_column_input(
        {{SourceSpec::Kind::File, {one}, false}, {SourceSpec::Kind::Args, {"v"}, false},
         {SourceSpec::Kind::File, {two}, false}},
        colsep("\\t"), ColumnHeader::SourceNames, kLines);
    EXPECT_EQ(input.names, (Values{one, "", two}));
    EXPECT_EQ(drain(*input.feed), (std::vector<Values>{{"1", "v", "x"}, {"2", "v", "x"}}));
}

TEST(ColumnInput, StdinTwiceIsAnError) {
    EXPECT_THROW(open_column_input({{SourceSpec::Kind::File, {"-"}, false},
                                    {SourceSpec::Kind::File, {"-"}, false}},
                                   csv(), ColumnHeader::FirstRecord, kLines),
                 InputError);
}

TEST(ColumnInput, AnUnreadableFileIsNamed) {
    try {
        open_column_input({{SourceSpec::Kind::Args, {"a"}, false},
                           {SourceSpec::Kind::File, {"/nonexistent/f"}, false}},
                          csv(), ColumnHeader::FirstRecord, kLines);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/f"), std::string::npos) << e.what();
    }
}

}  // namespace
