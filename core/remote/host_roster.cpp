// host_roster.cpp: --slf files read again as they change.
#include "remote/host_roster.hpp"

#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace wgrun {
namespace {

using namespace std::chrono_literals;

constexpr auto kLookEvery = 500ms;

bool has(const std::vector<SshLogin>& logins, const std::string& name) {
    return std::any_of(logins.begin(), logins.end(),
                       [&](const SshLogin& login) { return login.name() == name; });
}

}  // namespace

HostRoster::HostRoster(HostSlots& slots, SshMasters& masters, SshExecutor& executor,
                       std::vector<SshLogin> fixed, std::vector<std::string> files,
                       std::vector<SshLogin> named, SlotsFor slots_for, Notice notice)
    : slots_(slots),
      masters_(masters),
      executor_(executor),
      fixed_(std::move(fixed)),
      files_(std::move(files)),
      wanted_(std::move(named)),
      slots_for_(std::move(slots_for)),
      notice_(std::move(notice)) {
    for (const std::string& file : files_) stamps_.push_back(stamp_of(file));
    bad_.resize(files_.size());
    for (const std::string& name : slots_.usable()) in_slots_.insert(name);
    timer_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (timer_) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(kLookEvery).count();
        itimerspec every{};
        every.it_interval.tv_sec = ns / 1000000000;
        every.it_interval.tv_nsec = ns % 1000000000;
        every.it_value = every.it_interval;
        ::timerfd_settime(timer_.get(), 0, &every, nullptr);
    }
}

HostRoster::Stamp HostRoster::stamp_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return Stamp{st.st_dev, st.st_ino, st.st_size,
                 static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::optional<std::uint64_t> HostRoster::acquire() {
    refresh();
    return slots_.acquire();
}

void HostRoster::refresh() {
    if (timer_) {
        std::uint64_t expirations = 0;
        [[maybe_unused]] const ssize_t ignored = ::read(timer_.get(), &expirations, sizeof expirations);
    }
    const auto now = std::chrono::steady_clock::now();
    if (now < next_look_) return;
    next_look_ = now + kLookEvery;
    bool changed = false;
    for (std::size_t i = 0; i < files_.size(); ++i) {
        const Stamp stamp = stamp_of(files_[i]);
        if (stamp == stamps_[i]) continue;
        stamps_[i] = stamp;
        changed = true;
    }
    if (changed) reread();
    if (!connecting_.empty()) take_started();
}

void HostRoster::reread() {
    std::vector<SshLogin> logins = fixed_;
    for (std::size_t i = 0; i < files_.size(); ++i) {
        std::ifstream in(files_[i], std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        try {
            if (!in) throw LoginError("cannot be read");
            for (SshLogin& login : parse_login_file(text.str())) logins.push_back(std::move(login));
            bad_[i].clear();
        } catch (const LoginError& e) {
            // Half-written, or a typo: keep the hosts as they were, and say
            // so once for this content.
            if (bad_[i] != e.what()) {
                bad_[i] = e.what();
                if (notice_) {
                    notice_("wgrun: --slf " + files_[i] + ": " + e.what() +
                            "; the hosts stay as they were\n");
                }
            }
            return;
        }
    }
    std::vector<SshLogin> wanted;
    for (SshLogin& login : logins) {
        if (!has(wanted, login.name())) wanted.push_back(std::move(login));
    }
    for (const std::string& name : slots_.usable()) {
        if (has(wanted, name)) continue;
        slots_.remove(name);
        if (notice_) notice_("wgrun: --slf: host " + name + " removed: no new jobs there\n");
    }
    for (const SshLogin& login : wanted) {
        const std::string name = login.name();
        if (has(wanted_, name) && in_slots_.contains(name)) {
            // Named before and still: back in use if an edit had removed it
            // (not if it failed: slots_ keeps it left out then).
            continue;
        }
        if (connecting_.contains(name)) continue;
        if (login.local() || (in_slots_.contains(name) && masters_.alive(name, 0ms))) {
            const std::uint64_t slots = slots_for_(login);
            masters_.widen(login, slots, false);
            slots_.add({name, slots});
            in_slots_.insert(name);
            executor_.add_login(login);
            if (notice_) notice_("wgrun: --slf: host " + name + " added\n");
            continue;
        }
        masters_.launch(login);
        connecting_.insert(name);
    }
    wanted_ = std::move(wanted);
}

void HostRoster::take_started() {
    for (const auto& [name, error] : masters_.started()) {
        connecting_.erase(name);
        const auto login = std::find_if(wanted_.begin(), wanted_.end(),
                                        [&](const SshLogin& l) { return l.name() == name; });
        if (login == wanted_.end()) continue;  // removed again meanwhile
        if (!error.empty()) {
            if (notice_) notice_("wgrun: --slf: host " + name + " cannot be logged in to: " + error + "\n");
            continue;
        }
        if (prepare_) {
            if (const std::string why = prepare_(*login); !why.empty()) {
                if (notice_) notice_("wgrun: --slf: host " + name + " " + why + "; not used\n");
                continue;
            }
        }
        const std::uint64_t slots = slots_for_(*login);
        masters_.widen(*login, slots, false);
        slots_.add({name, slots});
        in_slots_.insert(name);
        executor_.add_login(*login);
        if (notice_) {
            notice_("wgrun: --slf: host " + name + " added (" + std::to_string(slots) + " slot" +
                    (slots == 1 ? "" : "s") + ")\n");
        }
    }
}

bool HostRoster::exhausted() const {
    // A host named now and not failed is in use, or being connected; with
    // none named, the run waits for a file to name some.
    if (!connecting_.empty() || wanted_.empty()) return false;
    return slots_.exhausted();
}

}  // namespace wgrun
