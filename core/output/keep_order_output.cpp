// keep_order_output.cpp: the head writes live, the others wait in order.
#include "output/keep_order_output.hpp"

#include <algorithm>
#include <stdexcept>

namespace wgrun {

KeepOrderOutput::KeepOrderOutput(int out_fd, int err_fd, std::string tmpdir, TagFormat tags,
                                 bool line_buffered, OutputGuard* guard)
    : shared_(out_fd, err_fd, tmpdir, line_buffered, std::move(tags), guard),
      parking_(std::move(tmpdir)) {}

void KeepOrderOutput::started(const JobStart& job) {
    if (!waiting_.empty() && job.seq != waiting_.back().last + 1) {
        throw std::logic_error("keep-order output: job " + std::to_string(job.seq) +
                               " started out of order");
    }
    Entry entry;
    entry.seq = entry.last = job.seq;
    entry.streams = std::make_unique<JobStreams>(job, shared_, waiting_.empty());
    waiting_.push_back(std::move(entry));
}

void KeepOrderOutput::skipped(std::uint64_t seq) {
    if (waiting_.empty()) return;
    Entry& back = waiting_.back();
    if (seq != back.last + 1) {
        throw std::logic_error("keep-order output: job " + std::to_string(seq) +
                               " skipped out of order");
    }
    if (back.skipped) {  // one more in a row
        back.last = seq;
        return;
    }
    Entry entry;
    entry.seq = entry.last = seq;
    entry.skipped = true;
    entry.finished = true;
    waiting_.push_back(std::move(entry));
}

// Job `seq` is at seq - the head's when no run of skipped jobs lies between
// them; else it is looked for (the entries are in order).
KeepOrderOutput::Entry& KeepOrderOutput::entry(std::uint64_t seq) {
    if (waiting_.empty() || seq < waiting_.front().seq) {
        throw std::out_of_range("keep-order output: no job " + std::to_string(seq));
    }
    const std::uint64_t offset = seq - waiting_.front().seq;
    Entry* found = offset < waiting_.size() && waiting_[offset].seq == seq ? &waiting_[offset]
                                                                             : nullptr;
    if (found == nullptr) {
        const auto it = std::partition_point(waiting_.begin(), waiting_.end(),
                                             [seq](const Entry& e) { return e.last < seq; });
        if (it == waiting_.end() || it->seq != seq || it->skipped) {
            throw std::out_of_range("keep-order output: no job " + std::to_string(seq));
        }
        found = &*it;
    }
    Entry& e = *found;
    if (e.streams == nullptr) {
        throw std::out_of_range("keep-order output: job " + std::to_string(seq) + " finished");
    }
    return e;
}

void KeepOrderOutput::output(std::uint64_t seq, Stream stream, std::string_view bytes) {
    entry(seq).streams->add(stream, bytes);
}

ssize_t KeepOrderOutput::splice_from(std::uint64_t seq, Stream stream, int fd) {
    return entry(seq).streams->splice_from(stream, fd);
}

std::string KeepOrderOutput::finished(std::uint64_t seq, const ExitStatus&) {
    Entry& e = entry(seq);
    if (e.finished) throw std::out_of_range("keep-order output: job finished twice");
    e.streams->end();
    std::string problem = e.streams->problem();
    if (&e != &waiting_.front()) {
        e.finished = true;
        if (kept_finished_ >= kKeptFinished) park(e);
        if (e.streams != nullptr) ++kept_finished_;
        return problem;
    }
    waiting_.pop_front();  // the head: all its bytes are out
    std::string later = advance();
    if (problem.empty()) problem = std::move(later);
    return problem;
}

void KeepOrderOutput::park(Entry& e) {
    ParkingFile::Extent out;
    ParkingFile::Extent err;
    if (const OutputBuffer* b = e.streams->captured(Stream::Out)) {
        if (parking_.park(*b, out) != 0) return;  // keep the buffers instead
    }
    if (const OutputBuffer* b = e.streams->captured(Stream::Err)) {
        if (parking_.park(*b, err) != 0) {
            parking_.release(out);
            return;
        }
    }
    e.out = out;
    e.err = err;
    e.streams.reset();  // its memory and spill files
}

std::string KeepOrderOutput::write_parked(const Entry& e) {
    std::string problem;
    for (const Stream stream : {Stream::Out, Stream::Err}) {
        const ParkingFile::Extent& extent = stream == Stream::Out ? e.out : e.err;
        int error = 0;
        std::string unpacked;  // a decompress program's failure
        {
            const LedgerWrite counted(shared_.ledger, e.seq, extent.original);
            error = shared_.target.copy(stream, parking_.fd(), extent.offset,
                                        extent.length - extent.compressed);
            if (error == 0 && extent.compressed > 0) {
                unpacked = parking_.unpack(extent, [&](std::string_view piece) {
                    if (error == 0) error = shared_.target.write(stream, piece);
                });
            }
        }
        parking_.release(extent);
        const std::string job = "job " + std::to_string(e.seq) + ": ";
        if (error == 0 && !unpacked.empty() && problem.empty()) {
            problem = "output lost: " + job + unpacked;
        }
        if (error != 0 && problem.empty()) {
            problem = output_lost(job + (error < 0 ? "cannot read the parking file"
                                         : stream == Stream::Out ? "cannot write stdout"
                                                                 : "cannot write stderr"),
                                  error);
        }
    }
    if (shared_.ledger != nullptr) shared_.ledger->done(e.seq);
    return problem;
}

std::string KeepOrderOutput::advance() {
    std::string problem;
    while (!waiting_.empty() && waiting_.front().finished) {
        Entry& e = waiting_.front();
        std::string lost;
        if (e.skipped) {
            waiting_.pop_front();
            continue;
        }
        if (e.streams == nullptr) {
            lost = write_parked(e);
        } else {  // not parked: write its buffers
            --kept_finished_;
            const std::string before = e.streams->problem();
            e.streams->go_live();
            if (e.streams->problem() != before) {
                lost = e.streams->problem();
                lost.insert(lost.find(": ") + 2, "job " + std::to_string(e.seq) + ": ");
            }
        }
        if (problem.empty()) problem = std::move(lost);
        waiting_.pop_front();
    }
    if (!waiting_.empty()) waiting_.front().streams->go_live();  // the new head
    return problem;
}

}  // namespace wgrun
