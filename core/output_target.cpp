// output_target.cpp: writes to the destinations, with EPIPE on stdout
// turned into "the reader is gone".
#include "output_target.hpp"

#include <cerrno>
#include <cstring>

#include "splice_pipe.hpp"
#include "write_all.hpp"

namespace wgrun {

int OutputTarget::settle(Stream stream, int error) {
    if (error == EPIPE && stream == Stream::Out) {
        stdout_closed_.store(true, std::memory_order_relaxed);
        return 0;
    }
    return error;
}

int OutputTarget::write(Stream stream, std::string_view bytes) {
    if (dropped(stream) || bytes.empty()) return 0;
    return settle(stream, write_all(fd(stream), bytes));
}

int OutputTarget::write(Stream stream, const OutputBuffer& buffer) {
    if (dropped(stream) || buffer.size() == 0) return 0;
    return settle(stream, buffer.write_to(fd(stream)));
}

int OutputTarget::copy(Stream stream, int from, off_t offset, std::size_t length) {
    if (dropped(stream) || length == 0) return 0;
    return settle(stream, copy_file_to(fd(stream), from, offset, length));
}

ssize_t OutputTarget::splice_from(Stream stream, int from, std::size_t max) {
    bool& refused = splice_refused_[stream == Stream::Out ? 0 : 1];
    if (dropped(stream) || refused) return kCannotSplice;
    const ssize_t n = splice_pipe(from, fd(stream), max, wait_for_room_);
    if (n >= 0 || n == kDestinationFull || errno == EAGAIN) return n;
    if (splice_refused(errno)) refused = true;
    return kCannotSplice;
}

std::string output_lost(std::string_view what, int error) {
    std::string problem = "output lost: ";
    problem += what;
    problem += ": ";
    problem += std::strerror(error < 0 ? -error : error);
    return problem;
}

std::string write_lost(Stream stream, int error) {
    if (error < 0) return output_lost("cannot read the spill file", error);
    return output_lost(stream == Stream::Out ? "cannot write stdout" : "cannot write stderr",
                       error);
}

}  // namespace wgrun
