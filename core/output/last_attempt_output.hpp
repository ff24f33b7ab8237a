// last_attempt_output.hpp: --retries N with grouped output (with or without
// -k): only a job's last attempt's output is written, as GNU parallel does;
// the output of the attempts that are retried is dropped and counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "output/output_buffer.hpp"
#include "output/output_decorator.hpp"

namespace wgrun {

/// The outermost decorator when attempts may be retried: holds each job's
/// bytes of the current attempt (OutputBuffer: in memory up to its limit,
/// then in a spill file in `tmpdir`) instead of passing them on. retrying()
/// drops them and returns how many there were; finished() passes the last
/// attempt's bytes on (all of stdout, then all of stderr, as grouped output
/// writes them anyway), then the finished() itself. So the modes and
/// decorators inside (--results, --files, --ci github) see only the last
/// attempt. The cost: a job's output under --retries is held once more, and
/// -k's oldest job no longer writes while it runs.
class LastAttemptOutput : public OutputDecorator {
public:
    /// With a `compression` (--compress), what an attempt holds past memory
    /// is kept compressed.
    LastAttemptOutput(std::unique_ptr<OutputMode> inner, std::string tmpdir,
                      std::shared_ptr<const Compression> compression = nullptr);

    void started(const JobStart& job) override;
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    ssize_t splice_from(std::uint64_t, Stream, int) override { return kCannotSplice; }
    std::uint64_t retrying(std::uint64_t seq) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;

private:
    struct Held {
        Held(const std::string& tmpdir, const std::shared_ptr<const Compression>& compression)
            : out(tmpdir, compression), err(tmpdir, compression) {}
        OutputBuffer out;
        OutputBuffer err;
    };
    std::string tmpdir_;
    std::shared_ptr<const Compression> compression_;
    std::unordered_map<std::uint64_t, std::unique_ptr<Held>> jobs_;
};

}  // namespace wgrun
