// compressed_spill_test.cpp: --compress in OutputBuffer and ParkingFile:
// what spills is kept compressed, every way of reading it back gives the
// very bytes, splicing steps aside, and a failing program is a problem in
// words, never bytes silently lost.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "output/compression.hpp"
#include "output/output_buffer.hpp"
#include "output/parking_file.hpp"
#include "support/output_test_support.hpp"

namespace {

using wgrun::Compression;
using wgrun::OutputBuffer;
using wgrun::ParkingFile;
using wgrun::test::Files;

std::shared_ptr<const Compression> gzip() {
    return std::make_shared<const Compression>(Compression{"gzip -c -1", "gzip -dc"});
}

// 3 MiB that compress well, with some that do not at the start.
std::string big_bytes() {
    return wgrun::test::random_bytes(OutputBuffer::kMemoryLimit + 1000, 3) +
           std::string(std::size_t{3} << 20, 'z') + "end";
}

std::string read_back(const OutputBuffer& buffer, int* error = nullptr) {
    std::string bytes;
    const int e = buffer.read_back([&](std::string_view piece) { bytes += piece; });
    if (error != nullptr) *error = e;
    return bytes;
}

TEST(CompressedSpill, KeepsWhatSpillsCompressedAndReadsItBackExactly) {
    Files files;
    OutputBuffer buffer(files.spill.path(), gzip());
    const std::string bytes = big_bytes();
    ASSERT_EQ(buffer.append(std::string_view(bytes).substr(0, 100)), 0);
    ASSERT_EQ(buffer.append(std::string_view(bytes).substr(100)), 0);
    EXPECT_EQ(buffer.size(), bytes.size());
    EXPECT_TRUE(buffer.compressed());
    EXPECT_EQ(buffer.plain_size(), OutputBuffer::kMemoryLimit);
    EXPECT_LT(buffer.stored_size(), OutputBuffer::kMemoryLimit + 100000) << "not compressed";
    EXPECT_EQ(buffer.last_byte(), 'd');

    int error = -1;
    EXPECT_TRUE(read_back(buffer, &error) == bytes);
    EXPECT_EQ(error, 0);
    EXPECT_EQ(buffer.write_to(files.out.get()), 0);
    EXPECT_TRUE(files.out_text() == bytes);
    EXPECT_TRUE(read_back(buffer) == bytes) << "a second reading";
    EXPECT_EQ(buffer.problem(), "");
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path())) << "no name left behind";
}

TEST(CompressedSpill, SmallOutputNeverStartsTheProgram) {
    Files files;
    auto failing = std::make_shared<const Compression>(Compression{"exit 1", "exit 1"});
    OutputBuffer buffer(files.spill.path(), failing);
    ASSERT_EQ(buffer.append("small"), 0);
    EXPECT_FALSE(buffer.compressed());
    EXPECT_EQ(buffer.stored_size(), 5u);
    EXPECT_EQ(read_back(buffer), "small");
    EXPECT_EQ(buffer.problem(), "");
}

TEST(CompressedSpill, AppendingAfterAReadStartsASecondStream) {
    Files files;
    OutputBuffer buffer(files.spill.path(), gzip());
    const std::string bytes = big_bytes();
    ASSERT_EQ(buffer.append(bytes), 0);
    EXPECT_TRUE(read_back(buffer) == bytes);
    ASSERT_EQ(buffer.append("more"), 0);
    EXPECT_TRUE(read_back(buffer) == bytes + "more");  // gzip reads concatenated members
}

TEST(CompressedSpill, SpliceStepsAside) {
    Files files;
    OutputBuffer buffer(files.spill.path(), gzip());
    ASSERT_EQ(buffer.append(big_bytes()), 0);
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    wgrun::UniqueFd r(fds[0]), w(fds[1]);
    ASSERT_EQ(::write(w.get(), "abc", 3), 3);
    EXPECT_EQ(buffer.append_from_pipe(r.get(), 3), wgrun::kCannotSplice);
}

TEST(CompressedSpill, AFailingCompressProgramIsAProblemInWords) {
    Files files;
    const wgrun::test::IgnoreSigpipe no_sigpipe;
    auto failing = std::make_shared<const Compression>(Compression{"exit 4", "gzip -dc"});
    OutputBuffer buffer(files.spill.path(), failing);
    const std::string bytes = big_bytes();
    // 3 MiB to a program that reads nothing: the write meets its end.
    EXPECT_EQ(buffer.append(bytes), EPIPE);
    EXPECT_EQ(buffer.error(), EPIPE);
    EXPECT_EQ(buffer.problem(), "'exit 4' exited with 4");
    // What was kept is written all the same: never less than we have.
    EXPECT_TRUE(read_back(buffer) == bytes.substr(0, OutputBuffer::kMemoryLimit));
    EXPECT_EQ(buffer.write_to(files.out.get()), 0);
    EXPECT_TRUE(files.out_text() == bytes.substr(0, OutputBuffer::kMemoryLimit));
}

TEST(CompressedSpill, AFailingDecompressProgramIsAProblemInWords) {
    Files files;
    auto failing = std::make_shared<const Compression>(Compression{"gzip -c", "exit 5"});
    OutputBuffer buffer(files.spill.path(), failing);
    ASSERT_EQ(buffer.append(big_bytes()), 0);
    int error = 0;
    read_back(buffer, &error);
    EXPECT_EQ(error, EIO);
    EXPECT_EQ(buffer.problem(), "'exit 5' exited with 5");
    EXPECT_EQ(buffer.write_to(files.out.get()), -EIO);
}

TEST(CompressedSpill, TheParkingFileHoldsItCompressedAndUnpacksIt) {
    Files files;
    ParkingFile parking(files.spill.path());
    parking.compress_with(gzip());
    OutputBuffer small(files.spill.path(), gzip());
    small.append("small");
    OutputBuffer big(files.spill.path(), gzip());
    const std::string bytes = big_bytes();
    big.append(bytes);

    ParkingFile::Extent a;
    ParkingFile::Extent b;
    ASSERT_EQ(parking.park(small, a), 0);
    ASSERT_EQ(parking.park(big, b), 0);
    EXPECT_EQ(a.compressed, 0u);
    EXPECT_EQ(a.original, 5u);
    EXPECT_EQ(b.original, bytes.size());
    EXPECT_GT(b.compressed, 0u);
    EXPECT_EQ(b.length - b.compressed, OutputBuffer::kMemoryLimit) << "the memory part, plain";
    EXPECT_LT(b.length, OutputBuffer::kMemoryLimit + 100000) << "not compressed";
    EXPECT_EQ(parking.parked(), a.length + b.length);

    // The plain part with copy_file_to, then the rest through unpack().
    std::string back(b.length - b.compressed, '\0');
    ASSERT_EQ(::pread(parking.fd(), back.data(), back.size(), b.offset),
              static_cast<ssize_t>(back.size()));
    EXPECT_EQ(parking.unpack(b, [&](std::string_view piece) { back += piece; }), "");
    EXPECT_TRUE(back == bytes);
    std::string none;
    EXPECT_EQ(parking.unpack(a, [&](std::string_view piece) { none += piece; }), "");
    EXPECT_EQ(none, "");
    parking.release(a);
    parking.release(b);
    EXPECT_EQ(parking.parked(), 0u);
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path())) << "no name left behind";
}

}  // namespace
