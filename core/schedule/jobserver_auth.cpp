// jobserver_auth.cpp: MAKEFLAGS read as make reads it, word by word.
#include "schedule/jobserver_auth.hpp"

#include <charconv>
#include <vector>

namespace wgrun {
namespace {

// MAKEFLAGS' options part and its variables part (after " -- ", if any).
std::pair<std::string_view, std::string_view> split_variables(std::string_view flags) {
    if (flags.starts_with("-- ")) return {std::string_view(), flags.substr(3)};
    const std::size_t at = flags.find(" -- ");
    if (at == std::string_view::npos) return {flags, std::string_view()};
    return {flags.substr(0, at), flags.substr(at + 4)};
}

// Words split at blanks; make escapes a blank inside a word with a backslash.
std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
            if (text[i] == '\\' && i + 1 < text.size()) ++i;
            ++i;
        }
        if (i > start) words.push_back(text.substr(start, i - start));
    }
    return words;
}

bool parse_fd(std::string_view text, int& fd) {
    if (text.empty()) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
    return error == std::errc() && end == text.data() + text.size() && fd >= 0;
}

JobserverAuth parse_value(std::string_view value) {
    JobserverAuth auth;
    auth.text = std::string(value);
    if (value.starts_with("fifo:")) {
        auth.path = std::string(value.substr(5));
        auth.kind = auth.path.empty() ? JobserverAuth::Kind::Bad : JobserverAuth::Kind::Fifo;
        return auth;
    }
    const std::size_t comma = value.find(',');
    if (comma != std::string_view::npos && parse_fd(value.substr(0, comma), auth.read_fd) &&
        parse_fd(value.substr(comma + 1), auth.write_fd)) {
        auth.kind = JobserverAuth::Kind::Pipe;
    } else {
        auth.kind = JobserverAuth::Kind::Bad;
        auth.read_fd = auth.write_fd = -1;
    }
    return auth;
}

bool is_jobserver_word(std::string_view word) {
    return word.starts_with("--jobserver-auth=") || word.starts_with("--jobserver-fds=");
}

bool is_jobs_word(std::string_view word) {
    return word == "-j" || (word.starts_with("-j") && word.size() > 2) ||
           word.starts_with("--jobs");
}

}  // namespace

JobserverAuth parse_makeflags(std::string_view makeflags) {
    const auto words = words_of(split_variables(makeflags).first);
    if (!words.empty() && !words.front().starts_with("-") &&
        words.front().find('n') != std::string_view::npos) {
        return {};  // make -n
    }
    JobserverAuth auth;
    for (const std::string_view word : words) {
        if (!is_jobserver_word(word)) continue;
        auth = parse_value(word.substr(word.find('=') + 1));
    }
    return auth;
}

std::string serving_makeflags(std::string_view makeflags, std::uint64_t jobs, int read_fd,
                              int write_fd) {
    const auto [options, variables] = split_variables(makeflags);
    std::string flags;
    for (const std::string_view word : words_of(options)) {
        if (is_jobserver_word(word) || is_jobs_word(word)) continue;
        if (!flags.empty()) flags += ' ';
        flags += word;
    }
    // A first word of single letters stays first, as make wrote it.
    flags += " -j" + std::to_string(jobs) + " --jobserver-auth=" + std::to_string(read_fd) + "," +
             std::to_string(write_fd);
    if (!variables.empty()) {
        flags += " -- ";
        flags += variables;
    }
    return flags;
}

}  // namespace wgrun
