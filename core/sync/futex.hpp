// futex.hpp: the Linux futex calls the WaitGroup blocks on (internal).
//
// std::atomic<T>::wait has no time-out, so the WaitGroup calls the futex
// directly. Both calls use private futexes: the word never crosses a process.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace wgrun::detail {

/// Sleeps while `word` holds `expected`, until woken, until the steady clock
/// reaches `*deadline` (none if null), or spuriously.
/// Returns false only when the deadline has passed.
bool futex_wait(const std::atomic<std::uint32_t>& word, std::uint32_t expected,
                const std::chrono::steady_clock::time_point* deadline);

/// Wakes every thread sleeping on the futex at `address`. Takes a plain
/// address: a woken waiter may already have destroyed the object, and waking
/// a futex only names the address, it never touches the memory.
void futex_wake_all(const void* address);

}  // namespace wgrun::detail
