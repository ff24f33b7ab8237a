// output_target.cpp: writes to the destinations, with EPIPE on stdout
// turned into "the reader is gone".
#include "output/output_target.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "output/splice_pipe.hpp"
#include "base/write_all.hpp"

namespace wgrun {
namespace {

// Tells the guard, if any, around one write to `fd`: before_write() now,
// after_write() with the last byte when the scope ends.
class Guarded {
public:
    Guarded(OutputGuard* guard, int fd) : guard_(guard), fd_(fd) {
        if (guard_ != nullptr) guard_->before_write(fd_);
    }
    ~Guarded() {
        if (guard_ != nullptr) guard_->after_write(fd_, last_);
    }
    Guarded(const Guarded&) = delete;
    Guarded& operator=(const Guarded&) = delete;

    bool active() const { return guard_ != nullptr; }
    // The write succeeded and its last byte was `last` (kNothingWritten: unknown).
    void wrote(int last) { last_ = last; }

private:
    OutputGuard* guard_;
    int fd_;
    int last_ = OutputGuard::kNothingWritten;
};

}  // namespace

OutputGuard* OutputTarget::guard_for(Stream stream) const {
    return guard_ != nullptr && guard_->guards(fd(stream)) ? guard_ : nullptr;
}

int OutputTarget::settle(Stream stream, int error) {
    if (error == EPIPE && stream == Stream::Out) {
        stdout_closed_.store(true, std::memory_order_relaxed);
        return 0;
    }
    return error;
}

int OutputTarget::write(Stream stream, std::string_view bytes) {
    if (dropped(stream) || bytes.empty()) return 0;
    Guarded guarded(guard_for(stream), fd(stream));
    const int error = write_all(fd(stream), bytes);
    if (error == 0) guarded.wrote(static_cast<unsigned char>(bytes.back()));
    return settle(stream, error);
}

int OutputTarget::write(Stream stream, const OutputBuffer& buffer) {
    if (dropped(stream) || buffer.size() == 0) return 0;
    Guarded guarded(guard_for(stream), fd(stream));
    const int error = buffer.write_to(fd(stream));
    if (error == 0 && guarded.active()) guarded.wrote(buffer.last_byte());
    return settle(stream, error);
}

int OutputTarget::copy(Stream stream, int from, off_t offset, std::size_t length) {
    if (dropped(stream) || length == 0) return 0;
    Guarded guarded(guard_for(stream), fd(stream));
    const int error = copy_file_to(fd(stream), from, offset, length);
    if (error == 0 && guarded.active()) {
        unsigned char last = 0;
        const off_t at = offset + static_cast<off_t>(length) - 1;
        if (::pread(from, &last, 1, at) == 1) guarded.wrote(last);
    }
    return settle(stream, error);
}

ssize_t OutputTarget::splice_from(Stream stream, int from, std::size_t max) {
    bool& refused = splice_refused_[stream == Stream::Out ? 0 : 1];
    if (dropped(stream) || refused) return kCannotSplice;
    // A guarded destination must see its bytes (a terminal refuses splice(2)
    // anyway on older kernels): they are read and written instead.
    if (guard_for(stream) != nullptr) return kCannotSplice;
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
