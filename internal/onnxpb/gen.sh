#!/bin/sh
# Regenerates onnx.pb.go from Debian's official ONNX schema.
#
# Source: /usr/include/onnx/onnx.proto from Debian 12's libonnx-dev
# 1.12.0-2+b4 (ONNX 1.12: IR version 8, opsets up to 17), compiled with
# Debian's protoc (protobuf-compiler 3.21.12) and protoc-gen-go from the
# google.golang.org/protobuf version pinned in go.mod (a `tool` there).
#
#   apt-get install -y libonnx-dev protobuf-compiler
#   go generate ./internal/onnxpb
set -eu
proto=/usr/include/onnx/onnx.proto
if [ ! -f "$proto" ]; then
	echo "gen.sh: $proto missing; apt-get install -y libonnx-dev" >&2
	exit 1
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
protoc --plugin=protoc-gen-go="$bin/protoc-gen-go" \
	-I /usr/include/onnx \
	--go_out=. --go_opt=paths=source_relative \
	--go_opt=Monnx.proto=github.com/idkit-dev/idkit/internal/onnxpb \
	onnx.proto
