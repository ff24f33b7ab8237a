// options_sources_test.cpp: where input comes from, parsed: -I -i -d -E -e
// -r --arg-sep --arg-file-sep --link --shuf --shard --process-slot-var, the
// words whose value must be attached, and stdin_arguments.
#include "options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "support/parse_args.hpp"

namespace {

using wgrun::test::options_of;
using wgrun::test::parse_args;
using wgrun::test::usage_error_of;

using wgrun::SourceSpec;
using wgrun::cli::Options;
using Words = std::vector<std::string>;

TEST(SourcesOptions, Defaults) {
    const Options o = options_of({"echo"});
    EXPECT_EQ(o.input.replace, "");
    EXPECT_EQ(o.input.delimiter, '\n');
    EXPECT_EQ(o.input.eof, "");
    EXPECT_FALSE(o.input.no_run_if_empty || o.input.link || o.input.shuf);
    EXPECT_EQ(o.input.arg_sep, ":::");
    EXPECT_EQ(o.input.arg_file_sep, "::::");
    EXPECT_EQ(o.input.process_slot_var, "");
    EXPECT_FALSE(o.input.shard);
    EXPECT_FALSE(o.stdin_arguments);
}

TEST(SourcesOptions, CapitalIReplace) {
    const Options o = options_of({"-I", "%", "mv", "%", "%.bak"});
    EXPECT_EQ(o.input.replace, "%");
    EXPECT_EQ(o.command, (Words{"mv", "%", "%.bak"}));
    EXPECT_TRUE(o.stdin_arguments);
    EXPECT_EQ(options_of({"-I{}", "echo"}).input.replace, "{}");
    EXPECT_EQ(usage_error_of({"-I", "", "echo"}),
              "-I: the value is empty (an unset variable?)");
}

// -i and --replace take a value only when it is attached, as in xargs: the
// next word is the command (GNU parallel would take it as R).
TEST(SourcesOptions, SmallIValueMustBeAttached) {
    Options o = options_of({"-i", "echo", "{}"});
    EXPECT_EQ(o.input.replace, "{}");
    EXPECT_EQ(o.command, (Words{"echo", "{}"}));
    EXPECT_TRUE(o.stdin_arguments);
    o = options_of({"-iXX", "echo", "XX"});
    EXPECT_EQ(o.input.replace, "XX");
    EXPECT_EQ(o.command, (Words{"echo", "XX"}));
    o = options_of({"--replace", "echo", "{}"});
    EXPECT_EQ(o.input.replace, "{}");
    EXPECT_EQ(o.command, (Words{"echo", "{}"}));
    o = options_of({"--replace=R", "echo", "R"});
    EXPECT_EQ(o.input.replace, "R");
    EXPECT_EQ(o.command, (Words{"echo", "R"}));
    // After other flags in one word, and before other options.
    o = options_of({"-ki%", "-j", "2", "echo", "%"});
    EXPECT_TRUE(o.keep_order);
    EXPECT_EQ(o.input.replace, "%");
    EXPECT_EQ(o.jobs, "2");
    EXPECT_EQ(o.command, (Words{"echo", "%"}));
    o = options_of({"-i", "-j2", "echo"});
    EXPECT_EQ(o.input.replace, "{}");
    EXPECT_EQ(o.jobs, "2");
    // A -i in the command is the command's (sed -i).
    o = options_of({"-I", "F", "sed", "-i", "s/a/b/", "F"});
    EXPECT_EQ(o.command, (Words{"sed", "-i", "s/a/b/", "F"}));
    // The value of another option is that option's.
    o = options_of({"--tagstring", "-i", "echo"});
    EXPECT_EQ(o.tagstring, "-i");
    EXPECT_EQ(o.input.replace, "");
}

TEST(SourcesOptions, Delimiter) {
    EXPECT_EQ(options_of({"-d", ",", "echo"}).input.delimiter, ',');
    EXPECT_EQ(options_of({"-d", "\\n", "echo"}).input.delimiter, '\n');
    EXPECT_EQ(options_of({"-d\\0", "echo"}).input.delimiter, '\0');
    EXPECT_EQ(options_of({"--delimiter=\\x41", "echo"}).input.delimiter, 'A');
    EXPECT_EQ(options_of({"-0", "echo"}).input.delimiter, '\0');
    EXPECT_EQ(options_of({"-0", "-d", "\\t", "echo"}).input.delimiter, '\t');  // -d wins
    EXPECT_TRUE(options_of({"-d", ",", "echo"}).stdin_arguments);
    EXPECT_EQ(usage_error_of({"-d", "ab", "echo"}),
              "--delimiter: invalid delimiter 'ab': give one character or an escape (\\n, \\t, "
              "\\0, \\\\, \\NNN octal, \\xHH hex)");
    EXPECT_EQ(usage_error_of({"-d", "", "echo"}),
              "--delimiter: the value is empty (an unset variable?)");
}

TEST(SourcesOptions, EofString) {
    Options o = options_of({"-E", "stop", "echo"});
    EXPECT_EQ(o.input.eof, "stop");
    EXPECT_TRUE(o.stdin_arguments);
    EXPECT_EQ(options_of({"-estop", "echo"}).input.eof, "stop");
    EXPECT_EQ(options_of({"--eof=stop", "echo"}).input.eof, "stop");
    // -e and --eof alone: no end-of-file string; the next word is the command.
    o = options_of({"-e", "echo", "x"});
    EXPECT_EQ(o.input.eof, "");
    EXPECT_EQ(o.command, (Words{"echo", "x"}));
    EXPECT_TRUE(o.stdin_arguments) << "xargs reads stdin with -e too";
    o = options_of({"--eof", "echo"});
    EXPECT_EQ(o.input.eof, "");
    EXPECT_EQ(o.command, (Words{"echo"}));
    EXPECT_EQ(usage_error_of({"-E", "", "echo"}),
              "-E: the value is empty (an unset variable?)");
}

TEST(SourcesOptions, NoRunIfEmptyAndNullReadStdinAsArguments) {
    Options o = options_of({"-r", "rm"});
    EXPECT_TRUE(o.input.no_run_if_empty);
    EXPECT_TRUE(o.stdin_arguments);
    EXPECT_TRUE(options_of({"--no-run-if-empty", "rm"}).input.no_run_if_empty);
    EXPECT_TRUE(options_of({"-0", "rm"}).stdin_arguments);
    EXPECT_FALSE(options_of({"-k", "-j2", "rm"}).stdin_arguments);
}

TEST(SourcesOptions, ArgSep) {
    Options o = options_of({"--arg-sep", ",,", "echo", ":::", ",,", "a", "b"});
    EXPECT_EQ(o.input.arg_sep, ",,");
    EXPECT_EQ(o.command, (Words{"echo", ":::"}));  // ::: is a word now
    ASSERT_EQ(o.sources.size(), 1u);
    EXPECT_EQ(o.sources[0].values, (Words{"a", "b"}));
    o = options_of({"--arg-sep=@", "echo", "@", "a", "@+", "1"});
    ASSERT_EQ(o.sources.size(), 2u);
    EXPECT_TRUE(o.sources[1].linked);
    EXPECT_EQ(o.sources[1].values, (Words{"1"}));
    o = options_of({"--argsep", "@", "echo", "@", "a", "::::", "f"});
    ASSERT_EQ(o.sources.size(), 2u);
    EXPECT_EQ(o.sources[1].kind, SourceSpec::Kind::File);
}

TEST(SourcesOptions, ArgFileSep) {
    Options o = options_of({"--arg-file-sep", "//", "cat", "//", "f", "g", "//+", "h", ":::", "x"});
    EXPECT_EQ(o.input.arg_file_sep, "//");
    ASSERT_EQ(o.sources.size(), 4u);
    EXPECT_EQ(o.sources[0].kind, SourceSpec::Kind::File);
    EXPECT_EQ(o.sources[1].values, (Words{"g"}));
    EXPECT_TRUE(o.sources[2].linked);
    EXPECT_EQ(o.sources[3].kind, SourceSpec::Kind::Args);
    EXPECT_EQ(usage_error_of({"--arg-sep", "x", "--arg-file-sep", "x", "echo"}),
              "--arg-sep and --arg-file-sep are both 'x': they must differ");
}

TEST(SourcesOptions, LinkShufAndSlotVar) {
    EXPECT_TRUE(options_of({"--link", "echo"}).input.link);
    EXPECT_TRUE(options_of({"--xapply", "echo"}).input.link);
    EXPECT_TRUE(options_of({"--shuf", "echo"}).input.shuf);
    EXPECT_EQ(options_of({"--process-slot-var", "SLOT", "echo"}).input.process_slot_var, "SLOT");
    EXPECT_EQ(options_of({"--process-slot-var=_s1", "echo"}).input.process_slot_var, "_s1");
    EXPECT_EQ(usage_error_of({"--process-slot-var", "1x", "echo"}),
              "--process-slot-var '1x' is not a variable name (letters, digits and _, not first "
              "a digit)");
    EXPECT_EQ(usage_error_of({"--process-slot-var", "A=B", "echo"}),
              "--process-slot-var 'A=B' is not a variable name (letters, digits and _, not first "
              "a digit)");
    EXPECT_FALSE(options_of({"--link", "--shuf", "echo"}).stdin_arguments);
}

TEST(SourcesOptions, Shard) {
    const Options o = options_of({"--shard", "2/8", "echo"});
    ASSERT_TRUE(o.input.shard);
    EXPECT_FALSE(o.input.shard->from_environment);
    EXPECT_EQ(o.input.shard->shard, (wgrun::Shard{2, 8}));
    EXPECT_FALSE(o.stdin_arguments) << "it takes jobs from any source";
    const Options automatic = options_of({"--shard=auto", "echo"});
    ASSERT_TRUE(automatic.input.shard);
    EXPECT_TRUE(automatic.input.shard->from_environment);
    EXPECT_FALSE(automatic.input.shard->count);
    EXPECT_EQ(options_of({"--shard", "auto/4", "echo"}).input.shard->count, 4u);
    EXPECT_EQ(usage_error_of({"--shard", "4/3", "echo"}),
              "invalid --shard '4/3': K must be from 1 to N (3)");
    EXPECT_EQ(usage_error_of({"--shard", "0/3", "echo"}),
              "invalid --shard '0/3': K must be from 1 to N (3)");
    EXPECT_EQ(usage_error_of({"--shard", "3", "echo"}),
              "invalid --shard '3': give K/N (this run takes jobs K, K+N, K+2N, ...), auto or "
              "auto/N");
    EXPECT_EQ(usage_error_of({"--shard", "a/b", "echo"}),
              "invalid --shard 'a/b': K and N must be whole numbers, as in 2/8");
    EXPECT_EQ(usage_error_of({"--shard", "", "echo"}),
              "--shard: the value is empty (an unset variable?)");
    EXPECT_EQ(usage_error_of({"--shard"}), "--shard needs a value (K/N)");
}

TEST(SourcesOptions, LinkedSeparatorFirst) {
    // GNU parallel: :::: f ::::+ g and ::::+ f g are alike.
    const Options o = options_of({"echo", "::::+", "f", "g"});
    ASSERT_EQ(o.sources.size(), 2u);
    EXPECT_TRUE(o.sources[0].linked);
    EXPECT_TRUE(o.sources[1].linked);
}

}  // namespace
