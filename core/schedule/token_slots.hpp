// token_slots.hpp: job slots from make's jobserver, as make itself takes
// them: the first running job is on wgrun's implicit slot, and each further
// one holds a token read from the jobserver. When a job ends, a token goes
// back at once if wgrun holds more than the running jobs need, so wgrun never
// sits on a token while another client waits. A cap (-j N, -j FILE,
// SIGUSR1/SIGUSR2) limits the total, implicit slot included.
//
// Every token goes back: as jobs end, and in return_all() (the run given up,
// an exception) and the destructor, whatever ended the run.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "schedule/jobserver.hpp"
#include "schedule/slot_pool.hpp"

namespace wgrun {

class TokenSlots : public SlotPool {
public:
    /// `cap`: the count over the slots (LocalSlots: its limit, 0 for none).
    /// `pool_size`: when wgrun serves the jobserver itself, the tokens the
    /// pool holds beside wgrun's running jobs (-j N less 1). Whenever no job
    /// runs, the pipe is brought back to exactly that many, so that a job
    /// that exited holding tokens (or wrote more than it took) does not
    /// change the pool for the rest of the run. Nothing for a joined
    /// jobserver, never topped up (its owner counts).
    TokenSlots(Jobserver& jobserver, LocalSlots& cap,
               std::optional<std::uint64_t> pool_size = std::nullopt);
    ~TokenSlots() override;
    TokenSlots(const TokenSlots&) = delete;
    TokenSlots& operator=(const TokenSlots&) = delete;

    std::optional<std::uint64_t> acquire() override;
    void release(std::uint64_t slot) override;
    /// The jobserver's fd, while the last refusal was for want of a token
    /// (not of the cap: that only a job's end lifts).
    int ready_fd() const override;
    void adjust_limit(int delta) override;
    void settle() override;

    /// Gives back every token held. Thread-safe (the run given up from
    /// another thread while the loop is stuck); later releases give nothing.
    void return_all();

    /// Tokens held now (for tests and the closing report).
    std::uint64_t tokens_held() const;

private:
    void top_up();

    mutable std::mutex mutex_;
    Jobserver& jobserver_;
    LocalSlots& cap_;
    std::optional<std::uint64_t> pool_size_;
    std::uint64_t running_ = 0;
    std::vector<unsigned char> tokens_;  // held: running_ - 1 of them after settle()
    bool waiting_for_token_ = false;
    bool returned_ = false;  // return_all() was called
};

}  // namespace wgrun
