#!/usr/bin/env bash
# Installs what idkit needs from Debian's packages, if anything is missing.
# Idempotent: with everything present it only checks. As root it runs apt;
# otherwise it prints the exact command and fails.
set -euo pipefail

# The cgo backends (OpenCV via gocv, Tesseract via gosseract, zxing-cpp for
# PDF417), the OCR-B font for specimen documents, and the tools that fetch
# model assets (npm) and generate code (protoc, onnx.proto).
packages=(
  build-essential pkg-config
  libopencv-dev opencv-data
  libtesseract-dev libleptonica-dev tesseract-ocr-eng
  libzxing-dev
  fonts-ocr-b fontconfig
  protobuf-compiler libonnx-dev
  npm
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm may come from a Node.js install outside Debian's packages.
if command -v npm >/dev/null 2>&1; then
  keep=()
  for p in "${missing[@]}"; do [ "$p" = npm ] || keep+=("$p"); done
  missing=("${keep[@]+"${keep[@]}"}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "idkit needs these Debian packages: ${missing[*]}" >&2
  echo "Run as root:  $cmd" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
