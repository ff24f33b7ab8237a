// unread_input.hpp: whether a file descriptor holds input nobody has read,
// found without reading it and without waiting.
#pragma once

namespace wgrun {

/// True when `fd` (wgrun's standard input, left unread by the Commands form)
/// holds input now: a regular file with bytes past its offset, or a pipe,
/// FIFO or socket with bytes waiting in it. False for anything else: a
/// terminal, /dev/null and other devices, a pipe that is empty (closed or
/// not: a producer that has written nothing yet is not waited for), an
/// fd that is not open. Never reads, never blocks.
bool holds_unread_input(int fd);

}  // namespace wgrun
