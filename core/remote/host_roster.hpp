// host_roster.hpp: the hosts of a run that change while it runs: --slf files
// are read again when they change (mtime, size or inode), at most twice a
// second, as the loop asks for a slot. A host gone from the files gets no new
// jobs (its running ones finish); a host added gets its connection opened
// (without blocking the loop) and its slots once it is up. A SlotPool over
// the HostSlots, for the policy.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/unique_fd.hpp"
#include "remote/ssh_executor.hpp"
#include "remote/ssh_login.hpp"
#include "remote/ssh_masters.hpp"
#include "schedule/host_slots.hpp"

namespace wgrun {

class HostRoster : public SlotPool {
public:
    /// A host's job slots once it is up (N/, -j, or its CPU count asked
    /// through `masters`).
    using SlotsFor = std::function<std::uint64_t(const SshLogin&)>;
    using Notice = std::function<void(const std::string& line)>;

    /// `fixed`: the logins of -S, always there; `files`: the --slf files;
    /// `named`: every login -S and the files named at the start (those up
    /// are in `slots` already; an edit of a file tries the others again).
    HostRoster(HostSlots& slots, SshMasters& masters, SshExecutor& executor,
               std::vector<SshLogin> fixed, std::vector<std::string> files,
               std::vector<SshLogin> named, SlotsFor slots_for, Notice notice);

    std::optional<std::uint64_t> acquire() override;
    void release(std::uint64_t slot) override { slots_.release(slot); }
    std::string host(std::uint64_t slot) const override { return slots_.host(slot); }
    bool host_failed(std::uint64_t slot, const ExitStatus& status) override {
        return slots_.host_failed(slot, status);
    }
    /// Only when every host the files and -S name now has failed (or could
    /// not be logged in to) and none is being connected: a file emptied on
    /// purpose waits for new hosts.
    bool exhausted() const override;
    /// A timer, twice a second: the files are looked at while starts wait.
    int ready_fd() const override { return timer_.get(); }

    /// Looks at the files and at the connections being opened now.
    void refresh();

    /// What a host whose connection has just been opened needs before its
    /// first job (--basefile's files): empty when done, else why not (the
    /// host is then not used). Runs on the loop's thread and may wait.
    using Prepare = std::function<std::string(const SshLogin&)>;
    void set_prepare(Prepare prepare) { prepare_ = std::move(prepare); }

private:
    struct Stamp {
        dev_t dev = 0;
        ino_t ino = 0;
        off_t size = -1;
        std::int64_t mtime_ns = -1;
        bool operator==(const Stamp&) const = default;
    };
    static Stamp stamp_of(const std::string& path);
    void reread();
    void take_started();

    HostSlots& slots_;
    SshMasters& masters_;
    SshExecutor& executor_;
    std::vector<SshLogin> fixed_;
    std::vector<std::string> files_;
    std::vector<Stamp> stamps_;
    std::vector<std::string> bad_;         // the files' last warned-about content errors
    std::vector<SshLogin> wanted_;         // the logins named now
    std::set<std::string> connecting_;     // names whose master is being opened
    std::set<std::string> in_slots_;       // names given to slots_ (usable or not)
    SlotsFor slots_for_;
    Notice notice_;
    Prepare prepare_;
    UniqueFd timer_;
    std::chrono::steady_clock::time_point next_look_{};
};

}  // namespace wgrun
