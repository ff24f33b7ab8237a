// arg_packer_test.cpp: the ArgPacker fed records by a fake feed and sized by
// a fake size function (each value costs its length plus one, as xargs
// counts): -n counts, the byte limit, the record too long alone, -x, GNU's
// spreading under -m/-X, -L's continued lines, and laziness.
#include "input/arg_packer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using wgrun::ArgPacker;
using wgrun::CommandSize;
using wgrun::JobFeed;
using wgrun::PackingError;
using wgrun::PackingRules;
using Values = std::vector<std::string>;

// Records from a list, counting how many were taken.
class FakeRecords : public JobFeed {
public:
    explicit FakeRecords(std::vector<Values> records, int* taken = nullptr)
        : records_(std::move(records)), taken_(taken) {}
    std::optional<Values> next() override {
        if (next_ == records_.size()) return std::nullopt;
        if (taken_ != nullptr) ++*taken_;
        return records_[next_++];
    }

private:
    std::vector<Values> records_;
    std::size_t next_ = 0;
    int* taken_;
};

std::vector<Values> lines(std::initializer_list<std::string> values) {
    std::vector<Values> records;
    for (const auto& v : values) records.push_back({v});
    return records;
}

std::vector<Values> numbers(int n) {
    std::vector<Values> records;
    for (int i = 1; i <= n; ++i) records.push_back({std::to_string(i)});
    return records;
}

// "echo" and a value: 5 + (len + 1) per value, as xargs -s counts.
CommandSize echo_size() {
    CommandSize size;
    size.fixed = 5;
    size.value = [](std::string_view value, std::size_t) { return value.size() + 1; };
    return size;
}

std::vector<Values> drain(ArgPacker& packer) {
    std::vector<Values> jobs;
    while (auto job = packer.next()) jobs.push_back(std::move(*job));
    return jobs;
}

std::vector<Values> pack(std::vector<Values> records, PackingRules rules) {
    ArgPacker packer(std::make_unique<FakeRecords>(std::move(records)), echo_size(),
                     std::move(rules));
    return drain(packer);
}

TEST(ArgPacker, MaxRecordsPerJobAndAShortLastJob) {
    PackingRules rules;
    rules.max_records = 3;
    EXPECT_EQ(pack(numbers(7), rules),
              (std::vector<Values>{{"1", "2", "3"}, {"4", "5", "6"}, {"7"}}));
}

TEST(ArgPacker, NoRecordsNoJob) {
    PackingRules rules;
    rules.max_records = 3;
    EXPECT_TRUE(pack({}, rules).empty());
}

TEST(ArgPacker, SeveralSourcesARecordIsACombinationKeptWhole) {
    PackingRules rules;
    rules.max_records = 2;
    EXPECT_EQ(pack({{"a", "1"}, {"a", "2"}, {"b", "1"}}, rules),
              (std::vector<Values>{{"a", "1", "a", "2"}, {"b", "1"}}));
}

TEST(ArgPacker, ByteLimitAsXargsS) {
    // seq 20 | xargs -s 20 echo: "echo 1 2 3 4 5 6 7" is 18 bytes and a NUL.
    PackingRules rules;
    rules.max_bytes = 20;
    const auto jobs = pack(numbers(20), rules);
    ASSERT_EQ(jobs.size(), 4u);
    EXPECT_EQ(jobs[0], (Values{"1", "2", "3", "4", "5", "6", "7"}));
    EXPECT_EQ(jobs[1], (Values{"8", "9", "10", "11", "12"}));
    EXPECT_EQ(jobs[3], (Values{"18", "19", "20"}));
}

TEST(ArgPacker, ExecLimitCountsAPointerPerValue) {
    PackingRules rules;
    rules.max_exec_bytes = 5 + 3 * (2 + sizeof(char*));  // three one-byte values
    const auto jobs = pack(numbers(7), rules);
    EXPECT_EQ(jobs, (std::vector<Values>{{"1", "2", "3"}, {"4", "5", "6"}, {"7"}}));
}

TEST(ArgPacker, ARecordTooLongAloneIsAJobOfItsOwnAndTheRestRuns) {
    PackingRules rules;
    rules.max_bytes = 20;
    const std::string big(100, 'b');
    EXPECT_EQ(pack(lines({"aaaa", big, "cc", "dd"}), rules),
              (std::vector<Values>{{"aaaa"}, {big}, {"cc", "dd"}}));
}

TEST(ArgPacker, ExitStopsAtARecordTooLongAloneDroppingThePendingJob) {
    // xargs -x -s 20 echo: nothing runs, not even "echo aaaa".
    PackingRules rules;
    rules.max_bytes = 20;
    rules.limit_text = "20 bytes (-s 20)";
    rules.stop_on_overflow = true;
    ArgPacker packer(std::make_unique<FakeRecords>(lines({"aaaa", std::string(46, 'b'), "cc"})),
                     echo_size(), rules);
    try {
        packer.next();
        FAIL() << "no PackingError";
    } catch (const PackingError& e) {
        EXPECT_NE(std::string(e.what()).find("job 1's arguments do not fit in 20 bytes (-s 20)"),
                  std::string::npos)
            << e.what();
    }
}

TEST(ArgPacker, ExitStopsWhenAJobCannotHaveItsCount) {
    // seq 20 | xargs -x -n 5 -s 15 echo: "1 2 3 4 5", then "6 7 8 9 10" is
    // too long: stop.
    PackingRules rules;
    rules.max_records = 5;
    rules.max_bytes = 15;
    rules.stop_on_overflow = true;
    ArgPacker packer(std::make_unique<FakeRecords>(numbers(20)), echo_size(), rules);
    EXPECT_EQ(packer.next(), (Values{"1", "2", "3", "4", "5"}));
    EXPECT_THROW(packer.next(), PackingError);
}

TEST(ArgPacker, ExitWithoutCountPacksByLengthAsUsual) {
    PackingRules rules;
    rules.max_bytes = 20;
    rules.stop_on_overflow = true;
    EXPECT_EQ(pack(numbers(20), rules).size(), 4u);
}

TEST(ArgPacker, SpreadsAShortInputOverTheSlotsAsGnu) {
    // seq 5 | parallel -j2 -m: 1 2 3 / 4 5; -j4 -X: 1 2 / 3 4 / 5.
    PackingRules rules;
    rules.spread_over = 2;
    EXPECT_EQ(pack(numbers(5), rules), (std::vector<Values>{{"1", "2", "3"}, {"4", "5"}}));
    rules.spread_over = 4;
    EXPECT_EQ(pack(numbers(5), rules),
              (std::vector<Values>{{"1", "2"}, {"3", "4"}, {"5"}}));
    rules.spread_over = 8;  // more slots than values: one each
    EXPECT_EQ(pack(numbers(3), rules), (std::vector<Values>{{"1"}, {"2"}, {"3"}}));
}

TEST(ArgPacker, SpreadsOnlyTheEndOfALongInput) {
    // Jobs full by length until the end: the last job's values are spread.
    PackingRules rules;
    rules.max_bytes = 20;  // 7 one-digit values fit
    rules.spread_over = 2;
    const auto jobs = pack(numbers(11), rules);
    EXPECT_EQ(jobs, (std::vector<Values>{{"1", "2", "3", "4", "5", "6", "7"},
                                         {"8", "9"},
                                         {"10", "11"}}));
}

TEST(ArgPacker, ContinuedLinesJoinAsGnuL) {
    PackingRules rules;
    rules.max_records = 2;
    rules.continued_lines = true;
    EXPECT_EQ(pack(lines({"a b", "c  d", "", "e ", "f"}), rules),
              (std::vector<Values>{{"a b", "c  d"}, {"", "e f"}}));
    // A continued last line ends with the input.
    EXPECT_EQ(pack(lines({"x", "y\t"}), rules), (std::vector<Values>{{"x", "y\t"}}));
}

TEST(ArgPacker, LazyOneJobAndOneRecordAhead) {
    int taken = 0;
    PackingRules rules;
    rules.max_records = 10;
    ArgPacker packer(std::make_unique<FakeRecords>(numbers(1000), &taken), echo_size(), rules);
    ASSERT_TRUE(packer.next());
    EXPECT_EQ(taken, 10);
    rules.max_records = 0;
    rules.max_bytes = 20;
    int taken2 = 0;
    ArgPacker by_size(std::make_unique<FakeRecords>(numbers(1000), &taken2), echo_size(), rules);
    ASSERT_TRUE(by_size.next());
    EXPECT_EQ(taken2, 8);  // seven packed, the eighth put back
    EXPECT_EQ(by_size.next()->front(), "8");
}

TEST(ArgPacker, ValueIndexCountsFromTheJobsFirstValue) {
    std::vector<std::size_t> indexes;
    CommandSize size;
    size.fixed = 1;
    size.value = [&](std::string_view, std::size_t index) {
        indexes.push_back(index);
        return 1;
    };
    PackingRules rules;
    rules.max_records = 2;
    ArgPacker packer(std::make_unique<FakeRecords>(std::vector<Values>{{"a", "1"}, {"b", "2"}}),
                     size, rules);
    drain(packer);
    EXPECT_EQ(indexes, (std::vector<std::size_t>{0, 1, 2, 3}));
}

}  // namespace
