// parking_file_test.cpp: ParkingFile keeps buffers' bytes (memory and spill
// file alike) at extents that read back exactly, and empties itself when
// nothing is parked any more.
#include "output/parking_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "support/output_test_support.hpp"
#include "base/write_all.hpp"

namespace {

using wgrun::OutputBuffer;
using wgrun::ParkingFile;
using wgrun::test::Files;

std::string read_extent(int fd, const ParkingFile::Extent& extent) {
    std::string bytes(extent.length, '\0');
    const ssize_t n = ::pread(fd, bytes.data(), bytes.size(), extent.offset);
    return n == static_cast<ssize_t>(bytes.size()) ? bytes : "<short read>";
}

off_t file_size(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? st.st_size : -1;
}

TEST(ParkingFile, ParksAndEmptiesItself) {
    Files files;
    ParkingFile parking(files.spill.path());
    EXPECT_EQ(parking.fd(), -1);

    OutputBuffer empty(files.spill.path());
    ParkingFile::Extent none;
    EXPECT_EQ(parking.park(empty, none), 0);
    EXPECT_EQ(none.length, 0u);

    OutputBuffer small(files.spill.path());
    small.append("small bytes");
    OutputBuffer big(files.spill.path());
    const std::string big_bytes = wgrun::test::random_bytes(OutputBuffer::kMemoryLimit * 2 + 3, 5);
    big.append(big_bytes);

    ParkingFile::Extent a;
    ParkingFile::Extent b;
    ASSERT_EQ(parking.park(small, a), 0);
    ASSERT_EQ(parking.park(big, b), 0);
    ASSERT_GE(parking.fd(), 0);
    EXPECT_EQ(a.offset, 0);
    EXPECT_EQ(b.offset, static_cast<off_t>(a.length));
    EXPECT_EQ(read_extent(parking.fd(), a), "small bytes");
    EXPECT_TRUE(read_extent(parking.fd(), b) == big_bytes);
    EXPECT_EQ(parking.parked(), a.length + b.length);

    // copy_file_to reads it back to any fd.
    EXPECT_EQ(wgrun::copy_file_to(files.out.get(), parking.fd(), b.offset, b.length), 0);
    EXPECT_TRUE(files.out_text() == big_bytes);

    parking.release(b);
    EXPECT_EQ(read_extent(parking.fd(), a), "small bytes") << "a hole punched in b only";
    parking.release(a);
    EXPECT_EQ(parking.parked(), 0u);
    EXPECT_EQ(file_size(parking.fd()), 0);

    ParkingFile::Extent c;
    ASSERT_EQ(parking.park(small, c), 0);
    EXPECT_EQ(c.offset, 0) << "starts over";
    EXPECT_EQ(read_extent(parking.fd(), c), "small bytes");
    EXPECT_TRUE(std::filesystem::is_empty(files.spill.path())) << "no name left behind";
}

TEST(ParkingFile, ANoDirectoryIsAnError) {
    Files files;
    ParkingFile parking(files.spill.path() + "/missing");
    OutputBuffer small(files.spill.path());
    small.append("x");
    ParkingFile::Extent extent;
    EXPECT_NE(parking.park(small, extent), 0);
    EXPECT_EQ(parking.parked(), 0u);
}

}  // namespace
