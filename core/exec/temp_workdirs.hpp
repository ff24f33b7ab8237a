// temp_workdirs.hpp: --workdir ...: each job starts in a fresh folder of its
// own, removed when the job ends, and whatever is left when the run ends.
#pragma once

#include <cstdint>
#include <string>

#include "results/result_sink.hpp"

namespace wgrun {

/// The folder TEMP/wgrun-wd.XXXXXX, made at construction (mode 0700); job
/// N's folder is ROOT/N (made by the spawner: SpawnRequest::make_workdir).
/// As a result sink it removes a job's folder once the job has ended (after
/// its last attempt), and the whole root at finish(), which every end of a
/// run calls (a failure, SIGINT, SIGTERM, a give-up), and at destruction.
/// Removal never follows a symbolic link out of the folder.
class TempWorkdirs : public ResultSink {
public:
    /// Throws std::system_error when the root cannot be made.
    explicit TempWorkdirs(const std::string& temp_dir);
    ~TempWorkdirs() override;
    TempWorkdirs(const TempWorkdirs&) = delete;
    TempWorkdirs& operator=(const TempWorkdirs&) = delete;

    const std::string& root() const { return root_; }
    std::string folder(std::uint64_t seq) const { return root_ + "/" + std::to_string(seq); }

    void job_ended(const JobResult& result) override;
    void finish(const RunSummary& summary) override;

    /// Removes everything now (idempotent).
    void remove_all() noexcept;

private:
    std::string root_;
};

}  // namespace wgrun
