package observe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// blockSize is how much of an input one worker parses at a time. Blocks end at a line boundary; a
// line longer than a block grows the block that holds it.
const blockSize = 1 << 20

// MaxLineBytes bounds one line of a line-oriented input (access logs, Prometheus text, CSV): a
// longer line is an error, so that an input without newlines (a device such as /dev/zero, a
// binary file) cannot grow memory without bound. Real lines are far shorter: an Envoy access-log
// entry or a Prometheus sample is at most a few KiB.
const MaxLineBytes = 8 << 20

// ErrLineTooLong is the cause of an error about a line longer than MaxLineBytes.
var ErrLineTooLong = fmt.Errorf("line longer than %d MiB: not a line-oriented text file", MaxLineBytes>>20)

// blockPart is what parsing one block gives: its own number of lines and whatever the format
// counts. A part must not keep references into the block's bytes, which are reused.
type blockPart interface {
	lineCount() int
}

// forBlocks reads r in blocks of whole lines, parses them on all cores with parse (one fresh part
// per block, from newPart) and hands the parts to merge in input order, with the number of lines
// before the block. Memory is bounded by a few blocks per core, whatever the size of r. The first
// error of merge, or of reading r, stops the reading and is returned; readErr turns a read error
// after line N into the error to return.
func forBlocks[P blockPart](r io.Reader, newPart func() P, parse func(p P, data []byte, atEOF bool),
	merge func(p P, linesBefore int) error, readErr func(err error, lineNo int) error) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	nbuf := 2*workers + 2
	free := make(chan []byte, nbuf)
	for range nbuf {
		free <- nil // allocated on first use
	}
	type job struct {
		seq   int
		data  []byte
		buf   []byte
		atEOF bool
	}
	type done struct {
		seq  int
		part P
		buf  []byte
	}
	jobs := make(chan job, workers)
	results := make(chan done, nbuf)
	stop := make(chan struct{})
	var readFailure error

	// The reader: fills buffers with whole lines.
	go func() {
		defer close(jobs)
		br := blockReader{r: r}
		for seq := 0; ; seq++ {
			var buf []byte
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			buf, cut, atEOF, err := br.fill(buf)
			if err != nil {
				readFailure = err
			}
			select {
			case jobs <- job{seq: seq, data: buf[:cut], buf: buf, atEOF: atEOF}:
			case <-stop:
				return
			}
			if atEOF {
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p := newPart()
				parse(p, j.data, j.atEOF)
				results <- done{j.seq, p, j.buf}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := map[int]done{}
	next, lines := 0, 0
	var firstErr error
	for d := range results {
		if firstErr != nil {
			free <- d.buf
			continue
		}
		pending[d.seq] = d
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := merge(d.part, lines); err != nil && firstErr == nil {
				firstErr = err
				close(stop)
			}
			lines += d.part.lineCount()
			free <- d.buf
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if readFailure != nil {
		return readErr(readFailure, lines)
	}
	return nil
}

// blockReader cuts an input into blocks of whole lines.
type blockReader struct {
	r     io.Reader
	carry []byte // the start of a line that the last block cut
}

// fill fills buf (grown when a line does not fit) with the carried bytes and then the input, up
// to and including its last newline, which is at cut-1; the rest is carried to the next block. At
// the end of the input, or on a read error (returned), the block holds all that was read and
// atEOF is set.
func (b *blockReader) fill(buf []byte) (_ []byte, cut int, atEOF bool, err error) {
	if cap(buf) < blockSize {
		buf = make([]byte, blockSize)
	}
	buf = buf[:cap(buf)]
	n := copy(buf, b.carry)
	if n < len(b.carry) { // the carried line does not fit: grow
		buf = append(buf[:n], b.carry[n:]...)
		buf = buf[:cap(buf)]
		n = len(b.carry)
	}
	for {
		var m int
		m, err = io.ReadFull(b.r, buf[n:])
		n += m
		if err != nil {
			break
		}
		// Cut after the last newline; with none, the line goes on: grow and read more.
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			cut = i + 1
			b.carry = append(b.carry[:0], buf[cut:n]...)
			return buf, cut, false, nil
		}
		if n > MaxLineBytes {
			b.carry = b.carry[:0]
			return buf, 0, true, ErrLineTooLong
		}
		buf = append(buf[:n], make([]byte, len(buf))...)
		buf = buf[:cap(buf)]
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	b.carry = b.carry[:0]
	return buf, n, true, err
}

// lineGuard passes r through, failing with ErrLineTooLong once more than MaxLineBytes follow
// the last newline: a guard for readers that buffer a whole line (encoding/csv).
type lineGuard struct {
	r   io.Reader
	run int // bytes since the last newline
}

func (g *lineGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		g.run = n - i - 1
	} else {
		g.run += n
	}
	if g.run > MaxLineBytes {
		return 0, ErrLineTooLong
	}
	return n, err
}
