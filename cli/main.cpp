// main.cpp: placeholder until the command line lands.
#include <cstdio>
int main() {
    std::fputs("wgrun: the command line is not written yet\n", stderr);
    return 255;
}
