// result_wiring.cpp: the sinks and the skipper for the options given.
#include "result_wiring.hpp"

#include <unistd.h>

#include "progress_display.hpp"

namespace wgrun::cli {
namespace {

// --bar, --eta: drawn only when stderr is a terminal; stdout shares its
// screen when it is one too.
void wire_progress(const Options& options, ResultWiring& wiring) {
    if ((!options.bar && !options.eta) || ::isatty(STDERR_FILENO) == 0) return;
    std::vector<int> screen{STDERR_FILENO};
    if (::isatty(STDOUT_FILENO) != 0) screen.push_back(STDOUT_FILENO);
    auto display = std::make_unique<ProgressDisplay>(
        options.bar ? ProgressDisplay::Style::Bar : ProgressDisplay::Style::Line, STDERR_FILENO,
        std::move(screen));
    wiring.output_guard = display.get();
    wiring.sinks.push_back(std::move(display));
}

}  // namespace

ResultWiring wire_results(const Options& options) {
    ResultWiring wiring;
    wire_progress(options, wiring);
    return wiring;
}

}  // namespace wgrun::cli
