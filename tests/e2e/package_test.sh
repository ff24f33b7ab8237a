#!/usr/bin/env bash
# `make deb` as a user meets it: the package is named after the version the
# build says everywhere, lintian finds no error or warning in it, `apt-get
# install ./wgrun_*.deb` puts in place a wgrun, its man pages, completions
# and the WaitGroup library that a program builds against through
# pkg-config, and purging it leaves nothing behind.
. "$(dirname "$0")/lib.sh"

# Packaging has nothing to do with the sanitizers; the plain run (make test)
# checks it, and the two sanitizer suites, which run at once, would race
# for dpkg's lock.
if sanitized; then
    skip "make deb, lintian, apt-get install, purge" "checked by the plain build's run (make test)"
    finish
    exit
fi

# The plain build the other tests run: not the flags of the make that runs us.
unset MAKEFLAGS MAKELEVEL MFLAGS CXXFLAGS SANITIZE
export MAKEFLAGS="-j$(nproc)"
make_log=$SANDBOX/make.log
version=$(make -s -C "$ROOT" BUILD="$BUILD" version)
arch=$(dpkg --print-architecture)
deb=$BUILD/wgrun_${version}_$arch.deb

build_deb() {
    make -C "$ROOT" BUILD="$BUILD" deb >"$make_log" 2>&1 || { cat "$make_log"; return 1; }
    test -f "$deb" || { echo "no $deb; made: $(ls "$BUILD"/*.deb 2>&1)"; return 1; }
}
check "make deb builds wgrun_<version>_<arch>.deb" build_deb

# The version: git describe in a checkout, the Makefile's VERSION outside
# one; one string in --version, the man pages' footer, wgrun.pc and the
# package.
version_shape() {
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+-g[0-9a-f]+)?(-dirty)?$ ]] ||
        { echo "version '$version' is not git describe's shape"; return 1; }
    if [ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
        local described
        if described=$(git -C "$ROOT" describe --tags --match 'v[0-9]*' 2>/dev/null); then
            same "version beside git describe" "${described#v}" "$version" || return 1
        fi
    fi
}
check "the version has git describe's shape (0.2.0-14-gabc1234)" version_shape

outside_a_checkout() {
    local tree=$SANDBOX/tree makefile_version
    mkdir "$tree" && cp "$ROOT/Makefile" "$tree/" || return 1
    makefile_version=$(sed -n 's/^VERSION := //p' "$tree/Makefile")
    same "make version outside a checkout" "$makefile_version" "$(make -s -C "$tree" version)"
}
check "outside a checkout the version is the Makefile's VERSION" outside_a_checkout

one_version_everywhere() {
    same "wgrun --version" "wgrun $version" "$("$WGRUN" --version)" &&
        same "Version of the package" "$version" "$(dpkg-deb -f "$deb" Version)" &&
        same "wgrun(1)'s footer line" ".Os wgrun $version" "$(grep '^\.Os' "$BUILD/man/wgrun.1")" &&
        same "wgrun-waitgroup(3)'s footer line" ".Os wgrun $version" \
            "$(grep '^\.Os' "$BUILD/man/wgrun-waitgroup.3")" &&
        same "wgrun.pc in the package" "Version: $version" \
            "$(dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/wgrun.pc' | grep '^Version:')"
}
check "one version in --version, both man pages, wgrun.pc and the package" one_version_everywhere

files_of_deb() { dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | grep -v '^$'; }

holds_every_part() {
    local list missing=
    list=$(files_of_deb)
    for path in /usr/bin/wgrun /usr/share/man/man1/wgrun.1.gz \
        /usr/share/man/man3/wgrun-waitgroup.3.gz /usr/include/wgrun/wait_group.hpp \
        "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libwgrun.a" \
        "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/pkgconfig/wgrun.pc" \
        /usr/share/bash-completion/completions/wgrun /usr/share/zsh/vendor-completions/_wgrun \
        /usr/share/fish/vendor_completions.d/wgrun.fish /usr/share/doc/wgrun/copyright; do
        grep -qxF "$path" <<<"$list" || missing+=" $path"
    done
    [ -z "$missing" ] || { echo "not in the package:$missing"; echo "$list"; return 1; }
}
check "the package holds the binary, both man pages, the completions and the library" \
    holds_every_part

lintian_clean() {
    command -v lintian >/dev/null || { echo "lintian is not installed (make deps)"; return 1; }
    local out
    out=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v '^running with root privileges')
    echo "$out" >"$SANDBOX/lintian.txt"
    ! grep -q '^[EW]: ' <<<"$out" || { echo "$out"; return 1; }
}
check "lintian reports no error and no warning" lintian_clean

# Installing touches the machine's /usr: only as root, and never over a
# wgrun package someone installed.
if [ "$(id -u)" != 0 ]; then
    skip "apt-get install ./wgrun_*.deb, then purge" "needs root"
    finish
    exit
fi
if dpkg-query -W -f '${Status}' wgrun 2>/dev/null | grep -q 'ok installed'; then
    skip "apt-get install ./wgrun_*.deb, then purge" "a wgrun package is installed already"
    finish
    exit
fi

# The folders the package names that the machine has before it comes.
before=$SANDBOX/before
files_of_deb | while read -r path; do [ -e "$path" ] && echo "$path"; done >"$before"
installed=
purge() {
    DEBIAN_FRONTEND=noninteractive apt-get purge -y wgrun >"$SANDBOX/purge.log" 2>&1
}
trap '[ -z "$installed" ] || purge; rm -rf "$SANDBOX"' EXIT

install_deb() {
    installed=yes
    # apt-get wants a path, not a bare name, to take a local file.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" \
        >"$SANDBOX/install.log" 2>&1 || { cat "$SANDBOX/install.log"; return 1; }
    dpkg-query -W -f '${Status} ${Version}' wgrun | grep -qx "install ok installed $version"
}
check "apt-get install ./wgrun_<version>_<arch>.deb installs it" install_deb

installed_wgrun_runs() {
    same "/usr/bin/wgrun --version" "wgrun $version" "$(/usr/bin/wgrun --version)" &&
        same "/usr/bin/wgrun runs jobs" "a b" "$(/usr/bin/wgrun -k echo ::: a b | tr '\n' ' ' |
            sed 's/ $//')"
}
check "the installed wgrun runs and says the package's version" installed_wgrun_runs

man_finds_the_pages() {
    man -wa wgrun | grep -qx /usr/share/man/man1/wgrun.1.gz &&
        man -wa 3 wgrun-waitgroup | grep -qx /usr/share/man/man3/wgrun-waitgroup.3.gz &&
        MANWIDTH=80 man -l /usr/share/man/man1/wgrun.1.gz 2>/dev/null | tail -n 1 |
        grep -q "^wgrun $version "
}
check "man -w finds wgrun(1) and wgrun-waitgroup(3); the footer names the version" \
    man_finds_the_pages

pkg_config_example() {
    same "pkg-config --modversion wgrun" "$version" "$(pkg-config --modversion wgrun)" || return 1
    local flags
    flags=$(pkg-config --cflags --libs wgrun) || return 1
    # shellcheck disable=SC2086
    ${CXX:-c++} -std=c++20 "$ROOT/tests/e2e/wait_group_prog.cpp" $flags -o "$SANDBOX/prog" &&
        same "the program's output" "10 20 30" "$("$SANDBOX/prog")"
}
check "a program builds against the installed WaitGroup with pkg-config and runs" \
    pkg_config_example

bash_completion_loads() {
    [ -f /usr/share/bash-completion/bash_completion ] ||
        { echo "bash-completion is not installed (make deps)"; return 1; }
    # bash-completion loads a command's completion from its folder on first use.
    local spec
    spec=$(bash --norc -c '. /usr/share/bash-completion/bash_completion
        __load_completion wgrun && complete -p wgrun')
    [[ $spec == complete*wgrun ]] || { echo "complete -p wgrun: '$spec'"; return 1; }
}
check "bash-completion loads wgrun's completion from the installed file" bash_completion_loads

purge_leaves_nothing() {
    purge || { cat "$SANDBOX/purge.log"; return 1; }
    installed=
    local left=
    while read -r path; do
        grep -qxF "$path" "$before" || [ ! -e "$path" ] || left+=" $path"
    done < <(files_of_deb)
    [ -z "$left" ] || { echo "left behind:$left"; return 1; }
    ! dpkg-query -W wgrun >/dev/null 2>&1 ||
        dpkg-query -W -f '${Status}' wgrun | grep -q 'not-installed'
}
check "apt-get purge wgrun leaves none of its files or folders" purge_leaves_nothing

finish
