// result_wiring.cpp: the sinks and the skipper for the options given.
#include "result_wiring.hpp"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "json_lines_sink.hpp"
#include "junit_sink.hpp"

namespace wgrun::cli {
namespace {

// --json FILE|- and --junit FILE.
void wire_formats(const Options& options, ResultWiring& wiring) {
    try {
        if (options.json == "-") {
            wiring.sinks.push_back(std::make_unique<JsonLinesSink>(STDOUT_FILENO, false, "--json -"));
        } else if (!options.json.empty()) {
            wiring.sinks.push_back(JsonLinesSink::create(options.json, "--json " + options.json));
        }
        if (!options.junit.empty()) {
            wiring.sinks.push_back(
                std::make_unique<JunitSink>(options.junit, "--junit " + options.junit));
            wiring.keep_tail = std::max(wiring.keep_tail, JunitSink::kTailBytes);
        }
    } catch (const std::runtime_error& e) {
        throw UsageError(e.what());
    }
}

}  // namespace

ResultWiring wire_results(const Options& options) {
    ResultWiring wiring;
    wire_formats(options, wiring);
    return wiring;
}

}  // namespace wgrun::cli
