#!/usr/bin/env bash
# Finds or installs what the tests need beyond Node, MariaDB and Redis, so that `npm test` passes on a fresh
# machine as it is (npm runs this as `pretest`; .ci/run relies on it too):
#   - Chromium (Debian package chromium, or CHROMIUM_PATH) and a CJK font: the browser journeys;
#   - poppler-utils (pdftotext, pdfimages): the certificate tests read generated PDFs back;
#   - ffmpeg (or FFMPEG_PATH): the video tests make their sample videos.
# Missing Debian packages are installed with apt-get as root, or through sudo when it needs no password;
# otherwise the run stops naming the command to run. Fast when everything is there.
set -euo pipefail

info() { printf '    %s\n' "$*"; }
die() { printf '\nTest tools missing: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif have sudo && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

missing=()
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = /usr/bin/chromium ] || die "CHROMIUM_PATH=$CHROMIUM is not an executable"
  missing+=(chromium)
fi
if have fc-list && ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-noto-cjk); fi
have pdftotext && have pdfimages || missing+=(poppler-utils)
have "${FFMPEG_PATH:-ffmpeg}" || missing+=(ffmpeg)

[ "${#missing[@]}" -eq 0 ] && exit 0

printf '==> installing what the tests need: %s\n' "${missing[*]}"
have apt-get || die "no apt-get on this machine: install ${missing[*]} yourself (Debian/Ubuntu package names)"
as_root true || die "run as root, or with password-less sudo, to install them; or install them yourself:
    sudo apt-get install -y ${missing[*]}"
info "apt-get update"
as_root apt-get update -qq || die "apt-get update failed: install them yourself with apt-get install -y ${missing[*]}"
info "apt-get install -y ${missing[*]}"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  die "apt-get install failed: apt-get install -y ${missing[*]}"

[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM after installing (apt-get install -y chromium)"
have pdftotext && have pdfimages || die "no pdftotext/pdfimages after installing (apt-get install -y poppler-utils)"
have "${FFMPEG_PATH:-ffmpeg}" || die "no ffmpeg after installing (apt-get install -y ffmpeg)"
info "installed: ${missing[*]}"
