.PHONY: build test bench demo fmt vet

build:
	go build -o splitsim ./cmd/splitsim

test:
	go test ./...

bench:
	go test -run '^$$' -bench . -benchmem ./sim/

demo:
	go run ./cmd/splitsim run scenarios/bookinfo-80-20.yaml

fmt:
	gofmt -w .

vet:
	go vet ./...
