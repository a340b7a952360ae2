#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, then runs the whole suite.
#
#   ./test.sh            install what is missing, then `cargo test`
#   ./test.sh --lint     also check formatting and lints (Rust and CSS) first (what CI runs)
#   ./test.sh -- ARGS    pass ARGS on to `cargo test` (e.g. `./test.sh -- --test it browser`)
#
# What it installs, each only when missing: the PostgreSQL server binaries (package
# `postgresql`), Chromium and chromedriver (`chromium`, `chromium-driver`), CJK fonts for the
# Chinese pages' screenshots (`fonts-noto-cjk`), LibreOffice Writer and pdftotext for the Word
# reports (`libreoffice-writer-nogui`, `poppler-utils`), Node.js's npm (`npm`), the `postgres` system
# user (as root, PostgreSQL runs as it), axe-core and stylelint from browser/package-lock.json,
# and with --lint the rustfmt and clippy components. System packages come from apt-get and
# need root; without root (or without apt-get) it names what is missing, once, and stops.
set -euo pipefail
cd "$(dirname "$0")"

lint=false
cargo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --lint) lint=true ;;
    --) shift; cargo_args=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown option $1 (see ./test.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "test.sh: $*"; }

if ! command -v cargo >/dev/null 2>&1; then
  say "cargo is missing: install Rust (1.88 or newer) with rustup, then run this again" >&2
  exit 1
fi

have_pg_server() {
  command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# Debian packages the tests need, each only when what it provides is missing.
packages=()
have_pg_server || packages+=(postgresql)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
# fc-list read whole, so that grep cannot fail the pipe early.
fonts=$(fc-list 2>/dev/null || true)
grep -qi 'Noto Sans CJK' <<<"$fonts" || packages+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || packages+=(npm)

# The Word reports' test converts them with LibreOffice and reads the PDF's text: these come
# with their recommended packages (the filters and fonts LibreOffice expects).
office=()
command -v soffice >/dev/null 2>&1 || office+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || office+=(poppler-utils)

if [ "${#packages[@]}" -gt 0 ] || [ "${#office[@]}" -gt 0 ]; then
  all=("${packages[@]}" "${office[@]}")
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    {
      say "the tests need these Debian packages, which are missing: ${all[*]}"
      say "install them (as root: apt-get install ${all[*]}), or run this script as root"
    } >&2
    exit 1
  fi
  say "installing ${all[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  if [ "${#packages[@]}" -gt 0 ]; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
  fi
  if [ "${#office[@]}" -gt 0 ]; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${office[@]}"
  fi
fi

# As root, the embedded cluster runs as the `postgres` system user, which the package creates
# (and which a machine with the binaries from elsewhere may lack).
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  say "adding the postgres system user"
  useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
fi

# axe-core and stylelint, pinned by browser/package-lock.json; installed again only when the
# lock file changed.
axe=browser/node_modules/axe-core/axe.min.js
stylelint=browser/node_modules/.bin/stylelint
stamp=browser/node_modules/.package-lock.json
if [ ! -f "$axe" ] || [ ! -x "$stylelint" ] || [ ! -f "$stamp" ] || [ browser/package-lock.json -nt "$stamp" ]; then
  say "installing axe-core and stylelint (npm ci --prefix browser)"
  npm ci --prefix browser --no-audit --no-fund
fi

# SQL is checked at compile time against the query data committed in .sqlx/.
export SQLX_OFFLINE=true
unset DATABASE_URL

if $lint; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      rustup component add "$component"
    fi
  done
  # The stylesheet: syntax (an unclosed block fails here) and the rules in browser/.stylelintrc.json.
  "$stylelint" --config browser/.stylelintrc.json --max-warnings 0 static/style.css
  cargo fmt --all -- --check
  cargo clippy --all-targets --locked -- -D warnings
fi

cargo test --locked ${cargo_args[@]+"${cargo_args[@]}"}
