// command_builder.cpp: shell or argv, plus the job's environment.
#include "command_builder.hpp"

#include "shell_quote.hpp"

namespace wgrun {

BuiltCommand CommandBuilder::build(const JobInput& input, std::uint64_t slot) const {
    BuiltCommand built;
    if (use_shell_) {
        built.display = template_.expand(input.args, input.seq, slot);
        built.request.argv = {"/bin/sh", "-c", built.display};
    } else {
        built.request.argv = template_.expand_argv(input.args, input.seq, slot);
        for (const auto& word : built.request.argv) {
            if (!built.display.empty()) built.display += ' ';
            built.display += shell_quote(word);
        }
    }
    const std::string seq = std::to_string(input.seq);
    const std::string slot_text = std::to_string(slot);
    built.request.env = {"WGRUN_SEQ=" + seq, "WGRUN_SLOT=" + slot_text, "PARALLEL_SEQ=" + seq,
                         "PARALLEL_JOBSLOT=" + slot_text};
    return built;
}

}  // namespace wgrun
