// result_wiring.cpp: the sinks and the skipper for the options given.
#include "result_wiring.hpp"

namespace wgrun::cli {

ResultWiring wire_results(const Options& /*options*/) {
    ResultWiring wiring;
    return wiring;
}

}  // namespace wgrun::cli
