#!/usr/bin/env bash
# A program outside the repository builds against an installed copy of the
# WaitGroup through pkg-config, and `make uninstall` takes it all back.
. "$(dirname "$0")/lib.sh"

# Installation has nothing to do with the sanitizers; the plain run (make
# test) checks it, and the sanitizer runs save the rebuild it costs.
if sanitized; then
    skip "make install, pkg-config, uninstall, DESTDIR" "checked by the plain build's run (make test)"
    finish
    exit
fi

# The plain build the other tests run (make test built it already, so
# install has nothing to rebuild): not the flags of the make that runs us.
unset MAKEFLAGS MAKELEVEL MFLAGS CXXFLAGS SANITIZE
export MAKEFLAGS="-j$(nproc)"
prefix=$SANDBOX/prefix
make_log=$SANDBOX/make.log

install_copy() {
    make -C "$ROOT" BUILD="$BUILD" PREFIX="$prefix" install >"$make_log" 2>&1 ||
        { cat "$make_log"; return 1; }
    test -f "$prefix/include/wgrun/wait_group.hpp" &&
        test -f "$prefix/lib/libwgrun.a" &&
        test -f "$prefix/lib/pkgconfig/wgrun.pc"
}
check "make install PREFIX=... installs header, library and wgrun.pc" install_copy

# The installed library is the WaitGroup alone; the runner (every other
# stage of core/) is an internal library that only wgrun and the tests link.
library_is_the_waitgroup_alone() {
    same "objects in the installed libwgrun.a" "futex.o wait_group.o" \
        "$(ar t "$prefix/lib/libwgrun.a" | sort | tr '\n' ' ' | sed 's/ $//')" &&
        ! test -e "$prefix/lib/libwgrun_runner.a"
}
check "the installed libwgrun.a holds only the WaitGroup's objects" library_is_the_waitgroup_alone

build_prog() {
    local flags
    flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs wgrun) || return 1
    # shellcheck disable=SC2086
    ${CXX:-c++} -std=c++20 "$ROOT/tests/e2e/wait_group_prog.cpp" $flags -o "$SANDBOX/prog"
}
check "c++ -std=c++20 prog.cpp \$(pkg-config --cflags --libs wgrun) builds" build_prog

run_prog() { [ "$("$SANDBOX/prog")" = "10 20 30" ]; }
check "the program runs three workers and waits for them" run_prog

# README's own example, taken from the page: its #include line, then its
# statements in a main() beside a work() that records which worker ran.
readme_example() {
    local code
    code=$(sed -n '/^## The WaitGroup/,/^## /p' "$ROOT/README.md" |
        sed -n '/^```cpp$/,/^```$/p' | sed '1d;$d')
    [ -n "$code" ] || { echo "no cpp block under README's '## The WaitGroup'"; return 1; }
    {
        grep '^#include' <<<"$code"
        printf '#include <atomic>\n#include <cstdio>\n#include <thread>\n'
        printf 'std::atomic<int> ran{0};\nvoid work(int i) { ran |= 1 << i; }\n'
        printf 'int main() {\n'
        grep -v '^#include' <<<"$code"
        printf 'std::printf("%%d\\n", ran.load());\n}\n'
    } >"$SANDBOX/readme.cpp"
    local flags
    flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs wgrun) || return 1
    # shellcheck disable=SC2086
    ${CXX:-c++} -std=c++20 "$SANDBOX/readme.cpp" $flags -o "$SANDBOX/readme" ||
        { cat -n "$SANDBOX/readme.cpp"; return 1; }
    same "README example's workers that ran (bits)" 7 "$("$SANDBOX/readme")"
}
check "README's WaitGroup example builds with pkg-config and waits for its three workers" readme_example

uninstall_copy() {
    make -C "$ROOT" BUILD="$BUILD" PREFIX="$prefix" uninstall >"$make_log" 2>&1 ||
        { cat "$make_log"; return 1; }
    local left
    left=$(find "$prefix" -type f)
    [ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
check "make uninstall removes every installed file" uninstall_copy

staged() {
    make -C "$ROOT" BUILD="$BUILD" PREFIX=/usr DESTDIR="$SANDBOX/stage" install \
        >"$make_log" 2>&1 || { cat "$make_log"; return 1; }
    test -f "$SANDBOX/stage/usr/lib/libwgrun.a" &&
        grep -q '^includedir=/usr/include$' "$SANDBOX/stage/usr/lib/pkgconfig/wgrun.pc"
}
check "DESTDIR stages the install; wgrun.pc names the final PREFIX" staged

finish
