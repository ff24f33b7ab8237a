// slots_wiring.cpp: -j N or FILE, the jobserver joined or served, and the
// machine gate, put together for the scheduler.
#include "slots_wiring.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/printable.hpp"
#include "schedule/jobs_limit.hpp"
#include "schedule/jobserver_auth.hpp"

namespace wgrun::cli {
namespace {

// -j's value: a -j spec, else a file holding one (GNU's procfile).
bool is_procfile(const std::string& jobs) {
    if (jobs.empty()) return false;
    try {
        parse_jobs(jobs, 1);
        return false;
    } catch (const JobsError&) {
        return true;  // the option's check let it through: a file
    }
}

// The file's -j value; its surrounding blanks and newlines do not count.
std::uint64_t read_procfile(const std::string& path, unsigned cpus) {
    std::ifstream in(path);
    if (!in) {
        throw UsageError(fmt::format("-j {}: {}", printable(path), std::strerror(errno)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string value = text.str();
    const auto first = value.find_first_not_of(" \t\r\n");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    try {
        return parse_jobs(value, cpus);
    } catch (const JobsError& e) {
        throw UsageError(fmt::format("-j {}: {}", printable(path), e.what()));
    }
}

// The limit as each job ends: the file's value, or the current one kept
// (with a warning, once per content) when the file cannot be read or holds
// no -j value.
LocalSlots::Reread procfile_reader(std::string path, unsigned cpus) {
    return [path = std::move(path), cpus,
            last_error = std::string()]() mutable -> std::optional<std::uint64_t> {
        try {
            const std::uint64_t limit = read_procfile(path, cpus);
            last_error.clear();
            return limit;
        } catch (const UsageError& e) {
            if (e.what() != last_error) {
                last_error = e.what();
                fmt::print(stderr, "wgrun: {}; keeping the limit as it was\n", last_error);
            }
            return std::nullopt;
        }
    };
}

void warn_no_jobserver(const std::string& cause, const Options& options, std::uint64_t fallback) {
    fmt::print(stderr, "wgrun: jobserver: {}; running up to {} jobs at once ({})\n", cause,
               fallback, options.jobs.empty() ? "the CPU count" : "-j");
}

}  // namespace

std::uint64_t jobs_at_start(const Options& options, unsigned cpus) {
    if (options.jobs.empty()) return cpus;
    if (is_procfile(options.jobs)) return read_procfile(options.jobs, cpus);
    return parse_jobs(options.jobs, cpus);
}

SlotsWiring wire_slots(const Options& options, unsigned cpus, std::uint64_t jobs,
                       const std::vector<int>& inherited) {
    SlotsWiring slots;
    const char* makeflags = std::getenv("MAKEFLAGS");
    const JobserverAuth auth = parse_makeflags(makeflags != nullptr ? makeflags : "");
    // Joined, -j (given) caps wgrun's share; without -j the tokens alone
    // decide. Make's -j is not wgrun's: its recipes' jobs count against it.
    std::uint64_t limit = jobs;
    if (auth.kind != JobserverAuth::Kind::None) {
        try {
            slots.jobserver = std::make_unique<Jobserver>(Jobserver::join(auth, inherited));
            if (options.jobs.empty()) limit = 0;
        } catch (const JobserverError& e) {
            warn_no_jobserver(e.what(), options, jobs);
        }
    }
    // --jobserver: a pool of wgrun's own, unless one was joined (the jobs
    // share that one); one named but unusable is replaced in MAKEFLAGS.
    if (options.jobserver && !slots.jobserver) {
        if (jobs == 0) {
            throw UsageError("--jobserver needs a limit to serve: give -j N with N above 0");
        }
        try {
            slots.jobserver = std::make_unique<Jobserver>(Jobserver::serve(jobs - 1));
        } catch (const JobserverError& e) {
            throw UsageError(std::string("--jobserver: ") + e.what());
        }
        const int read_end = slots.jobserver->read_end();
        const int write_end = slots.jobserver->write_end();
        const std::string flags =
            serving_makeflags(makeflags != nullptr ? makeflags : "", jobs, read_end, write_end);
        ::setenv("MAKEFLAGS", flags.c_str(), 1);
        slots.pass_on = {read_end, write_end};
    }
    LocalSlots::Reread reread;
    if (is_procfile(options.jobs)) reread = procfile_reader(options.jobs, cpus);
    slots.local = std::make_unique<LocalSlots>(limit, std::move(reread));
    if (slots.jobserver) {
        std::optional<std::uint64_t> pool;
        if (!slots.pass_on.empty()) pool = jobs - 1;  // served: topped up
        slots.tokens = std::make_unique<TokenSlots>(*slots.jobserver, *slots.local, pool);
    }
    MachineLimits limits;
    if (!options.load.empty()) limits.load = parse_load(options.load, cpus);
    if (!options.memfree.empty()) limits.memfree = parse_size(options.memfree);
    if (limits.any()) {
        slots.gauge = std::make_unique<ProcGauge>();
        slots.gate = std::make_unique<MachineGate>(
            limits, *slots.gauge, [](const std::string& warning) { fmt::print(stderr, "{}", warning); });
    }
    return slots;
}

}  // namespace wgrun::cli
