.PHONY: build test race lint bench demo fmt vet parity

build:
	go build -o splitsim ./cmd/splitsim

test:
	go test ./...

race:
	go test -race ./...

lint:
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	go run github.com/uudashr/gocognit/cmd/gocognit@v1.3.0 -over 40 .

bench:
	go test -run '^$$' -bench . -benchmem ./sim/

demo:
	go run ./cmd/splitsim run scenarios/bookinfo-80-20.yaml

fmt:
	gofmt -w .

vet:
	go vet ./...

# Differential conformance against istiod's own code (a separate module: conformance/istio).
parity:
	cd conformance/istio && go test -mod=mod -count=1 ./...
