# idkit: the two commands of the README are `make run` and `make test`.
# Each installs what is missing (Debian packages, model assets) first.

GO          ?= go
MODELS_DIR  ?= $(CURDIR)/models/cache
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.8.2
export IDKIT_MODELS := $(MODELS_DIR)
# Debian's Tesseract is built with OpenMP; its spinning threads cost 70% more
# CPU per MRZ read on small machines. The idkit command sets this itself.
export OMP_THREAD_LIMIT ?= 1

# Until the reference server lands, `make run` analyses a fixture photo.
RUN_IMAGE ?= testdata/faces/obama_official_portrait_2012.jpg

.PHONY: run test lint deps models build clean

run: models build
	$(BIN)/idkit face --draw $(BIN)/face.png $(RUN_IMAGE)
	@echo "annotated image: $(BIN)/face.png" >&2

test: models lint
	IDKIT_REQUIRE_MODELS=1 $(GO) test -count=1 -timeout 40m ./...

deps:
	@scripts/deps.sh

models: deps
	$(GO) run ./cmd/idkit models install --dir $(MODELS_DIR)

build: deps
	$(GO) build -o $(BIN)/idkit ./cmd/idkit

$(STATICCHECK):
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: deps $(STATICCHECK)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './models/cache/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

clean:
	rm -rf $(BIN)
