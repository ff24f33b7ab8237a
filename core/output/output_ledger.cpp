// output_ledger.cpp: a map under a mutex, and FIONREAD for the pipes.
#include "output/output_ledger.hpp"

#include <sys/ioctl.h>

#include <algorithm>
#include <atomic>

namespace wgrun {
namespace {

thread_local LedgerWrite* current = nullptr;  // the innermost on this thread
std::atomic<std::uint64_t> total_out{0};

}  // namespace

void OutputLedger::held(std::uint64_t seq, std::uint64_t bytes) {
    if (bytes == 0) return;
    std::lock_guard lock(mutex_);
    held_[seq] += bytes;
}

void OutputLedger::released(std::uint64_t seq, std::uint64_t bytes) {
    if (bytes == 0) return;
    std::lock_guard lock(mutex_);
    const auto it = held_.find(seq);
    if (it == held_.end()) return;
    it->second -= std::min(it->second, bytes);
    if (it->second == 0) held_.erase(it);
}

void OutputLedger::done(std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    held_.erase(seq);
}

void OutputLedger::pipe_opened(std::uint64_t seq, int fd) {
    std::lock_guard lock(mutex_);
    pipes_[fd] = seq;
}

void OutputLedger::pipe_closing(int fd) {
    std::lock_guard lock(mutex_);
    pipes_.erase(fd);
}

std::vector<OutputLedger::Pending> OutputLedger::pending() const {
    std::lock_guard lock(mutex_);
    std::map<std::uint64_t, std::uint64_t> all = held_;
    for (const auto& [fd, seq] : pipes_) {
        int unread = 0;
        if (::ioctl(fd, FIONREAD, &unread) == 0 && unread > 0) {
            all[seq] += static_cast<std::uint64_t>(unread);
        }
    }
    std::vector<Pending> out;
    for (const auto& [seq, bytes] : all) {
        if (bytes > 0) out.push_back({seq, bytes});
    }
    return out;
}

LedgerWrite::LedgerWrite(OutputLedger* ledger, std::uint64_t seq, std::uint64_t bytes)
    : ledger_(ledger), seq_(seq), bytes_(bytes) {
    if (ledger_ == nullptr) return;
    previous_ = current;
    current = this;
}

LedgerWrite::~LedgerWrite() {
    if (ledger_ == nullptr) return;
    current = static_cast<LedgerWrite*>(previous_);
    if (written_ < bytes_) ledger_->released(seq_, bytes_ - written_);
}

std::uint64_t bytes_out() { return total_out.load(std::memory_order_relaxed); }

void note_written(std::size_t bytes) {
    total_out.fetch_add(bytes, std::memory_order_relaxed);
    LedgerWrite* write = current;
    if (write == nullptr || bytes == 0) return;
    const std::uint64_t counted = std::min<std::uint64_t>(bytes, write->bytes_ - write->written_);
    write->written_ += counted;
    write->ledger_->released(write->seq_, counted);
}

}  // namespace wgrun
