// wait_group_prog.cpp: a program outside the repository that uses the
// installed WaitGroup (header, library and wgrun.pc), for the install tests
// (pkg_config_test.sh, package_test.sh). It prints "10 20 30".
#include <wgrun/wait_group.hpp>
#include <cstdio>
#include <thread>

int main() {
    wgrun::WaitGroup wg;
    int results[3] = {};
    for (int i = 0; i < 3; ++i) {
        wg.add(1);
        std::thread([&wg, &results, i] {
            wgrun::DoneGuard guard(wg);
            results[i] = (i + 1) * 10;
        }).detach();
    }
    wg.wait();
    std::printf("%d %d %d\n", results[0], results[1], results[2]);
}
