package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/splitsim/splitsim/explain"
	"github.com/splitsim/splitsim/result"
	"github.com/splitsim/splitsim/scenarios"
	"github.com/splitsim/splitsim/verify"
)

func explainCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("explain", help("explain"), stdout, stderr)
	var r explain.Request
	fs.StringVar(&r.Host, "host", "", "host of the request (required when the inputs have several hosts)")
	fs.StringVar(&r.Method, "method", "GET", "request method")
	fs.StringVar(&r.Path, "path", "/", "request path, with an optional ?query")
	fs.StringArrayVar(&r.Headers, "header", nil, "request header name=value (repeatable)")
	fs.StringArrayVar(&r.Query, "query", nil, "query parameter name=value (repeatable)")
	fromSpec := fromFlag(fs)
	random := fs.String("random", "", "Envoy's random value for the request (uint64): shows the pick")
	filenames := addInputFlag(fs)
	out := addOutputFlags(fs, true)
	if err := parseOutput(fs, args, out); err != nil {
		return err
	}
	from, err := parseFrom(*fromSpec)
	if err != nil {
		return err
	}
	files, err := inputFiles(*filenames, fs.Args())
	if err != nil {
		return err
	}
	in, err := scenarios.LoadFrom(files, from)
	if err != nil {
		return err
	}
	h, err := verify.LookupHost(in.Translation.Table, r.Host)
	if err != nil {
		return err
	}
	if r.Host == "" {
		// The inputs' only host; a caller view's name (HOST@NAMESPACE/GATEWAY) is no authority.
		r.Host, _, _ = strings.Cut(h.Name, "@")
	}
	if _, err := r.Parse(); err != nil {
		return err
	}
	var rnd *uint64
	if *random != "" {
		v, err := strconv.ParseUint(*random, 10, 64)
		if err != nil {
			return fmt.Errorf("--random %q: want an unsigned 64-bit integer", *random)
		}
		rnd = &v
	}
	ex, err := explain.Trace(h, r, rnd)
	if err != nil {
		return err
	}
	return out.emit(stdout, ex, in.Files, result.Pass)
}
