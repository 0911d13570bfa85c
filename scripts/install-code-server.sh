#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser) into PREFIX, for the extension's end-to-end
# tests (test/extension/), which load this repository into it as an extension under development
# and drive it with Debian's chromium.
#
#   scripts/install-code-server.sh PREFIX
#
# The tests call it on demand (test/helpers/vscode.ts installs into .vscode-test/); it can also be
# run by hand. It is idempotent: a complete install leaves PREFIX/.kpath-installed and a second run
# stops there; an interrupted one is finished by running it again.
#
# It only needs the npm registry. code-server's own install script would download ripgrep and
# prebuilt native modules from GitHub, refuses to run as root under npm, and fetches Node.js
# headers from nodejs.org; so the package is installed without its scripts and the same steps are
# done here by hand: native modules are compiled against the local Node.js headers, and Debian's
# rg stands in for the downloaded one.
#
# Needs (Debian): chromium ripgrep python3 make g++, and Node.js with its headers (include/node
# next to its bin/). Nothing is installed system-wide by this script.
set -euo pipefail

VERSION=4.100.3
MARKER=.kpath-installed

die() { echo "install-code-server: $*" >&2; exit 1; }
step() { echo "install-code-server: $* (${SECONDS}s)" >&2; }
# Runs a step with its output in a log, shown only if the step fails: compilers and npm scripts
# print hundreds of lines that only matter then.
quietly() {
  local log=$LOGS/$1.log; shift
  "$@" >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "failed: $* (whole output in $log)"; }
}

[ $# -eq 1 ] || die "usage: $0 PREFIX"
mkdir -p "$1"
PREFIX=$(cd "$1" && pwd)

if [ "$(cat "$PREFIX/$MARKER" 2>/dev/null)" = "$VERSION" ]; then
  step "code-server $VERSION is already installed in $PREFIX"
  exit 0
fi

# Check everything first, so that a missing package fails in a second with the fix in the message,
# not a minute into the build.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)  # the browser the tests drive
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)         # VS Code's search runs rg
command -v python3 >/dev/null 2>&1 || missing+=(python3)    # node-gyp
command -v make >/dev/null 2>&1 || missing+=(make)          # node-gyp
command -v g++ >/dev/null 2>&1 || missing+=(g++)            # node-gyp
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install ${missing[*]}"
command -v node >/dev/null 2>&1 || die "node is not on PATH"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"

# node-gyp would download the headers of the running Node.js; use the installed ones instead.
NODEDIR=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
[ -f "$NODEDIR/include/node/node.h" ] || die "no Node.js headers in $NODEDIR/include/node (the Node.js of nodejs.org and NodeSource ships them; Debian's own nodejs has them in libnode-dev)"
export npm_config_nodedir=$NODEDIR

# npm's own node-gyp; called directly rather than through `npm rebuild`, because node-pty's install
# script runs `npx node-gyp`, which fails when npx cannot ask whether to download.
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
NODE_GYP=$NPM_DIR/node_modules/node-gyp/bin/node-gyp.js
[ -f "$NODE_GYP" ] || die "node-gyp not found at $NODE_GYP (it comes with npm)"

# code-server $VERSION is built for Node.js 20 (its install script refuses any other major).
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" = 20 ] || echo "install-code-server: warning: code-server $VERSION expects Node.js 20, this is $(node --version)" >&2

npm_quiet=(--no-audit --no-fund)
LOGS=$PREFIX/.install-logs
mkdir -p "$LOGS"

step "code-server $VERSION from npm, without its install scripts"
quietly code-server npm install --prefix "$PREFIX" --ignore-scripts "${npm_quiet[@]}" "code-server@$VERSION"
VS=$PREFIX/node_modules/code-server/lib/vscode

# code-server loads argon2 at start-up even with --auth none; its install script would download a
# prebuilt binary.
step "argon2, compiled"
(cd "$PREFIX" && quietly argon2 npm rebuild argon2 --build-from-source)

# The dependencies of VS Code itself, which code-server's install script installs.
step "VS Code's dependencies"
(cd "$VS" && quietly vscode npm install --omit=dev --ignore-scripts "${npm_quiet[@]}")

# The native modules among them whose install scripts were skipped. Not built, because nothing
# here uses them: kerberos (proxy authentication) and @vscode/windows-*; @parcel/watcher comes
# prebuilt as a platform package from npm.
for m in @vscode/spdlog @vscode/deviceid native-watchdog node-pty; do
  step "$m, compiled"
  (cd "$VS/node_modules/$m" && quietly "${m//\//-}" node "$NODE_GYP" rebuild -j max --nodedir="$NODEDIR")
done

# @vscode/ripgrep's install script downloads rg from GitHub; VS Code looks for it in bin/.
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sfn "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"

# The links code-server's install script makes: VS Code looks for some files in
# node_modules.asar, and the terminal's `code-server` command and the browser helper are
# per-platform scripts.
ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"

# The built-in extensions' shared dependencies (TypeScript); their scripts download nothing.
step "built-in extensions' dependencies"
(cd "$VS/extensions" && quietly extensions npm install --omit=dev "${npm_quiet[@]}")

# Run it once: it fails here, not in the tests, if a module is missing. XDG_*: code-server writes
# its config.yaml there, even for --version; keep it out of the home directory.
step "check"
XDG_CONFIG_HOME=$PREFIX/.xdg XDG_DATA_HOME=$PREFIX/.xdg \
  quietly check node "$PREFIX/node_modules/code-server/out/node/entry.js" --version
rm -rf "$PREFIX/.xdg"

echo "$VERSION" > "$PREFIX/$MARKER"
step "code-server $VERSION installed in $PREFIX"
