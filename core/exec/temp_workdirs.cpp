// temp_workdirs.cpp: the folders of --workdir ..., made and removed.
#include "exec/temp_workdirs.hpp"

#include <stdlib.h>

#include <filesystem>
#include <system_error>
#include <vector>

namespace wgrun {

TempWorkdirs::TempWorkdirs(const std::string& temp_dir) {
    std::string pattern = temp_dir + "/wgrun-wd.XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (::mkdtemp(name.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "--workdir ...: " + pattern);
    }
    root_ = name.data();
}

TempWorkdirs::~TempWorkdirs() { remove_all(); }

void TempWorkdirs::job_ended(const JobResult& result) {
    std::error_code ignored;
    std::filesystem::remove_all(folder(result.seq), ignored);
}

void TempWorkdirs::finish(const RunSummary& /*summary*/) { remove_all(); }

void TempWorkdirs::remove_all() noexcept {
    if (root_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
}

}  // namespace wgrun
