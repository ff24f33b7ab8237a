// grouped_output.hpp: the default output mode: each job's stdout and stderr
// are written whole when it ends, never mixed with another job's.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "output_buffer.hpp"
#include "output_mode.hpp"

namespace wgrun {

class GroupedOutput : public OutputMode {
public:
    /// Jobs' stdout goes to `out_fd`, their stderr to `err_fd`; spill files
    /// go to `tmpdir`.
    GroupedOutput(int out_fd, int err_fd, std::string tmpdir);

    void started(const JobStart& job) override;
    void output(std::uint64_t seq, Stream stream, std::string_view bytes) override;
    std::string finished(std::uint64_t seq, const ExitStatus& status) override;
    bool stdout_closed() const override { return stdout_closed_; }

private:
    struct Captured {
        explicit Captured(const std::string& tmpdir) : out(tmpdir), err(tmpdir) {}
        OutputBuffer out;
        OutputBuffer err;
    };
    int out_fd_;
    int err_fd_;
    std::string tmpdir_;
    bool stdout_closed_ = false;
    std::unordered_map<std::uint64_t, std::unique_ptr<Captured>> jobs_;
};

}  // namespace wgrun
