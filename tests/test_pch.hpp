// tests/test_pch.hpp: the headers most test files include, compiled once
// per build into a precompiled header that every test file is compiled with
// (Makefile, TEST_PCH). Each test file still includes what it uses: were
// the precompiled header unusable, GCC would read this text instead.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>
