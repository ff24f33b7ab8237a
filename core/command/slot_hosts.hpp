// slot_hosts.hpp: which host a job slot runs its jobs on, for GNU's --plus
// strings {host} and {sshlogin} (a slot's host never changes: each host
// owns its slot numbers, schedule/host_slots.hpp). Set by the wiring once
// the hosts are known, before the first job's command is made; read as
// commands and tags are made, on the loop's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace wgrun {

struct SlotHost {
    std::string login = ":";  // as written, without N/ ({sshlogin}); ":" for this machine
    std::string host = ":";   // its host alone ({host})
};

class SlotHosts {
public:
    using Lookup = std::function<SlotHost(std::uint64_t slot)>;
    void set(Lookup lookup) { lookup_ = std::move(lookup); }
    /// The slot's host; ":" (this machine) without hosts.
    SlotHost of(std::uint64_t slot) const { return lookup_ ? lookup_(slot) : SlotHost{}; }

private:
    Lookup lookup_;
};

}  // namespace wgrun
